-- The analyses of stored conversations: one row per version; a re-analysis adds the next version.
-- event_id names the gateway's stored event; it is not a foreign key (no key crosses schemas, so this service
-- migrates without waiting for the gateway's). Databases created before that change lose the key in 021.
CREATE TABLE analysis.analyses (
    id              bigserial PRIMARY KEY,
    event_id        bigint           NOT NULL,
    conversation_id text             NOT NULL,
    version         integer          NOT NULL CHECK (version > 0),
    model           text             NOT NULL,
    prompt_version  text             NOT NULL,
    result          jsonb            NOT NULL,
    input_tokens    integer          NOT NULL DEFAULT 0,
    output_tokens   integer          NOT NULL DEFAULT 0,
    cost_usd        numeric(14, 6)   NOT NULL DEFAULT 0,
    latency_ms      double precision NOT NULL DEFAULT 0,
    job_id          bigint,
    reason          text,
    created_at      timestamptz      NOT NULL DEFAULT now(),
    UNIQUE (conversation_id, version));

CREATE INDEX analyses_event_idx ON analysis.analyses (event_id);
