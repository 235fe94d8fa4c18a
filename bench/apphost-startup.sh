#!/usr/bin/env bash
# AppHost start and stop on .NET Aspire, median of RUNS runs (build done first, not measured):
#   start: seconds from the command to the AppHost's line "All 5 resources healthy";
#   cpu:   CPU-seconds that every process of the run had burnt by then (user + system, the AppHost, DCP, the
#          dashboard, postgres, the services and their launchers; exited children through their parents), a
#          figure the machine's load hardly changes where it stretches the seconds;
#   stop:  seconds from SIGTERM to the last process of the run gone (AppHost, DCP, postgres, the services),
#          and whether Postgres shut down cleanly (pg_controldata: "shut down").
#
#   bench/apphost-startup.sh                       # dotnet run --no-build --project VoiceAnalytics.AppHost
#   CMD="dotnet run --project VoiceAnalytics.AppHost" bench/apphost-startup.sh   # includes the no-op build check
#   BREAKDOWN=1 RUNS=3 bench/apphost-startup.sh    # also each program's CPU-seconds at healthy
#   AppHost__Orchestrator__OwnCertificate=true bench/apphost-startup.sh   # DCP makes its own certificate (as before)
#   NO_BUILD=1 bench/apphost-startup.sh            # without the build first (already built)
#
# The runs use their own data folder (.data/bench-apphost) so they do not touch your dev database; an unmeasured
# warm-up run creates the cluster first (initdb), so the measured runs are the everyday start. It uses the
# default ports (dashboard 18888, gateway 5080): no other AppHost may run on the machine meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
CMD=${CMD:-dotnet run --no-build --project VoiceAnalytics.AppHost}
export AppHost__DataDirectory=${AppHost__DataDirectory:-$PWD/.data/bench-apphost}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

echo "building once (not measured)..." >&2
[ -n "${NO_BUILD:-}" ] || dotnet build VoiceAnalytics.AppHost -nologo -v q >/dev/null

# Every descendant of a pid (the AppHost's tree, and DCP's, which runs in a session of its own).
descendants() {
  local children
  children=$(ps -o pid= --ppid "$1" 2>/dev/null || true)
  for c in $children; do echo "$c"; descendants "$c"; done
}
# utime + stime + cutime + cstime of the given pids, in seconds.
cpu_of() {
  local ticks=0 p f
  for p in "$@"; do
    f=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    set -- $f
    ticks=$((ticks + ${12} + ${13} + ${14} + ${15}))
  done
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}
# BREAKDOWN=1: the CPU-seconds at healthy by program (postgres's backends summed), from bench/lib/cpu-split.py.
breakdown() { python3 bench/lib/cpu-split.py pids "$@"; }
alive() { [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# One run with signal $1: prints "<start s> <stop s> <postgres state> <cpu s>". INT is what Ctrl+C sends to the
# terminal's foreground process group; TERM is what systemd or a CI runner sends. A script's background jobs
# start with SIGINT ignored, so the launcher restores its default and makes a session of its own first.
run_once() {
  local signal=$1 log start pid elapsed apphost dcp pids stop_start stopped state cpu
  log=$(mktemp)
  start=$(date +%s.%N)
  python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])' \
    $CMD >"$log" 2>&1 &
  pid=$!
  until grep -q "resources healthy" "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the AppHost exited before it was healthy:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.05
  done
  elapsed=$(echo "$(date +%s.%N) - $start" | bc)
  apphost=$(ps -o pid= --ppid "$pid" | head -1 | tr -d ' ')
  pids="$pid $(descendants "$pid")"
  for dcp in $(pgrep -f -- "--monitor $apphost( |$)" || true); do pids="$pids $dcp $(descendants "$dcp")"; done
  cpu=$(cpu_of $pids)
  [ "${BREAKDOWN:-}" = 1 ] && breakdown $pids >&2
  stop_start=$(date +%s.%N)
  kill -"$signal" -- "-$pid"
  while :; do
    stopped=1
    for p in $pids; do alive "$p" && { stopped=0; break; }; done
    [ $stopped = 1 ] && break
    if [ "$(echo "$(date +%s.%N) - $stop_start > 60" | bc)" = 1 ]; then
      echo "still running 60 s after SIGTERM:" >&2
      for p in $pids; do alive "$p" && ps -o pid=,args= -p "$p" >&2; done
      exit 1
    fi
    sleep 0.05
  done
  stop=$(echo "$(date +%s.%N) - $stop_start" | bc)
  wait "$pid" || true
  state=$("$PG_BIN/pg_controldata" "$AppHost__DataDirectory/pg" | sed -n 's/^Database cluster state: *//p')
  rm -f "$log"
  printf '%.1f %.1f %s %.1f\n' "$elapsed" "$stop" "${state// /-}" "$cpu"
}

echo "warm-up: $(run_once TERM) (start s, stop s, postgres state, CPU s; includes initdb when the data folder is new)" >&2
starts=(); stops=(); cpus=()
for i in $(seq 1 "$RUNS"); do
  signal=$([ $((i % 2)) = 1 ] && echo INT || echo TERM)
  read -r t s state c < <(run_once "$signal")
  echo "run $i: healthy after $t s ($c CPU-s), SIG$signal: stopped in $s s, postgres $state   (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  starts+=("$t"); stops+=("$s"); cpus+=("$c")
  [ "$state" = "shut-down" ] || { echo "Postgres was not shut down cleanly: $state" >&2; exit 1; }
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "command: $CMD"
echo "start runs: ${starts[*]}; CPU-seconds at healthy: ${cpus[*]}; stop runs (SIGINT, SIGTERM alternately): ${stops[*]}"
echo "median of $RUNS: healthy after $(median "${starts[@]}") s ($(median "${cpus[@]}") CPU-s), stopped in $(median "${stops[@]}") s, Postgres shut down cleanly   (load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
