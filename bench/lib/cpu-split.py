#!/usr/bin/env python3
"""CPU-seconds per program over an interval, from /proc: `cpu-split.py snapshot FILE` saves every live process's
utime + stime; `cpu-split.py diff FILE [SECONDS] [--per N] [--extra NAME=CPU-S ...]` prints what each program burnt
since, grouped by name (the .NET services by their dll, postgres's backends and background processes together, DCP
by its command), with the share of the machine's cores when SECONDS is given, or the microseconds per operation
with --per N. Processes that ended in between are not in /proc any more: pass their CPU-seconds with --extra
(e.g. from /usr/bin/time). `cpu-split.py pids PID ...` prints what the given processes have burnt so far, by
program, their reaped children included (bench/apphost-startup.sh BREAKDOWN=1)."""
import json, os, sys

TICK = os.sysconf("SC_CLK_TCK")


def program(pid):
    try:
        args = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
    except OSError:
        return None
    args = [a.decode(errors="replace") for a in args if a]
    if not args:
        return None
    first = os.path.basename(args[0])
    if args[0].startswith("postgres:") or first in ("postgres", "setpriv"):
        return "postgres"
    if first == "dotnet" and len(args) > 1:
        if args[1] == "run":
            return "dotnet run (launcher)"
        return os.path.basename(args[1]).removesuffix(".dll")
    if first == "dcp" and len(args) > 1:
        return "dcp " + args[1]
    return first


def snapshot(pids=None, children=False):
    """{pid: [program, CPU-seconds]} of the given processes (all live ones by default); with children, the CPU
    of the children they have reaped too."""
    cpu = {}
    for entry in pids if pids is not None else os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = program(entry)
        if name:
            ticks = sum(int(f) for f in fields[11:15 if children else 13])
            cpu[entry] = [name, ticks / TICK]
    return cpu


def print_by_program(totals, seconds=None, per=None):
    total = sum(totals.values())
    for name, spent in sorted(totals.items(), key=lambda kv: -kv[1]):
        if spent >= 0.05:
            share = f"  {100 * spent / (seconds * os.cpu_count()):5.1f} % of {os.cpu_count()} cores" if seconds else ""
            share += f"  {1e6 * spent / per:7.0f} us per op" if per else ""
            print(f"  {spent:7.2f} CPU-s  {100 * spent / total:5.1f} %{share}  {name}")
    print(f"  {total:7.2f} CPU-s in all" + (f", {1e6 * total / per:.0f} us per op" if per else ""))


if sys.argv[1] == "snapshot":
    json.dump(snapshot(), open(sys.argv[2], "w"))
elif sys.argv[1] == "pids":
    totals = {}
    for name, cpu in snapshot(sys.argv[2:], children=True).values():
        totals[name] = totals.get(name, 0) + cpu
    print_by_program(totals)
else:
    before = json.load(open(sys.argv[2]))
    rest = sys.argv[3:]
    seconds, per, totals = None, None, {}
    while rest:
        arg = rest.pop(0)
        if arg == "--per":
            per = int(rest.pop(0))
        elif arg == "--extra":
            name, spent = rest.pop(0).rsplit("=", 1)
            totals[name] = float(spent)
        else:
            seconds = float(arg)
    for pid, (name, cpu) in snapshot().items():
        spent = cpu - (before[pid][1] if pid in before and before[pid][0] == name else 0)
        totals[name] = totals.get(name, 0) + spent
    print_by_program(totals, seconds, per)
