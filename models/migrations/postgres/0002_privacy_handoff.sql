-- +goose Up
-- Opt-out of messages the worker did not ask for, per chat (a worker may not be a member yet).
ALTER TABLE channel_contacts ADD COLUMN opted_out BOOLEAN NOT NULL DEFAULT FALSE;

-- Requests to talk to a person.
CREATE TABLE handoff_requests (
    id BIGSERIAL PRIMARY KEY,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
    question TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    created_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ
);
CREATE INDEX handoff_requests_status ON handoff_requests(status, created_at);

-- What was done, without personal data: data erasure, staff actions.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    action TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE handoff_requests;
ALTER TABLE channel_contacts DROP COLUMN opted_out;
