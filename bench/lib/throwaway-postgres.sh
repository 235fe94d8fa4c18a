# A throwaway PostgreSQL cluster for a benchmark, from the machine's binaries: durable defaults (fsync on,
# synchronous_commit on), shared_buffers 256 MB, 200 connections, trust auth on 127.0.0.1 only.
# Source it, then: pg_start <work dir>; psql_ -c "..."; pg_stop. Sets PG_PORT, PG_BIN, PGBENCH. PG_EXTRA_OPTIONS adds
# server options (e.g. "-c shared_preload_libraries=pg_stat_statements" to count statements per conversation).
# Postgres refuses to run as root, so as root the cluster runs as the postgres user.
PG_BIN="$(dirname "$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")"
PGBENCH="$(command -v pgbench || echo "$PG_BIN/pgbench")"
PG_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
PG_DIR=""

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

pg_start() {
  local work=$1
  PG_DIR="$work/pg"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$work"
  echo "== postgres (port $PG_PORT, fsync on, synchronous_commit on)"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$work/pg.log" -w \
    -o "-p $PG_PORT -k $work -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB ${PG_EXTRA_OPTIONS:-}" start >/dev/null
}

pg_stop() {
  [ -n "$PG_DIR" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
}
