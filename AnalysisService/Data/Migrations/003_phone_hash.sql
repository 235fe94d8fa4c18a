-- Lookup by phone once the verdict's phone is encrypted: the keyed hash (HMAC-SHA256 of the E.164 digits,
-- VoiceAnalytics.ServiceDefaults.Privacy) of result.phone. The gateway's admin API searches and erases by it.
ALTER TABLE analysis.analyses ADD COLUMN IF NOT EXISTS phone_hash text;
CREATE INDEX IF NOT EXISTS analyses_phone_hash_idx ON analysis.analyses (phone_hash) WHERE phone_hash IS NOT NULL;
