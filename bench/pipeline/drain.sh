#!/usr/bin/env bash
# What one conversation costs the consumers: the gateway, analysis and CRM services run as plain processes (Release,
# Development environment as under the AppHost, offline analyzer, Markdown CRM mirror) on a throwaway Postgres
# (fsync on, pg_stat_statements loaded), every service exporting all its telemetry over OTLP/HTTP to a counting sink
# (bench/lib/otlp-sink.py) with the AppHost's export intervals. Ports are free ones, never the AppHost's 5080/18888.
#   1. warm-up: WARMUP_N webhooks posted and drained (JIT, pools, caches);
#   2. the analysis and CRM processes are stopped (SIGSTOP) while the gateway takes N webhooks: a fixed backlog;
#   3. they are continued (SIGCONT) and the drain is timed until every webhook of the backlog is exported.
# Reported per conversation of the drain: CPU ms of analysis, CRM and Postgres (from /proc), statements and
# transactions (pg_stat_statements, pg_stat_database), spans and log records sent to OTLP, and the drain rate.
# The rate depends on what else runs on the machine; the per-conversation counts and CPU do much less.
#
#   bench/pipeline/drain.sh                  # N=4000 WARMUP_N=1000
#   NO_BUILD=1 PERF_OUT=/tmp/drain.perf bench/pipeline/drain.sh   # plus a perf profile of both consumers' drain
#   KEEP=1 ...                               # keep the work folder (reports, logs) and print its path
#   BINARIES=/tmp/old-build NO_BUILD=1 ...   # services from another build's copy of <project>/bin/Release (old vs new)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${N:-4000}"
WARMUP_N="${WARMUP_N:-1000}"
POST_RATE="${POST_RATE:-400}"
DRAIN_TIMEOUT_S="${DRAIN_TIMEOUT_S:-600}"
WORK="$(mktemp -d /tmp/va-drain-XXXXXX)"
SECRET="bench-secret-$RANDOM"
PG_EXTRA_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
source "$ROOT/bench/lib/throwaway-postgres.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GW_PORT="$(free_port)"; AN_HTTP="$(free_port)"; AN_GRPC="$(free_port)"; CRM_HTTP="$(free_port)"; CRM_GRPC="$(free_port)"; OTLP_PORT="$(free_port)"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop
  if [ -n "${KEEP:-}" ]; then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [ -z "${NO_BUILD:-}" ]; then
  echo "== build (Release)"
  for project in Gateway/Gateway.csproj AnalysisService/AnalysisService.csproj CrmService/CrmService.csproj bench/gateway/GatewayLoad.csproj; do
    dotnet build -c Release "$ROOT/$project" -nologo -v q >/dev/null
  done
fi
LOAD="env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet $ROOT/bench/gateway/bin/Release/net10.0/GatewayLoad.dll"

pg_start "$WORK"
psql_ -c "CREATE DATABASE voicebench"
psql_ -d voicebench -c "CREATE EXTENSION pg_stat_statements"
python3 "$ROOT/bench/lib/otlp-sink.py" "$OTLP_PORT" "$WORK/otlp.txt" &
SINK_PID=$!; PIDS+=("$SINK_PID")

# What the AppHost gives every service in Development: the OTLP endpoint and the dashboard's short export intervals.
WXE=1; [ -n "${PERF_OUT:-}" ] && WXE=0
common=(ConnectionStrings__voicedb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=voicebench"
  ASPNETCORE_ENVIRONMENT=Development OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
  OTEL_EXPORTER_OTLP_TIMEOUT=2000 OTEL_BSP_SCHEDULE_DELAY=1000 OTEL_BLRP_SCHEDULE_DELAY=1000 OTEL_METRIC_EXPORT_INTERVAL=1000
  OTEL_METRICS_EXEMPLAR_FILTER=trace_based DOTNET_PerfMapEnabled="${PERF_OUT:+1}" DOTNET_EnableWriteXorExecute="$WXE"
  # Every method compiled once, optimised, when first called (during the warm-up): on a busy machine tiered
  # compilation keeps recompiling through the drain and was a third of the consumers' samples. TIERED=1 keeps it.
  DOTNET_TieredCompilation="${TIERED:-0}")
