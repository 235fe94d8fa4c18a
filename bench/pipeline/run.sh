#!/usr/bin/env bash
# The whole app as a developer runs it (`dotnet run -c Release --project VoiceAnalytics.AppHost`: Aspire dashboard
# receiving every service's telemetry, offline analyzer, Markdown CRM mirror), on a throwaway Postgres (fsync on,
# synchronous_commit on) that pgbench also measures in the same run. Three phases:
#   1. pgbench: 32 clients, one ~5 KB single-row INSERT per transaction (into a copy of ingest.webhook_events);
#   2. ingest: the load generator's 32 connections as fast as the gateway acknowledges, while analysis and the CRM
#      consume; the ratio to pgbench, then how fast the backlog drains (exports/s) once the posting stops;
#   3. sustained: for each rate in RATES, webhooks at that fixed rate (open loop) for SUSTAIN_S seconds; the
#      backlog (received - exported) every 5 s, the time to drain after the last webhook, and webhook-to-export
#      latency p50/p99 from the database (crm.exports.exported_at - ingest.webhook_events.received_at).
# A rate "keeps up" when the backlog at the end of the posting is no larger than a few seconds of arrivals and it
# drains within 10 s.
#
#   bench/pipeline/run.sh                      # RATES="100 200 250 300" SUSTAIN_S=60 INGEST_S=15
#   NO_BUILD=1 RATES="250" bench/pipeline/run.sh
#   RATES="" bench/pipeline/run.sh             # pgbench and the ingest only (with its CPU split by program)
#
# Uses the AppHost's fixed ports (gateway 5080, dashboard 18888): no other AppHost may run on the machine.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RATES="${RATES-100 200 250 300}"
SUSTAIN_S="${SUSTAIN_S:-60}"
INGEST_S="${INGEST_S:-15}"
WARMUP_S="${WARMUP_S:-5}"
DRAIN_TIMEOUT_S="${DRAIN_TIMEOUT_S:-300}"
WORK="$(mktemp -d /tmp/va-pipebench-XXXXXX)"
SECRET="bench-secret-$RANDOM"
GATEWAY_URL="http://127.0.0.1:5080"
source "$ROOT/bench/lib/throwaway-postgres.sh"

APPHOST_PID=""
cleanup() {
  if [ -n "$APPHOST_PID" ] && kill -0 "$APPHOST_PID" 2>/dev/null; then
    kill -INT -- "-$APPHOST_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$APPHOST_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${NO_BUILD:-}" ]; then
  echo "== build (Release)"
  dotnet build -c Release "$ROOT/VoiceAnalytics.AppHost" -nologo -v q >/dev/null
  dotnet build -c Release "$ROOT/bench/gateway/GatewayLoad.csproj" -nologo -v q >/dev/null
fi
LOAD="env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet $ROOT/bench/gateway/bin/Release/net10.0/GatewayLoad.dll"

pg_start "$WORK"
psql_ -c "CREATE DATABASE voicebench"

echo "== AppHost (Release, external Postgres on port $PG_PORT)"
# In a session of its own (so SIGINT to its process group stops the AppHost, DCP and the services), with SIGINT
# restored (a script's background jobs start with it ignored). The launcher execs, so $! is the group's leader.
cd "$ROOT"
python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])' \
  env ConnectionStrings__voicedb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=voicebench" \
      AppHost__DataDirectory="$WORK/data" WEBHOOK_SECRET="$SECRET" WEBHOOK_RATE_LIMIT_PER_MINUTE=0 \
      dotnet run -c Release --no-build --project VoiceAnalytics.AppHost >"$WORK/apphost.log" 2>&1 &
APPHOST_PID=$!
for _ in $(seq 1 1200); do
  grep -q "resources healthy" "$WORK/apphost.log" && break
  kill -0 "$APPHOST_PID" 2>/dev/null || { echo "the AppHost exited:"; cat "$WORK/apphost.log"; exit 1; }
  sleep 0.1
done
grep -q "resources healthy" "$WORK/apphost.log" || { echo "not healthy after 120 s:"; cat "$WORK/apphost.log"; exit 1; }
echo "   all resources healthy"
# CONSUMER_NICE=19: the experiment of giving the consumers and the dashboard a lower CPU priority than the gateway
# (every thread of their processes reniced; threads they start later inherit it). Postgres is left alone.
if [ -n "${CONSUMER_NICE:-}" ]; then
  for pid in $(pgrep -f 'VoiceAnalytics\.(AnalysisService|CrmService)\.dll|Aspire\.Dashboard$' || true); do
    renice -n "$CONSUMER_NICE" -p $(ls "/proc/$pid/task") >/dev/null
  done
  echo "   analysis, crm and the dashboard reniced to $CONSUMER_NICE"
fi

