-- +goose Up
-- Staff of branch offices and partners: who may broadcast, answer workers and export.
-- A partner's staff reach only the workers of their own partner.
CREATE TABLE staff (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    partner_id BIGINT REFERENCES partners(id),
    telegram_user_id BIGINT UNIQUE,
    -- argon2id hash of the console password; '' for none (no console login).
    password_hash TEXT NOT NULL DEFAULT '',
    -- SHA-256 of the API bearer token; the token itself is shown once and never stored.
    token_hash TEXT UNIQUE,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Who did it (a staff member, or the operator at the command line) and how many workers it
-- reached; never personal data.
ALTER TABLE audit_log ADD COLUMN staff_id BIGINT;
ALTER TABLE audit_log ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN target TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN recipients BIGINT NOT NULL DEFAULT 0;
CREATE INDEX audit_log_created ON audit_log(created_at);

-- A request a staff member took: the bot stays quiet in that chat until it is closed, by staff
-- or after hours without a staff answer.
ALTER TABLE handoff_requests ADD COLUMN taken_by BIGINT REFERENCES staff(id) ON DELETE SET NULL;
ALTER TABLE handoff_requests ADD COLUMN taken_at TIMESTAMPTZ;
ALTER TABLE handoff_requests ADD COLUMN staff_replied_at TIMESTAMPTZ;
ALTER TABLE handoff_requests ADD COLUMN closed_by BIGINT REFERENCES staff(id) ON DELETE SET NULL;
ALTER TABLE handoff_requests ADD COLUMN close_reason TEXT NOT NULL DEFAULT '';

-- A staff member's guided conversation with the bot on Telegram (/siaran), by Telegram user.
CREATE TABLE staff_dialogs (
    telegram_user_id BIGINT PRIMARY KEY,
    chat_id TEXT NOT NULL,
    state TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE staff_dialogs;
ALTER TABLE handoff_requests DROP COLUMN close_reason;
ALTER TABLE handoff_requests DROP COLUMN closed_by;
ALTER TABLE handoff_requests DROP COLUMN staff_replied_at;
ALTER TABLE handoff_requests DROP COLUMN taken_at;
ALTER TABLE handoff_requests DROP COLUMN taken_by;
DROP INDEX audit_log_created;
ALTER TABLE audit_log DROP COLUMN recipients;
ALTER TABLE audit_log DROP COLUMN target;
ALTER TABLE audit_log DROP COLUMN actor;
ALTER TABLE audit_log DROP COLUMN staff_id;
DROP TABLE staff;
