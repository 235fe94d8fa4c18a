#!/usr/bin/env bash
# The services' own start-up in CPU-seconds, which the machine's load hardly changes: each service started alone,
# as DCP starts it, against a throwaway Postgres and an OTLP sink; CPU-seconds of its process tree at "listening"
# and at the first /health 200 (bench/lib/service-start-cpu.py). Compares variants run interleaved, e.g. two trees
# (a built copy of another commit), the launch (`run` = dotnet run --no-build, `exec` = dotnet <dll>) or runtime
# settings:
#
#   bench/service-startup-cpu.sh                                   # this tree, as DCP launches it
#   RUNS=5 SERVICES=gateway bench/service-startup-cpu.sh old:/tmp/old:run new:.:run new-pgo-off:.:run:DOTNET_TieredPGO=0
#
# Build the trees first (dotnet build VoiceAnalytics.AppHost). Prints one line per run and the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/throwaway-postgres.sh

RUNS=${RUNS:-3}
SERVICES=${SERVICES:-gateway,analysis,crm}
[ $# -gt 0 ] || set -- "this:.:run"
work=$(mktemp -d /tmp/service-start-cpu.XXXXXX)
sink_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { [ -n "${sink_pid:-}" ] && kill "$sink_pid" 2>/dev/null; pg_stop; rm -rf "$work"; }
trap cleanup EXIT

pg_start "$work"
psql_ -c "CREATE DATABASE voicedb"
python3 bench/lib/otlp-sink.py "$sink_port" "$work/sink.txt" >/dev/null 2>&1 &
sink_pid=$!

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
python3 bench/lib/service-start-cpu.py "$PG_PORT" "$sink_port" "$work" "$RUNS" "$SERVICES" "$@"
echo "(load average after: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
