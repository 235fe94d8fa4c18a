-- The background steps that run every few seconds or every day must cost what their new items cost, not what the
-- history costs: each finds its work through an index that holds only (or orders by) what it needs.

-- The phone lookup catch-up (every 5 s and before every search by phone) looks for events without a hash. Events
-- get their hash at ingest, so this index is empty but for events stored before that: the catch-up no longer
-- walks every event to find none.
CREATE INDEX IF NOT EXISTS webhook_events_phone_unindexed_idx ON ingest.webhook_events (id) WHERE phone_hash IS NULL;

-- Retention deletes the recordings past their days; without an index it read every kept recording to find them.
CREATE INDEX IF NOT EXISTS recordings_created_at_idx ON ingest.recordings (created_at);

-- Each verification of the audit chain starts at the latest checkpoint, and adds one: finding it no longer sorts
-- every checkpoint ever taken.
CREATE INDEX IF NOT EXISTS checkpoints_latest_idx ON audit.checkpoints (last_id DESC, id DESC);
