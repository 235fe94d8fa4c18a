#!/usr/bin/env bash
# Per-run cost of the gateway's background steps against an empty history and a long one, in the same run.
#
# Two databases on one throwaway PostgreSQL cluster get the gateway's real migrations (Gateway/Data/Migrations);
# one of them then gets a history of HISTORY rows in each table the steps read (events, recordings, lineage,
# audit records, audit checkpoints, erasure tombstones). Each round prepares the same NEW items in both (untimed) and times the
# step's statements in each, alternating, so both see the same machine load; the ratio history/empty is what
# counts. The statements are the ones the code runs (file named beside each), with the client's work (HMACs,
# decryption) left out: it is per item, the same in both databases; what could grow with history is the SQL.
#
# Usage: bench/history/run.sh [history rows, default 100000] [rounds, default 5]
#        WITHOUT=160_ bench/history/run.sh      # without the migration that gave the steps their indexes
#        EXPLAIN=1 bench/history/run.sh         # the plans instead of timings (EXPLAIN_DB=empty: the empty one's)
#        STEPS="phone audit" TRACE=1 bench/history/run.sh 2000 2   # some steps, each statement's time on stderr
set -euo pipefail
HISTORY=${1:-100000}
ROUNDS=${2:-5}
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../lib/throwaway-postgres.sh
source "$ROOT/bench/lib/throwaway-postgres.sh"
WORK="$(mktemp -d /tmp/history-bench.XXXXXX)"
trap 'pg_stop; rm -rf "$WORK"' EXIT
pg_start "$WORK"

