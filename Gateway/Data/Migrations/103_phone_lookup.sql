-- The keyed hash (HMAC-SHA256 of the E.164 digits) of the caller's number, for lookup by phone once the
-- number itself is encrypted. Written by the gateway at ingest.
ALTER TABLE ingest.webhook_events ADD COLUMN IF NOT EXISTS phone_hash text;
CREATE INDEX IF NOT EXISTS webhook_events_phone_hash_idx ON ingest.webhook_events (phone_hash) WHERE phone_hash IS NOT NULL;
