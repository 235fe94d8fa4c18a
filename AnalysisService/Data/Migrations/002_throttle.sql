-- The global LLM throttle shared by every instance: one row per budget, locked for each reservation, and
-- the leases of calls in flight (expiring, so a crashed holder cannot block the budget for good).
CREATE TABLE analysis.throttle (
    name            text        PRIMARY KEY,
    next_start_at   timestamptz NOT NULL DEFAULT 'epoch',    -- the next free start slot (reservations)
    last_start_at   timestamptz NOT NULL DEFAULT 'epoch',    -- the last actual start (spacing holds between these)
    paused_until    timestamptz,
    window_start    timestamptz NOT NULL DEFAULT 'epoch',
    window_requests bigint      NOT NULL DEFAULT 0,
    window_tokens   bigint      NOT NULL DEFAULT 0);

INSERT INTO analysis.throttle (name) VALUES ('llm');

CREATE TABLE analysis.throttle_leases (
    id          uuid        PRIMARY KEY,
    throttle    text        NOT NULL REFERENCES analysis.throttle (name),
    holder      text        NOT NULL,
    acquired_at timestamptz NOT NULL,
    starts_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL);

CREATE INDEX throttle_leases_expiry_idx ON analysis.throttle_leases (throttle, expires_at);
