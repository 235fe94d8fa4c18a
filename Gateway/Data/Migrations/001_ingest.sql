-- Every verified ElevenLabs webhook, one row per (event_type, conversation_id): ElevenLabs retries resend the
-- same payload, and the unique key is what makes a retry (or a spool replay) a no-op.
CREATE TABLE IF NOT EXISTS ingest.webhook_events (
    id              bigserial   PRIMARY KEY,
    event_type      text        NOT NULL,
    event_timestamp bigint,
    agent_id        text,
    conversation_id text        NOT NULL,
    payload         jsonb       NOT NULL,
    trace_parent    text,
    received_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_events_type_conversation_key UNIQUE (event_type, conversation_id)
);

CREATE INDEX IF NOT EXISTS webhook_events_conversation_idx ON ingest.webhook_events (conversation_id);
CREATE INDEX IF NOT EXISTS webhook_events_received_at_idx ON ingest.webhook_events (received_at);

-- post_call_audio recordings, decoded from the webhook's base64 (the event row keeps the JSON without it).
CREATE TABLE IF NOT EXISTS ingest.recordings (
    id              bigserial   PRIMARY KEY,
    event_id        bigint      NOT NULL UNIQUE REFERENCES ingest.webhook_events (id) ON DELETE CASCADE,
    conversation_id text        NOT NULL,
    content_type    text        NOT NULL,
    byte_length     integer     NOT NULL,
    audio           bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- MP3 is already compressed: EXTERNAL stores it out of line without a pointless pglz attempt.
ALTER TABLE ingest.recordings ALTER COLUMN audio SET STORAGE EXTERNAL;

CREATE INDEX IF NOT EXISTS recordings_conversation_idx ON ingest.recordings (conversation_id);
