-- The audit trail: who did what, when, from where; kept 7 years and immutable meanwhile. Append-only and
-- tamper-evident: every record carries the SHA-256 of its canonical content and of its predecessor's hash.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE IF NOT EXISTS audit.log (
    id              bigint      PRIMARY KEY,           -- 1, 2, 3 … assigned under the chain-head lock, no gaps
    occurred_at     timestamptz NOT NULL,
    actor           text        NOT NULL,              -- key id and name, or a system component
    role            text        NOT NULL,
    action          text        NOT NULL,
    target          text,
    conversation_id text,
    source_ip       text,
    trace_id        text,
    details         text        NOT NULL,              -- canonical JSON exactly as hashed; never personal data
    prev_hash       text        NOT NULL,
    hash            text        NOT NULL
);

CREATE INDEX IF NOT EXISTS log_conversation_idx ON audit.log (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS log_occurred_at_idx ON audit.log (occurred_at);

-- One row that every append locks (SELECT … FOR UPDATE), so concurrent appends from any number of gateways
-- form one chain and never fork. After a retention purge the anchor is the last purged record: the first
-- remaining record links to it.
CREATE TABLE IF NOT EXISTS audit.chain_head (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id     bigint  NOT NULL,
    last_hash   text    NOT NULL,
    anchor_id   bigint  NOT NULL,
    anchor_hash text    NOT NULL
);
INSERT INTO audit.chain_head VALUES (true, 0, repeat('0', 64), 0, repeat('0', 64)) ON CONFLICT DO NOTHING;

-- UPDATE, DELETE and TRUNCATE are refused; only audit.purge_before (retention) may delete, and only a prefix.
CREATE OR REPLACE FUNCTION audit.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('audit.purging', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit.log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS log_append_only ON audit.log;
CREATE TRIGGER log_append_only BEFORE UPDATE OR DELETE ON audit.log
    FOR EACH ROW EXECUTE FUNCTION audit.reject_change();
DROP TRIGGER IF EXISTS log_no_truncate ON audit.log;
CREATE TRIGGER log_no_truncate BEFORE TRUNCATE ON audit.log
    FOR EACH STATEMENT EXECUTE FUNCTION audit.reject_change();

-- Retention: removes the records older than cutoff (the oldest prefix of the chain) and moves the anchor, so
-- the remaining chain still verifies. SECURITY DEFINER: in a deployment where the application role has no
-- DELETE on audit.log, this function (owned by the schema owner) is the only way to remove audit records.
CREATE OR REPLACE FUNCTION audit.purge_before(cutoff timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $$
DECLARE
    last_purged_id   bigint;
    last_purged_hash text;
    purged           bigint;
BEGIN
    PERFORM 1 FROM audit.chain_head FOR UPDATE;
    SELECT id, hash INTO last_purged_id, last_purged_hash
        FROM audit.log WHERE occurred_at < cutoff ORDER BY id DESC LIMIT 1;
    IF last_purged_id IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM set_config('audit.purging', 'on', true);
    DELETE FROM audit.log WHERE id <= last_purged_id;
    GET DIAGNOSTICS purged = ROW_COUNT;
    PERFORM set_config('audit.purging', 'off', true);
    UPDATE audit.chain_head SET anchor_id = last_purged_id, anchor_hash = last_purged_hash;
    RETURN purged;
END $$;