db() { psql_ -d voicebench -c "$1"; }
received() { db "SELECT count(*) FROM ingest.webhook_events WHERE conversation_id LIKE 'conv_bench_$1_%'"; }
exported() { db "SELECT count(*) FROM crm.exports WHERE state = 'done' AND conversation_id LIKE 'conv_bench_$1_%'"; }
# Waits until every received webhook of run $1 is exported; prints the seconds it took.
drain() {
  local run=$1 start now got want
  start=$(date +%s.%N)
  want=$(received "$run")
  while :; do
    got=$(exported "$run")
    [ "$got" -ge "$want" ] && break
    if [ "$(echo "$(date +%s.%N) - $start > $DRAIN_TIMEOUT_S" | bc)" = 1 ]; then
      echo "DRAIN TIMEOUT: $got of $want exported after $DRAIN_TIMEOUT_S s" >&2; echo "timeout"; return
    fi
    sleep 0.5
  done
  now=$(date +%s.%N)
  printf '%.1f\n' "$(echo "$now - $start" | bc)"
}
latency() {
  db "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::text || ' / ' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::text
      FROM (SELECT extract(epoch FROM x.exported_at - e.received_at) * 1000 AS ms
            FROM crm.exports x JOIN ingest.webhook_events e ON e.conversation_id = x.conversation_id
            WHERE x.conversation_id LIKE 'conv_bench_$1_%' AND x.state = 'done') t"
}

echo "== pgbench: 32 clients, ${INGEST_S} s, one ~5 KB INSERT per transaction (into a copy of ingest.webhook_events)"
db "CREATE TABLE public.pgbench_events (LIKE ingest.webhook_events INCLUDING ALL)"
$LOAD pgbench-script "$WORK/insert.sql" >/dev/null
sed -i 's/INSERT INTO ingest.webhook_events/INSERT INTO public.pgbench_events/' "$WORK/insert.sql"
PG_TPS="$("$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c 32 -j 2 -T "$INGEST_S" -f "$WORK/insert.sql" voicebench 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)"
echo "   pgbench: $PG_TPS inserts/s"

echo "== ingest: 32 connections, ${WARMUP_S} s warm-up + ${INGEST_S} s, analysis and CRM consuming"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$ROOT/bench/lib/cpu-split.py" snapshot "$WORK/cpu-before"
INGEST_START=$(date +%s.%N)
INGEST_OUT="$($LOAD load --url "$GATEWAY_URL" --secret "$SECRET" --connections 32 --seconds "$INGEST_S" --warmup "$WARMUP_S" --run-id ingest)"
LOAD_DURING="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "$INGEST_OUT" | grep RESULT
echo "   where the CPU went during the ingest (warm-up included), by program:"
python3 "$ROOT/bench/lib/cpu-split.py" diff "$WORK/cpu-before" "$(echo "$(date +%s.%N) - $INGEST_START" | bc)"
GW_RATE="$(echo "$INGEST_OUT" | sed -n 's/.*gateway_rate=\([0-9.]*\).*/\1/p')"
BACKLOG=$(( $(received ingest) - $(exported ingest) ))
DRAIN_S="$(drain ingest)"
echo "   whole-app ingest $GW_RATE/s = $(python3 -c "print(f'{$GW_RATE/$PG_TPS:.2f}')") x pgbench (load $LOAD_BEFORE before, $LOAD_DURING during);" \
     "backlog $BACKLOG drained in $DRAIN_S s ($([ "$DRAIN_S" = timeout ] && echo "n/a" || python3 -c "print(round($BACKLOG / max($DRAIN_S, 0.1)))") exports/s)"

echo "== sustained: ${SUSTAIN_S} s at each of: $RATES webhooks/s"
printf '%-6s %-9s %-14s %-22s %-10s %-18s %s\n' rate sent "ack p50/p99" "backlog every 5 s" "drain s" "e2e p50/p99 ms" "load (1/5/15)"
for rate in $RATES; do
  run="r${rate}_$RANDOM"
  $LOAD load --url "$GATEWAY_URL" --secret "$SECRET" --connections 32 --seconds "$SUSTAIN_S" --warmup 0 --rate "$rate" --run-id "$run" >"$WORK/load-$run.txt" &
  load_pid=$!
  samples=""
  while kill -0 "$load_pid" 2>/dev/null; do
    sleep 5
    samples="$samples $(( $(received "$run") - $(exported "$run") ))"
  done
  wait "$load_pid" || echo "   (load generator reported errors)"
  result="$(grep RESULT "$WORK/load-$run.txt")"
  ack="$(echo "$result" | sed -n 's/.*p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1\/\2/p')"
  sent="$(received "$run")"
  loadavg="$(cut -d' ' -f1-3 /proc/loadavg)"
  drained="$(drain "$run")"
  printf '%-6s %-9s %-14s %-22s %-10s %-18s %s\n' "$rate" "$sent" "$ack" "${samples# }" "$drained" "$(latency "$run")" "$loadavg"
done
echo "== $(nproc) cores; gateway, analysis, crm, dashboard, Postgres and the load generator share them"
