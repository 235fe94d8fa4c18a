#!/usr/bin/env bash
# Time from the AppHost command to "All N resources healthy" (build already done), median of RUNS runs.
#
#   bench/apphost-startup.sh                       # dotnet run --no-build --project VoiceAnalytics.AppHost
#   CMD="dotnet run --project VoiceAnalytics.AppHost" bench/apphost-startup.sh   # includes the no-op build check
#
# The runs use their own data folder (.data/bench-apphost) so they do not touch your dev database; an unmeasured
# warm-up run creates the cluster first (initdb), so the measured runs are the everyday start.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
CMD=${CMD:-dotnet run --no-build --project VoiceAnalytics.AppHost}
export AppHost__DataDirectory=${AppHost__DataDirectory:-$PWD/.data/bench-apphost}
export AppHost__EchoResourceLogs=${AppHost__EchoResourceLogs:-false}

echo "building once (not measured)..." >&2
dotnet build VoiceAnalytics.AppHost -nologo -v q >/dev/null

# One run: prints the seconds from launch to the healthy summary, then stops the app with SIGTERM (a script's
# background jobs ignore SIGINT, so Ctrl+C cannot be imitated here; the AppHost handles both the same way).
run_once() {
  local log start pid elapsed
  log=$(mktemp)
  start=$(date +%s.%N)
  # setsid: a process group of its own, so the signal reaches dotnet run and the AppHost, as from a terminal.
  setsid $CMD >"$log" 2>&1 &
  pid=$!
  until grep -q "resources healthy in" "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the AppHost exited before it was healthy:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.05
  done
  elapsed=$(echo "$(date +%s.%N) - $start" | bc)
  kill -TERM -- "-$pid"
  wait "$pid" || true
  if grep -q "Cannot start" "$log"; then cat "$log" >&2; exit 1; fi
  rm -f "$log"
  printf '%.1f\n' "$elapsed"
}

echo "warm-up: $(run_once) s (includes initdb when the data folder is new)" >&2
times=()
for i in $(seq 1 "$RUNS"); do
  t=$(run_once)
  echo "run $i: $t s" >&2
  times+=("$t")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
echo "command: $CMD"
echo "runs: ${times[*]}"
echo "median of $RUNS: $median s   (load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