# Commits are not waited for (synchronous_commit off in the bench's sessions): the WAL flush is a constant of each
# run, several times the statements' own cost on a loaded machine, and would hide the part that grows.
export PGOPTIONS='-c client_min_messages=warning -c synchronous_commit=off'
db() { local name=$1; shift; psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$name" -v ON_ERROR_STOP=1 -qAt "$@"; }

for name in empty history; do
  psql_ -c "CREATE DATABASE $name"
  db "$name" -c "CREATE SCHEMA ingest; CREATE SCHEMA audit; CREATE SCHEMA auth;"
  for file in $(ls "$ROOT"/Gateway/Data/Migrations/*.sql | sort); do
    # WITHOUT=<migration name prefix> leaves one out, to measure the steps as they were before it.
    if [ -n "${WITHOUT:-}" ] && [[ "$(basename "$file")" == "$WITHOUT"* ]]; then echo "(without $(basename "$file"))"; continue; fi
    db "$name" -f "$file" >/dev/null
  done
done

echo "== history: $HISTORY rows in each table"
db history <<SQL
-- Events of the past year (within the transcript retention), each with its keyed phone hash (computed at ingest),
-- a recording (within the recording retention: 30 days), a lineage record whose source address is hashed
-- already; the audit trail of the same period, and a checkpoint per verification.
INSERT INTO ingest.webhook_events (event_type, event_timestamp, agent_id, conversation_id, payload, trace_parent, received_at, phone_hash)
SELECT 'post_call_transcription', 1767607331, 'agent_old', 'conv_old_' || g, '{"sealed": "x"}', NULL,
       now() - interval '300 days' + g * interval '1 minute' * 250000 / $HISTORY, md5(g::text)
FROM generate_series(1, $HISTORY) g;
INSERT INTO ingest.recordings (event_id, conversation_id, content_type, byte_length, audio, created_at)
SELECT id, conversation_id, 'audio/mpeg', 16, '\x00112233445566778899aabbccddeeff', now() - (id % 29) * interval '1 day' - interval '1 hour'
FROM ingest.webhook_events;
INSERT INTO ingest.lineage (conversation_id, kind, occurred_at, event_id, event_type, source_address, source_address_hashed_at)
SELECT conversation_id, 'stored', received_at, id, event_type, 'hmac:' || md5(id::text), received_at + interval '7 days' FROM ingest.webhook_events;
INSERT INTO audit.log (id, occurred_at, actor, role, action, target, details, prev_hash, hash)
SELECT g, now() - interval '300 days' + g * interval '1 minute' * 250000 / $HISTORY, 'key_ops', 'operator', 'conversation.read', 'conv_old_' || g, '{}',
       md5((g - 1)::text), md5(g::text)
FROM generate_series(1, $HISTORY) g;
UPDATE audit.chain_head SET last_id = $HISTORY, last_hash = md5('$HISTORY');
INSERT INTO audit.checkpoints (created_at, chain_id, last_id, last_hash, last_at, anchor_id, legacy_last_id, mac)
SELECT now(), (SELECT chain_id FROM audit.chain_head), g, md5(g::text), now(), 0, 0, 'mac' FROM generate_series(1, $HISTORY) g;
INSERT INTO ingest.erased_conversations (conversation_hash, erased_at)
SELECT md5('conv_erased_' || g), now() - interval '200 days' FROM generate_series(1, $HISTORY) g;
SQL
for name in empty history; do db "$name" -c "VACUUM ANALYZE"; done

# Times one step's statements (stdin, with \timing) in one database; prints the sum in ms.
timed() { { echo '\timing on'; cat; } | db "$1" | { if [ "${TRACE:-0}" = 1 ]; then tee >(sed "s/^/[$1 ${step:-}] /" >&2); else cat; fi; } \
  | awk '/^Time: /{ms+=$2} END{printf "%.3f", ms}'; }

# Each step: "prepare <db> <round>" (untimed, SQL on stdout) and "run" (timed, SQL on stdout).
NEW_EVENTS=500
NEW_ITEMS=100

prepare_phone() { cat <<SQL
INSERT INTO ingest.webhook_events (event_type, conversation_id, payload, received_at)
SELECT 'post_call_transcription', 'conv_phone_$2_' || g,
       '{"data": {"metadata": {"phone_call": {"external_number": "+375291234567"}}}}', now()
FROM generate_series(1, $NEW_EVENTS) g;
SQL
}
# Gateway/Privacy/PhoneLookupIndexer.cs: batches of 500 until a batch comes back empty (here: one full, one empty).
run_phone() { cat <<'SQL'
BEGIN;
SELECT coalesce(string_agg(id::text, ','), '') AS ids FROM (
  SELECT id, coalesce(payload #>> '{data,metadata,phone_call,external_number}',
                      payload #>> '{data,conversation_initiation_client_data,dynamic_variables,system__caller_id}')
  FROM ingest.webhook_events WHERE phone_hash IS NULL
  ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED) batch \gset
UPDATE ingest.webhook_events e SET phone_hash = u.hash
FROM unnest(('{' || :'ids' || '}')::bigint[], array_fill(md5('x'), ARRAY[500])) AS u(id, hash) WHERE e.id = u.id;
COMMIT;
BEGIN;
SELECT id, coalesce(payload #>> '{data,metadata,phone_call,external_number}',
                    payload #>> '{data,conversation_initiation_client_data,dynamic_variables,system__caller_id}')
FROM ingest.webhook_events WHERE phone_hash IS NULL
ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED;
COMMIT;
SQL
}

prepare_idle() { :; }
# The same catch-up with nothing to index: what every gateway runs every 5 s, and before every search by phone.
run_idle() { cat <<'SQL'
BEGIN;
SELECT id, coalesce(payload #>> '{data,metadata,phone_call,external_number}',
                    payload #>> '{data,conversation_initiation_client_data,dynamic_variables,system__caller_id}')
FROM ingest.webhook_events WHERE phone_hash IS NULL
ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED;
COMMIT;
SQL
}

# A checkpoint at the head (the previous verification), then new records appended after it.
prepare_audit() { cat <<SQL
INSERT INTO audit.checkpoints (created_at, chain_id, last_id, last_hash, last_at, anchor_id, legacy_last_id, mac)
SELECT now(), chain_id, last_id, last_hash, now(), anchor_id, legacy_last_id, 'mac' FROM audit.chain_head;
INSERT INTO audit.log (id, occurred_at, actor, role, action, target, details, prev_hash, hash)
SELECT h.last_id + g, now(), 'key_ops', 'operator', 'conversation.read', 'conv_new', '{}', md5((h.last_id + g - 1)::text), md5((h.last_id + g)::text)
FROM audit.chain_head h, generate_series(1, $NEW_ITEMS) g;
UPDATE audit.chain_head SET last_id = last_id + $NEW_ITEMS, last_hash = md5((last_id + $NEW_ITEMS)::text);
SQL
}
# Gateway/Audit/AuditChainVerifier.cs and AuditCheckpointStore.cs: head, latest checkpoint, its record, the
# records after it, and the new checkpoint.
run_audit() { cat <<'SQL'
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT last_id, last_hash, anchor_id, anchor_hash, legacy_last_id, anchor_at, chain_id FROM audit.chain_head;
SELECT chain_id, created_at, last_id, last_hash, last_at, anchor_id, legacy_last_id, mac
FROM audit.checkpoints ORDER BY last_id DESC, id DESC LIMIT 1 \gset checkpoint_
SELECT hash FROM audit.log WHERE id = :checkpoint_last_id;
SELECT id, occurred_at, actor, role, action, target, conversation_id, source_ip, trace_id, details, prev_hash, hash
FROM audit.log WHERE id >= :checkpoint_last_id + 1 ORDER BY id;
COMMIT;
INSERT INTO audit.checkpoints (created_at, chain_id, last_id, last_hash, last_at, anchor_id, legacy_last_id, mac)
SELECT now(), chain_id, last_id, last_hash, now(), anchor_id, legacy_last_id, 'mac' FROM audit.chain_head;
SQL
}

# Expired events with a recording and a lineage record each (for retention), and lineage records whose source
# address is past its clear days (for the address step that follows).
prepare_retention() { cat <<SQL
WITH e AS (
  INSERT INTO ingest.webhook_events (event_type, conversation_id, payload, received_at, phone_hash)
  SELECT 'post_call_transcription', 'conv_expired_$2_' || g, '{}', now() - interval '400 days', ''
  FROM generate_series(1, $NEW_ITEMS) g RETURNING id, conversation_id, received_at)
, r AS (INSERT INTO ingest.recordings (event_id, conversation_id, content_type, byte_length, audio, created_at)
  SELECT id, conversation_id, 'audio/mpeg', 1, '\x00', received_at FROM e)
INSERT INTO ingest.lineage (conversation_id, kind, occurred_at, event_id, event_type, source_address)
SELECT conversation_id, 'stored', received_at, id, 'post_call_transcription', '203.0.113.7' FROM e;
INSERT INTO ingest.lineage (conversation_id, kind, occurred_at, event_id, event_type, source_address)
SELECT 'conv_recent_$2_' || g, 'received', now() - interval '8 days', 0, 'post_call_transcription', '203.0.113.7'
FROM generate_series(1, $NEW_ITEMS) g;
SQL
}
# Gateway/Privacy/RetentionPurger.cs: one run, the cutoffs at their defaults (transcripts 365 days, recordings
# 30, audit 7 years); the audit trail has nothing that old, so its purge only looks.
run_retention() { cat <<'SQL'
BEGIN;
DELETE FROM ingest.recordings WHERE created_at < now() - interval '30 days';
WITH d AS (DELETE FROM ingest.webhook_events WHERE received_at < now() - interval '365 days' RETURNING conversation_id)
SELECT coalesce(string_agg(conversation_id, ','), '') AS expired FROM d \gset
SELECT coalesce(string_agg(c, ','), '') AS gone FROM unnest(('{' || :'expired' || '}')::text[]) AS c
WHERE NOT EXISTS (SELECT 1 FROM ingest.webhook_events e WHERE e.conversation_id = c) \gset
DELETE FROM ingest.lineage WHERE conversation_id = ANY(('{' || :'gone' || '}')::text[]);
SELECT audit.purge_expired(2555);
COMMIT;
SQL
}

prepare_addresses() { :; }
# Gateway/Privacy/SourceAddressHasher.cs (batches of 1000): the addresses past their 7 clear days, then the
# empty batch that ends the loop. The retention step's preparation left them.
run_addresses() { cat <<'SQL'
BEGIN;
SELECT coalesce(string_agg(id::text, ','), '') AS ids FROM (
  SELECT id, source_address FROM ingest.lineage
  WHERE source_address IS NOT NULL AND source_address_hashed_at IS NULL AND occurred_at < now() - interval '7 days'
  ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED) batch \gset
UPDATE ingest.lineage l SET source_address = 'hmac:' || md5(l.source_address), source_address_hashed_at = now()
FROM unnest(('{' || :'ids' || '}')::bigint[]) AS u(id) WHERE l.id = u.id;
COMMIT;
SELECT id, source_address FROM ingest.lineage
WHERE source_address IS NOT NULL AND source_address_hashed_at IS NULL AND occurred_at < now() - interval '7 days'
ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED;
SQL
}

# Conversations to erase, each with an event, a recording and a lineage record.
prepare_erasure() { cat <<SQL
WITH e AS (
  INSERT INTO ingest.webhook_events (event_type, conversation_id, payload, received_at, phone_hash)
  SELECT 'post_call_transcription', 'conv_erase_$2_' || g, '{}', now(), '' FROM generate_series(1, $NEW_ITEMS) g
  RETURNING id, conversation_id, received_at)
, r AS (INSERT INTO ingest.recordings (event_id, conversation_id, content_type, byte_length, audio, created_at)
  SELECT id, conversation_id, 'audio/mpeg', 1, '\x00', received_at FROM e)
INSERT INTO ingest.lineage (conversation_id, kind, occurred_at, event_id, event_type, source_address)
SELECT conversation_id, 'stored', received_at, id, 'post_call_transcription', '203.0.113.7' FROM e;
SQL
}
# Gateway/Privacy/ConversationEraser.cs: the gateway's rows of the conversations and their tombstones, in one
# transaction (the owners erase theirs the same way, by conversation id, through their own RPCs).
run_erasure() { cat <<SQL
SELECT string_agg('conv_erase_$1_' || g, ',') AS conversations FROM generate_series(1, $NEW_ITEMS) g \gset
BEGIN;
DELETE FROM ingest.recordings WHERE conversation_id = ANY(('{' || :'conversations' || '}')::text[]);
DELETE FROM ingest.webhook_events WHERE conversation_id = ANY(('{' || :'conversations' || '}')::text[]);
DELETE FROM ingest.lineage WHERE conversation_id = ANY(('{' || :'conversations' || '}')::text[]);
INSERT INTO ingest.erased_conversations (conversation_hash)
SELECT md5(c) FROM unnest(('{' || :'conversations' || '}')::text[]) AS c ON CONFLICT DO NOTHING;
COMMIT;
SQL
}

if [ "${EXPLAIN:-0}" = 1 ]; then
  # The plans of the statements whose cost could grow with history, in the history database with one round's
  # new items in it (EXPLAIN=1 bench/history/run.sh).
  EXPLAIN_DB=${EXPLAIN_DB:-history}
  for step in phone audit retention erasure; do "prepare_$step" "$EXPLAIN_DB" 0 | db "$EXPLAIN_DB" >/dev/null; done
  db "$EXPLAIN_DB" <<'SQL'
\echo '-- phone catch-up'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM ingest.webhook_events WHERE phone_hash IS NULL ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED;
\echo '-- latest audit checkpoint'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM audit.checkpoints ORDER BY last_id DESC, id DESC LIMIT 1;
\echo '-- audit records after the checkpoint'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM audit.log WHERE id >= (SELECT last_id - 99 FROM audit.chain_head) ORDER BY id;
\echo '-- expired recordings'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM ingest.recordings WHERE created_at < now() - interval '30 days';
\echo '-- expired events'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM ingest.webhook_events WHERE received_at < now() - interval '365 days';
\echo '-- expired audit records'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id, hash, occurred_at FROM audit.log WHERE occurred_at < now() - make_interval(days => 2555) ORDER BY id DESC LIMIT 1;
\echo '-- source addresses past their clear days'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id, source_address FROM ingest.lineage
  WHERE source_address IS NOT NULL AND source_address_hashed_at IS NULL AND occurred_at < now() - interval '7 days'
  ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED;
\echo '-- lineage of gone conversations'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM ingest.lineage WHERE conversation_id = ANY('{conv_expired_0_1,conv_expired_0_2}'::text[]);
\echo '-- erasure (rolled back)'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) DELETE FROM ingest.recordings WHERE conversation_id = ANY('{conv_erase_0_1,conv_erase_0_2}'::text[]);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) DELETE FROM ingest.webhook_events WHERE conversation_id = ANY('{conv_erase_0_1,conv_erase_0_2}'::text[]);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) DELETE FROM ingest.lineage WHERE conversation_id = ANY('{conv_erase_0_1,conv_erase_0_2}'::text[]);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) INSERT INTO ingest.erased_conversations (conversation_hash)
  SELECT md5(c) FROM unnest('{conv_erase_0_1,conv_erase_0_2}'::text[]) AS c ON CONFLICT DO NOTHING;
ROLLBACK;
SQL
  exit 0
fi

echo "== $ROUNDS rounds; per round: $NEW_EVENTS new events to index, $NEW_ITEMS of everything else"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %12s %14s %8s\n' step "empty (ms)" "history (ms)" ratio
for step in ${STEPS:-phone idle audit retention addresses erasure}; do
  empty_ms=0; history_ms=0
  for round in $(seq 1 "$ROUNDS"); do
    for name in empty history; do
      "prepare_$step" "$name" "$round" | db "$name" >/dev/null
      # Statistics as autovacuum keeps them in a running system: the small database's would otherwise still say
      # "empty" after the earlier steps and rounds filled it, and its plans would be worse than the big one's.
      db "$name" -c "ANALYZE" >/dev/null
    done
    # Which database goes first alternates, so neither always finds the other's pages freshly cached.
    if [ $((round % 2)) = 1 ]; then
      t_empty=$("run_$step" "$round" | timed empty); t_history=$("run_$step" "$round" | timed history)
    else
      t_history=$("run_$step" "$round" | timed history); t_empty=$("run_$step" "$round" | timed empty)
    fi
    empty_ms=$(echo "$empty_ms + $t_empty" | bc -l); history_ms=$(echo "$history_ms + $t_history" | bc -l)
  done
  printf '%-22s %12.2f %14.2f %8.2f\n' "$step" "$(echo "$empty_ms / $ROUNDS" | bc -l)" "$(echo "$history_ms / $ROUNDS" | bc -l)" \
    "$(echo "$history_ms / $empty_ms" | bc -l)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
