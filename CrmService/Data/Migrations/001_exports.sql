-- One row per conversation's lead export: the lead is exported at most once per conversation (the CRM record Id
-- is derived from the conversation id), re-exports update this row. No personal data here: request and
-- response summaries hold column names, sizes and the CRM's verdict, never values.
-- analysis_id names the analysis service's version; it is not a foreign key (no key crosses schemas, so this
-- service migrates without waiting for the analysis service's). Databases created before that change lose the
-- key in 020.
CREATE TABLE IF NOT EXISTS crm.exports (
    id               bigserial   PRIMARY KEY,
    conversation_id  text        NOT NULL UNIQUE,
    analysis_id      bigint      NOT NULL,
    state            text        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0,
    last_error       text,
    crm_record_id    uuid        NOT NULL,
    sink             text        NOT NULL,
    request_summary  jsonb,
    response_summary jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    exported_at      timestamptz
);

CREATE INDEX IF NOT EXISTS exports_analysis_id_idx ON crm.exports (analysis_id);
CREATE INDEX IF NOT EXISTS exports_unfinished_idx ON crm.exports (state) WHERE state <> 'done';
