-- Erasures (data-subject requests and retention) that the owners of the data still have to carry out. The gateway
-- erases its own rows at once; each owner (the analysis and CRM services) erases its own through an idempotent RPC,
-- and the request stays pending, retried with backoff, until every owner has reported what it removed.
-- The conversation ids are kept only while an owner still needs them; the keyed hashes (as in
-- ingest.erased_conversations) stay, so a completed request can still be matched to its tombstones.
CREATE TABLE IF NOT EXISTS ingest.erasure_requests (
    id                  uuid        PRIMARY KEY,
    reason              text        NOT NULL CHECK (reason IN ('subject.erasure', 'retention')),
    requested_by        text        NOT NULL,
    state               text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
    conversation_ids    text[],                           -- NULL once done
    conversation_hashes text[]      NOT NULL,
    gateway_removed     jsonb       NOT NULL,             -- counts per store, never data
    attempts            integer     NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL,
    created_at          timestamptz NOT NULL,
    completed_at        timestamptz,
    CHECK ((state = 'done') = (conversation_ids IS NULL))
);

CREATE INDEX IF NOT EXISTS erasure_requests_pending_idx ON ingest.erasure_requests (next_attempt_at) WHERE state = 'pending';

-- Each owner's part of a request: pending until it reports its counts.
CREATE TABLE IF NOT EXISTS ingest.erasure_owner_reports (
    request_id  uuid        NOT NULL REFERENCES ingest.erasure_requests (id) ON DELETE CASCADE,
    owner       text        NOT NULL,
    removed     jsonb,                                    -- the owner's counts per store; NULL while pending
    reported_at timestamptz,
    attempts    integer     NOT NULL DEFAULT 0,
    last_error  text,                                     -- a status code name, never data
    PRIMARY KEY (request_id, owner)
);
