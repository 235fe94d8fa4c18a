-- Admin API keys. Only the SHA-256 of each key is stored; the key itself is shown once, at creation.
CREATE SCHEMA IF NOT EXISTS auth;

CREATE TABLE IF NOT EXISTS auth.api_keys (
    id          text        PRIMARY KEY,                 -- the public part of the key (va_<id>_<secret>)
    name        text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('admin', 'operator', 'auditor')),
    secret_hash bytea       NOT NULL,                    -- SHA-256 of the whole key
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    expires_at  timestamptz,
    revoked_at  timestamptz,
    replaced_by text        REFERENCES auth.api_keys (id),
    grace_until timestamptz                              -- a rotated key keeps working until then
);
