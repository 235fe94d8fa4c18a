-- Operator sessions: one row per sign-in (a refresh-token family). Access tokens name the session (sid) and are
-- refused once it is revoked; refresh tokens are stored as SHA-256 only and rotated on every use.
CREATE TABLE IF NOT EXISTS auth.sessions (
    id             text        PRIMARY KEY,
    key_id         text        NOT NULL REFERENCES auth.api_keys (id),
    role           text        NOT NULL CHECK (role IN ('admin', 'operator', 'auditor')),
    csrf_hash      bytea       NOT NULL,             -- SHA-256 of the double-submit token of cookie sessions
    created_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text
);

CREATE INDEX IF NOT EXISTS sessions_key_id ON auth.sessions (key_id);

CREATE TABLE IF NOT EXISTS auth.refresh_tokens (
    token_hash bytea       PRIMARY KEY,              -- SHA-256 of the token
    session_id text        NOT NULL REFERENCES auth.sessions (id),
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz                           -- set when rotated; a second use revokes the session
);

CREATE INDEX IF NOT EXISTS refresh_tokens_session_id ON auth.refresh_tokens (session_id);
