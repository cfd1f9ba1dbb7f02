-- +goose Up
-- Staff web console sessions (github.com/alexedwards/scs): the token is the cookie's value,
-- data the session's encoded values. Every serve process reads the same rows, so a staff member
-- stays logged in whichever process answers.
CREATE TABLE console_sessions (
    token TEXT PRIMARY KEY,
    data BYTEA NOT NULL,
    expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions(expiry);

-- Console log-in attempts, for the limits per account and per address. Only failures are kept:
-- a successful log-in clears the account's.
CREATE TABLE console_login_failures (
    id BIGSERIAL PRIMARY KEY,
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX console_login_failures_account ON console_login_failures(account, created_at);
CREATE INDEX console_login_failures_address ON console_login_failures(address, created_at);

-- +goose Down
DROP TABLE console_login_failures;
DROP TABLE console_sessions;