start() { # name dll env...
  local name=$1 dll=$2; shift 2
  local path="${BINARIES:-$ROOT}/$dll"
  # The content root is the build output (appsettings.json, as under the AppHost); files the service writes by
  # relative path land in a folder of its own.
  mkdir -p "$WORK/$name"
  (cd "$WORK/$name" && exec env "${common[@]}" OTEL_SERVICE_NAME="$name" ASPNETCORE_CONTENTROOT="$(dirname "$path")" "$@" \
    dotnet "$path" >"$WORK/$name.log" 2>&1) &
  PIDS+=("$!")
}
start crm CrmService/bin/Release/net10.0/VoiceAnalytics.CrmService.dll \
  Kestrel__Endpoints__http__Url="http://127.0.0.1:$CRM_HTTP" Kestrel__Endpoints__grpc__Url="http://127.0.0.1:$CRM_GRPC" CRM_MD_PATH="$WORK/markdown/crm.md" \
  services__analysis__grpc__0="http://127.0.0.1:$AN_GRPC"
CRM_PID=$!
start analysis AnalysisService/bin/Release/net10.0/VoiceAnalytics.AnalysisService.dll \
  Kestrel__Endpoints__http__Url="http://127.0.0.1:$AN_HTTP" Kestrel__Endpoints__grpc__Url="http://127.0.0.1:$AN_GRPC" \
  services__crm__grpc__0="http://127.0.0.1:$CRM_GRPC"
ANALYSIS_PID=$!
start gateway Gateway/bin/Release/net10.0/VoiceAnalytics.Gateway.dll \
  Kestrel__Endpoints__http__Url="http://127.0.0.1:$GW_PORT" WEBHOOK_SECRET="$SECRET" WEBHOOK_RATE_LIMIT_PER_MINUTE=0 \
  WEBHOOK_SPOOL_PATH="$WORK/spool/events.jsonl" services__analysis__grpc__0="http://127.0.0.1:$AN_GRPC" services__crm__grpc__0="http://127.0.0.1:$CRM_GRPC"
