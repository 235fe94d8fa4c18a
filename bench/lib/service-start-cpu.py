#!/usr/bin/env python3
"""Starts each service the way DCP does, one at a time, and reports the CPU-seconds its process tree burnt
(utime + stime from /proc, every process of the tree: the `dotnet run` launcher and the service) at three points:
"bound" (the first "Now listening on" line: Kestrel binding, after the app's hosted services have started, which a
WebApplication starts first), "listening" (the host's "Application started." line: every endpoint bound) and "healthy" (the first
/health answering 200: migrated and reachable). CPU-seconds hardly change with the machine's load, where
wall-clock seconds do. Used by bench/service-startup-cpu.sh, which provides the database and the OTLP sink.

Variants: label:tree:launch[:NAME=value,NAME=value], launch `run` (dotnet run --project … --no-build
--no-launch-profile, as Aspire's DCP starts a project resource) or `exec` (dotnet <the built dll>). Runs are
interleaved (variant A, B, A, B …) so that a change of load hits every variant alike."""
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")
SERVICES = {
    "gateway": ("Gateway/Gateway.csproj", "Gateway/bin/Debug/net10.0/VoiceAnalytics.Gateway.dll"),
    "analysis": ("AnalysisService/AnalysisService.csproj", "AnalysisService/bin/Debug/net10.0/VoiceAnalytics.AnalysisService.dll"),
    "crm": ("CrmService/CrmService.csproj", "CrmService/bin/Debug/net10.0/VoiceAnalytics.CrmService.dll"),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_cpu(root):
    """utime + stime, in seconds, of root and every descendant alive now."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                stats[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
            except (OSError, IndexError):
                pass
    members, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _) in stats.items():
            if ppid == parent and pid not in members:
                members.add(pid)
                frontier.append(pid)
    return sum(stats[p][1] for p in members if p in stats) / CLK_TCK


def environment(service, pg_port, sink_port, work, extra):
    http, grpc = free_port(), free_port()
    env = dict(os.environ)
    env.update({
        "ASPNETCORE_ENVIRONMENT": "Development",
        "ConnectionStrings__voicedb": f"Host=127.0.0.1;Port={pg_port};Username=postgres;Database=voicedb",
        "Kestrel__Endpoints__http__Url": f"http://127.0.0.1:{http}",
        "Kestrel__Endpoints__grpc__Url": f"http://127.0.0.1:{grpc}",
        "OTEL_SERVICE_NAME": service,
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{sink_port}",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
        "OTEL_BLRP_SCHEDULE_DELAY": "1000", "OTEL_BSP_SCHEDULE_DELAY": "1000", "OTEL_METRIC_EXPORT_INTERVAL": "1000",
        "WEBHOOK_SECRET": "bench-secret-bench-secret-bench-secret",
        "CRM_MD_PATH": os.path.join(work, "crm.md"),
        "Privacy__DevelopmentKeyFile": os.path.join(work, "privacy-dev-keys.json"),
        # The peers' addresses, as the AppHost passes them (nobody listens: nudges are best effort).
        "services__analysis__grpc__0": f"http://127.0.0.1:{free_port()}",
        "services__analysis__http__0": f"http://127.0.0.1:{free_port()}",
        "services__crm__grpc__0": f"http://127.0.0.1:{free_port()}",
        "services__crm__http__0": f"http://127.0.0.1:{free_port()}",
    })
    if service == "gateway":
        del env["Kestrel__Endpoints__grpc__Url"]
    env.update(extra)
    return env, http


def start_once(tree, service, launch, extra, pg_port, sink_port, work):
    project, dll = SERVICES[service]
    env, http = environment(service, pg_port, sink_port, work, extra)
    if launch == "run":
        command = ["dotnet", "run", "--project", os.path.join(tree, project), "--no-build", "--no-launch-profile"]
    else:
        command = ["dotnet", os.path.join(tree, dll)]
    begin = time.monotonic()
    process = subprocess.Popen(command, cwd=os.path.dirname(os.path.join(tree, project)), env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)
    listening = {}
    output = []

    def read():
        for line in process.stdout:
            output.append(line)
            if "Now listening on" in line and "bound" not in listening:
                listening["bound"] = tree_cpu(process.pid)
            if "Application started." in line and "cpu" not in listening:
                listening["cpu"] = tree_cpu(process.pid)
                listening["s"] = time.monotonic() - begin
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    healthy = None
    while time.monotonic() - begin < 120:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{http}/health", timeout=5) as response:
                if response.status == 200:
                    healthy = (time.monotonic() - begin, tree_cpu(process.pid))
                    break
        except OSError:
            pass
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    reader.join(timeout=5)
    if healthy is None or "cpu" not in listening:
        sys.stderr.write(f"{service} ({tree}, {launch}) did not become healthy:\n{''.join(output[-40:])}")
        sys.exit(1)
    return listening["cpu"], healthy[1], listening["s"], healthy[0], listening.get("bound", listening["cpu"])


def main():
    pg_port, sink_port, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    services = sys.argv[5].split(",")
    variants = []
    for spec in sys.argv[6:]:
        parts = spec.split(":", 3)
        extra = dict(kv.split("=", 1) for kv in parts[3].split(",")) if len(parts) > 3 and parts[3] else {}
        variants.append((parts[0], os.path.abspath(parts[1]), parts[2], extra))
    results = {}
    for service in services:
        for label, tree, launch, extra in variants:  # warm-up: migrations, the development key file, the page cache
            start_once(tree, service, launch, extra, pg_port, sink_port, work)
        for i in range(runs):
            for label, tree, launch, extra in variants:
                sample = start_once(tree, service, launch, extra, pg_port, sink_port, work)
                results.setdefault((service, label), []).append(sample)
                print(f"  {service:8} {label:14} run {i + 1}: first endpoint bound {sample[4]:5.2f} CPU-s, "
                      f"listening {sample[0]:5.2f} CPU-s ({sample[2]:5.2f} s), "
                      f"healthy {sample[1]:5.2f} CPU-s ({sample[3]:5.2f} s)   load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    print(f"{'service':8} {'variant':14} {'CPU-s to bound':>15} {'CPU-s to listening':>20} {'CPU-s to healthy':>18} {'s to listening':>15} {'s to healthy':>13}   (medians of {runs})")
    for (service, label), samples in results.items():
        med = [statistics.median(s[k] for s in samples) for k in range(5)]
        print(f"{service:8} {label:14} {med[4]:15.2f} {med[0]:20.2f} {med[1]:18.2f} {med[2]:15.2f} {med[3]:13.2f}")


if __name__ == "__main__":
    main()
