-- Every try at delivering a lead, one immutable row written by the export job when the try ends (the lineage
-- report lists them). No personal data: ids, the sink, the outcome and an error summary. No foreign key: the
-- record of what was sent outlives the analysis an erasure removes, as the audit trail does.
CREATE TABLE IF NOT EXISTS crm.export_attempts (
    id               bigserial   PRIMARY KEY,
    conversation_id  text        NOT NULL,
    analysis_id      bigint      NOT NULL,
    analysis_version integer     NOT NULL,
    crm_record_id    uuid        NOT NULL,
    sink             text        NOT NULL,
    outcome          text        NOT NULL CHECK (outcome IN ('exported', 'retrying', 'dead', 'skipped')),
    error            text,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz NOT NULL,
    requested_by     text        NOT NULL
);

CREATE INDEX IF NOT EXISTS export_attempts_conversation_idx ON crm.export_attempts (conversation_id, id);

CREATE OR REPLACE FUNCTION crm.export_attempts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'crm.export_attempts rows are immutable';
END $$;

DROP TRIGGER IF EXISTS export_attempts_immutable ON crm.export_attempts;
CREATE TRIGGER export_attempts_immutable BEFORE UPDATE ON crm.export_attempts FOR EACH ROW EXECUTE FUNCTION crm.export_attempts_immutable();
