#!/usr/bin/env bash
# One AppHost start, as a timeline: seconds from the command to each step of the start-up (build done first).
#
#   bench/apphost-timeline.sh                      # dotnet run --no-build --project VoiceAnalytics.AppHost
#   CMD="dotnet run --project VoiceAnalytics.AppHost" bench/apphost-timeline.sh
#
# The AppHost runs with its health checks traced (Aspire.Hosting.Health=Trace) and every resource's console
# output copied into its own (AppHost__ResourceLogs=console); each line is stamped when it reaches the AppHost's
# console, so a service's lines can lag its own clock by a few tenths of a second. Uses bench/apphost-startup.sh's
# data folder and the default ports (dashboard 18888, gateway 5080). KEEP=1 keeps the full log.
set -euo pipefail
cd "$(dirname "$0")/.."

CMD=${CMD:-dotnet run --no-build --project VoiceAnalytics.AppHost}
export AppHost__DataDirectory=${AppHost__DataDirectory:-$PWD/.data/bench-apphost}
export AppHost__ResourceLogs=console
log=$(mktemp)

echo "building once (not measured)..." >&2
dotnet build VoiceAnalytics.AppHost -nologo -v q >/dev/null

stamp='import sys, time
start = float(sys.argv[1])
for line in sys.stdin:
    sys.stdout.write("%7.2f %s" % (time.time() - start, line)); sys.stdout.flush()'
start=$(date +%s.%N)
# A session of its own (SIGINT restored, as in apphost-startup.sh), so the whole run stops with one signal.
python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])' \
  sh -c "env Logging__LogLevel__Aspire.Hosting.Health=Trace $CMD 2>&1 | python3 -u -c '$stamp' $start >>$log" &
pid=$!
until grep -q "resources healthy" "$log"; do
  kill -0 "$pid" 2>/dev/null || { echo "the AppHost exited before it was healthy:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.05
done
sleep 0.5
kill -INT -- "-$pid"
wait "$pid" || true

# "<seconds> <step>" for the first line of each step; a resource's lines follow a "<level>: <category>[id]" line.
awk '
  { t = $1; $1 = ""; line = substr($0, 2) }
  line ~ /^(info|warn|fail|dbug|trce): / { category = line; sub(/^[a-z]+: /, "", category); sub(/\[.*$/, "", category); next }
  function once(key, text) { if (!(key in seen)) { seen[key] = 1; printf "%7.2f  %s\n", t, text } }
  line ~ /Aspire AppHost version/                          { once("apphost", "AppHost running (dotnet run and the AppHost'\''s own start)") }
  line ~ /Starting health monitoring for resource .postgres-password/ { once("model", "model built, orchestrator (DCP) starting") }
  category ~ /Resources\.postgres$/ && line ~ /Starting process/ { once("pg-start", "postgres: process started") }
  category ~ /Resources\.postgres$/ && line ~ /ready to accept connections/ { once("pg-ready", "postgres: ready to accept connections") }
  category ~ /Resources\.aspire-dashboard$/ && line ~ /Now listening/ { once("dash", "dashboard: listening") }
  category ~ /Resources\.(gateway|analysis|crm)$/ {
    name = category; sub(/.*Resources\./, "", name)
    if (line ~ /Starting process/) once(name "-start", name ": process started")
    if (line ~ /Now listening/) once(name "-listen", name ": listening")
    if (line ~ /Schema [a-z_]+ migrated/) migrated[name] = t
  }
  line ~ /Health report status for .* is Healthy/ {
    name = line; sub(/.*for ./, "", name); sub(/. is Healthy.*/, "", name)
    once(name "-healthy", name ": reported healthy")
  }
  line ~ /resources healthy/ { once("all", line) }
  END { for (name in migrated) printf "%7.2f  %s\n", migrated[name], name ": migrations done (the last schema)" }
' "$log" | sort -n
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
if [ "${KEEP:-}" = 1 ]; then echo "full log: $log"; else rm -f "$log"; fi
