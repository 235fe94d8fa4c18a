-- Conversations erased on a data subject's request, as keyed hashes (HMAC of the conversation id under a key the
-- database does not hold): a webhook for one of them that arrives later (a replayed capture, an ElevenLabs
-- retry) is acknowledged and dropped instead of bringing the erased data back. Only the hash is kept.
CREATE TABLE IF NOT EXISTS ingest.erased_conversations (
    conversation_hash text        PRIMARY KEY,
    erased_at         timestamptz NOT NULL DEFAULT now()
);