for url in "http://127.0.0.1:$GW_PORT/health" "http://127.0.0.1:$AN_HTTP/health" "http://127.0.0.1:$CRM_HTTP/health"; do
  for _ in $(seq 1 300); do curl -fs "$url" >/dev/null 2>&1 && break; sleep 0.3; done
  curl -fs "$url" >/dev/null || { echo "not healthy: $url"; tail -20 "$WORK"/*.log; exit 1; }
done
echo "== services healthy (gateway $GW_PORT, analysis $AN_HTTP/$AN_GRPC, crm $CRM_HTTP/$CRM_GRPC, OTLP sink $OTLP_PORT)"

db() { psql_ -d voicebench -c "$1"; }
exported() { db "SELECT count(*) FROM crm.exports WHERE state = 'done' AND conversation_id LIKE 'conv_bench_$1_%'"; }
received() { db "SELECT count(*) FROM ingest.webhook_events WHERE conversation_id LIKE 'conv_bench_$1_%'"; }
wait_exported() { # run want -> seconds
  local start; start=$(date +%s.%N)
  until [ "$(exported "$1")" -ge "$2" ]; do
    if [ "$(echo "$(date +%s.%N) - $start > $DRAIN_TIMEOUT_S" | bc)" = 1 ]; then echo "timeout"; return; fi
    sleep 0.2
  done
  printf '%.2f\n' "$(echo "$(date +%s.%N) - $start" | bc)"
}
post() { # run count
  local seconds=$(( ($2 + POST_RATE - 1) / POST_RATE ))
  $LOAD load --url "http://127.0.0.1:$GW_PORT" --secret "$SECRET" --connections 16 --seconds "$seconds" --warmup 0 --rate "$POST_RATE" --run-id "$1" >"$WORK/load-$1.txt"
}

echo "== warm-up: $WARMUP_N webhooks, drained"
post warm "$WARMUP_N"
echo "   drained in $(wait_exported warm "$(received warm)") s"

echo "== backlog: analysis and CRM stopped while the gateway takes $N webhooks"
kill -STOP "$ANALYSIS_PID" "$CRM_PID"
post backlog "$N"
WANT="$(received backlog)"
sleep 3  # the gateway's last spans and logs reach the sink before it is zeroed
db "SELECT pg_stat_statements_reset(); SELECT pg_stat_reset();" >/dev/null
kill -USR1 "$SINK_PID"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
PG_MAIN="$(head -1 "$PG_DIR/postmaster.pid")"
pg_ticks() { # the postmaster, its live children, and its reaped children's time
  local total; total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$PG_MAIN/stat")
  for child in $(ps -o pid= --ppid "$PG_MAIN"); do total=$(( total + $(cpu_ticks "$child" 2>/dev/null || echo 0) )); done
  echo "$total"
}
A0=$(cpu_ticks "$ANALYSIS_PID"); C0=$(cpu_ticks "$CRM_PID"); P0=$(pg_ticks)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== drain: $WANT webhooks"
if [ -n "${PERF_OUT:-}" ]; then
  perf record -F 499 -g -p "$ANALYSIS_PID,$CRM_PID" -o "$PERF_OUT" >/dev/null 2>&1 &
  PERF_PID=$!
fi
kill -CONT "$ANALYSIS_PID" "$CRM_PID"
DRAIN_S="$(wait_exported backlog "$WANT")"
[ -n "${PERF_OUT:-}" ] && { kill -INT "$PERF_PID" 2>/dev/null || true; wait "$PERF_PID" || true; }
[ -n "${PERF_OUT:-}" ] && perf script -i "$PERF_OUT" -F comm,pid,ip,sym 2>/dev/null \
  | python3 "$ROOT/bench/lib/perf-buckets.py" consumers "$ANALYSIS_PID=analysis" "$CRM_PID=crm" >"$WORK/perf-buckets.txt"
A1=$(cpu_ticks "$ANALYSIS_PID"); C1=$(cpu_ticks "$CRM_PID"); P1=$(pg_ticks)
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
sleep 3  # the last batch of spans and logs
db "SELECT calls, rows, regexp_replace(left(query, 110), '\s+', ' ', 'g') FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'voicebench') ORDER BY calls DESC" >"$WORK/statements.txt"
XACTS="$(db "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'voicebench'")"
kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true

echo "== checks"
db "SELECT 'analyses per event: ' || coalesce(max(c), 0) FROM (SELECT count(*) c FROM analysis.analyses a JOIN ingest.webhook_events e ON e.id = a.event_id WHERE e.conversation_id LIKE 'conv_bench_backlog_%' GROUP BY a.event_id) t"
db "SELECT 'export attempts per conversation: ' || min(c) || '..' || max(c) FROM (SELECT count(*) c FROM crm.export_attempts WHERE conversation_id LIKE 'conv_bench_backlog_%' GROUP BY conversation_id) t"
echo "Markdown sections of the backlog: $(grep -c '^<!-- conversation: conv_bench_backlog_' "$WORK/markdown/crm.md" || true) (of $WANT)"

echo "== summary ($(nproc) cores; load average $LOAD_BEFORE before the drain, $LOAD_AFTER after)"
HZ=$(getconf CLK_TCK)
python3 - "$WANT" "$DRAIN_S" "$((A1 - A0))" "$((C1 - C0))" "$((P1 - P0))" "$HZ" "$XACTS" "$WORK/statements.txt" "$WORK/otlp.txt" <<'PY'
import sys, re, collections
n, drain, a, c, p, hz, xacts, statements, otlp = int(sys.argv[1]), sys.argv[2], *map(int, sys.argv[3:7]), int(sys.argv[7]), sys.argv[8], sys.argv[9]
print(f"backlog {n} drained in {drain} s = {n / float(drain):.0f} conversations/s" if drain != "timeout" else "DRAIN TIMEOUT")
for name, ticks in (("analysis", a), ("crm", c), ("postgres", p)):
    print(f"CPU per conversation, {name:9}: {ticks / hz * 1000 / n:6.2f} ms")
rows = [line.split("|", 2) for line in open(statements) if line.strip()]
total = sum(int(r[0]) for r in rows)
print(f"statements per conversation: {total / n:.1f}; transactions per conversation: {xacts / n:.1f}")
for calls, _, query in rows[:25]:
    print(f"  {int(calls) / n:6.2f}  {query.strip()}")
spans, logs, lines = collections.Counter(), collections.Counter(), open(otlp).read().splitlines()
for line in lines:
    if line.startswith("/"):
        size = int(re.search(r"bytes=(\d+)", line).group(1))
        print(f"OTLP {line}  ({size / n:.0f} bytes per conversation)")
print("spans per conversation (service, name, root or child):")
for line in lines:
    if line.startswith("span "):
        count = int(re.search(r"count=(\d+)", line).group(1))
        print(f"  {count / n:6.2f}  {line.split(' ', 2)[2]}")
print("log records per conversation (service, category, severity):")
for line in lines:
    if line.startswith("log "):
        count = int(re.search(r"count=(\d+)", line).group(1))
        print(f"  {count / n:6.2f}  {line.split(' ', 2)[2]}")
PY
if [ -n "${PERF_OUT:-}" ]; then
  echo "== where the consumers' CPU went during the drain (perf samples, inclusive buckets: bench/lib/perf-buckets.py consumers)"
  cat "$WORK/perf-buckets.txt"
fi
