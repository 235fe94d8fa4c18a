-- The audit trail hardened against someone who can write to the database.
--
-- Records appended from now on carry an HMAC-SHA256 under a key the database never holds (the gateway's
-- Audit:ChainKey), so a rewritten record cannot be re-hashed into a chain that verifies. Records written
-- before this migration keep their SHA-256 hashes: they are sealed by the first keyed record, whose HMAC
-- covers its predecessor's hash. legacy_last_id marks that boundary and never moves.
ALTER TABLE audit.chain_head ADD COLUMN IF NOT EXISTS legacy_last_id bigint;
UPDATE audit.chain_head SET legacy_last_id = last_id WHERE legacy_last_id IS NULL;
ALTER TABLE audit.chain_head ALTER COLUMN legacy_last_id SET NOT NULL;

-- Names this chain, so a checkpoint kept outside the database is only ever compared with the chain it was
-- taken from (a database recreated from scratch starts a new chain and new checkpoints).
ALTER TABLE audit.chain_head ADD COLUMN IF NOT EXISTS chain_id uuid NOT NULL DEFAULT gen_random_uuid();

-- When the last purged record was written, so a verifier can tell a retention purge from an early one.
ALTER TABLE audit.chain_head ADD COLUMN IF NOT EXISTS anchor_at timestamptz;

-- Signed checkpoints: after each successful verification the gateway records how far the chain verified,
-- with an HMAC under the chain key. The next verification starts there, and a checkpoint that no longer
-- matches the chain (records removed, the head moved back, a purge of records younger than the retention)
-- is reported. Each checkpoint is also written to the gateway's log, outside the database.
CREATE TABLE IF NOT EXISTS audit.checkpoints (
    id             bigserial   PRIMARY KEY,
    created_at     timestamptz NOT NULL,
    chain_id       uuid        NOT NULL,
    last_id        bigint      NOT NULL,
    last_hash      text        NOT NULL,
    last_at        timestamptz,
    anchor_id      bigint      NOT NULL,
    legacy_last_id bigint      NOT NULL,
    mac            text        NOT NULL
);

-- Deletes happen through audit.purge_expired alone. It proves that it is the caller by a row in this table,
-- which only the schema owner can write; a session setting (which any session can set) no longer opens the
-- trigger.
CREATE TABLE IF NOT EXISTS audit.purge_in_progress (
    txid bigint PRIMARY KEY
);
REVOKE ALL ON audit.purge_in_progress FROM PUBLIC;

CREATE OR REPLACE FUNCTION audit.reject_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit.purge_in_progress WHERE txid = txid_current()) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit.log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

-- ALWAYS: the triggers fire under session_replication_role = replica too.
ALTER TABLE audit.log ENABLE ALWAYS TRIGGER log_append_only;
ALTER TABLE audit.log ENABLE ALWAYS TRIGGER log_no_truncate;

-- The head moves forward only: appends raise last_id, purges raise the anchor, the legacy boundary and the
-- chain id are fixed.
CREATE OR REPLACE FUNCTION audit.head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.last_id < OLD.last_id OR NEW.anchor_id < OLD.anchor_id OR NEW.legacy_last_id <> OLD.legacy_last_id
       OR NEW.chain_id <> OLD.chain_id THEN
        RAISE EXCEPTION 'audit.chain_head only moves forward' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS chain_head_forward_only ON audit.chain_head;
CREATE TRIGGER chain_head_forward_only BEFORE UPDATE ON audit.chain_head
    FOR EACH ROW EXECUTE FUNCTION audit.head_forward_only();
ALTER TABLE audit.chain_head ENABLE ALWAYS TRIGGER chain_head_forward_only;
DROP TRIGGER IF EXISTS chain_head_no_delete ON audit.chain_head;
CREATE TRIGGER chain_head_no_delete BEFORE DELETE OR TRUNCATE ON audit.chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit.reject_change();
ALTER TABLE audit.chain_head ENABLE ALWAYS TRIGGER chain_head_no_delete;

-- The old purge took any cutoff, even one in the future, and anyone could call it.
DROP FUNCTION IF EXISTS audit.purge_before(timestamptz);

-- Retention: removes the records older than retention_days before the database's own clock (never fewer than
-- 365 days, whatever the caller asks) and moves the anchor, so the remaining chain still verifies.
CREATE OR REPLACE FUNCTION audit.purge_expired(retention_days integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $$
DECLARE
    last_purged_id   bigint;
    last_purged_hash text;
    last_purged_at   timestamptz;
    purged           bigint;
BEGIN
    IF retention_days IS NULL OR retention_days < 365 THEN
        RAISE EXCEPTION 'audit records are kept at least 365 days, not %', retention_days USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM 1 FROM audit.chain_head FOR UPDATE;
    SELECT id, hash, occurred_at INTO last_purged_id, last_purged_hash, last_purged_at
        FROM audit.log WHERE occurred_at < now() - make_interval(days => retention_days) ORDER BY id DESC LIMIT 1;
    IF last_purged_id IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO audit.purge_in_progress VALUES (txid_current()) ON CONFLICT DO NOTHING;
    DELETE FROM audit.log WHERE id <= last_purged_id;
    GET DIAGNOSTICS purged = ROW_COUNT;
    DELETE FROM audit.purge_in_progress WHERE txid = txid_current();
    UPDATE audit.chain_head SET anchor_id = last_purged_id, anchor_hash = last_purged_hash, anchor_at = last_purged_at;
    DELETE FROM audit.checkpoints WHERE last_id < last_purged_id
        AND id < (SELECT max(id) FROM audit.checkpoints);
    RETURN purged;
END $$;

-- SECURITY DEFINER functions run with their owner's rights: nobody but the owner (the migrating role) calls them.
REVOKE EXECUTE ON FUNCTION audit.purge_expired(integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION audit.reject_change() FROM PUBLIC;
