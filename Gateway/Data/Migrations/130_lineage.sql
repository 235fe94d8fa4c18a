-- The gateway's own steps of a conversation's life (received, spooled, replayed, stored), written in the same
-- statement that stores the event, for the lineage report. A record outlives the event it names (no foreign key):
-- after an erasure it still tells that the event existed, and holds no personal data but the source address,
-- which the retention job replaces by its keyed hash after 7 days.
CREATE TABLE IF NOT EXISTS ingest.lineage (
    id                       bigserial   PRIMARY KEY,
    conversation_id          text        NOT NULL,
    kind                     text        NOT NULL CHECK (kind IN ('received', 'spooled', 'replayed', 'stored')),
    occurred_at              timestamptz NOT NULL,
    event_id                 bigint      NOT NULL,
    event_type               text        NOT NULL,
    source_address           text,
    source_address_hashed_at timestamptz,
    details                  jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX IF NOT EXISTS lineage_conversation_idx ON ingest.lineage (conversation_id, id);
CREATE INDEX IF NOT EXISTS lineage_address_in_clear_idx ON ingest.lineage (occurred_at)
    WHERE source_address IS NOT NULL AND source_address_hashed_at IS NULL;

-- A lineage record is immutable but for its source address, which is hashed once; deleting is retention's.
CREATE OR REPLACE FUNCTION ingest.lineage_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.conversation_id, NEW.kind, NEW.occurred_at, NEW.event_id, NEW.event_type, NEW.details)
       IS DISTINCT FROM (OLD.id, OLD.conversation_id, OLD.kind, OLD.occurred_at, OLD.event_id, OLD.event_type, OLD.details)
       OR OLD.source_address_hashed_at IS NOT NULL THEN
        RAISE EXCEPTION 'ingest.lineage records are immutable (only the source address is hashed, once)';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS lineage_immutable ON ingest.lineage;
CREATE TRIGGER lineage_immutable BEFORE UPDATE ON ingest.lineage FOR EACH ROW EXECUTE FUNCTION ingest.lineage_immutable();
