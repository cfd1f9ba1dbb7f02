-- +goose Up
-- The kabupaten/kota a member lives in (Kemendagri code, e.g. 3201 Kab. Bogor): it tells staff
-- which branch office the worker belongs to.
ALTER TABLE members ADD COLUMN regency_code TEXT NOT NULL DEFAULT '';
-- When the member's personal data was erased at their request; NULL while it is kept.
ALTER TABLE members ADD COLUMN erased_at TIMESTAMPTZ;

-- What a worker wrote after asking for a person, while their request was open.
CREATE TABLE handoff_messages (
    id BIGSERIAL PRIMARY KEY,
    handoff_id BIGINT NOT NULL REFERENCES handoff_requests(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX handoff_messages_handoff ON handoff_messages(handoff_id, id);
-- A chat's open request is looked up on every message the worker sends while it is open.
CREATE INDEX handoff_requests_chat ON handoff_requests(channel, chat_id, status);

-- +goose Down
DROP INDEX handoff_requests_chat;
DROP TABLE handoff_messages;
ALTER TABLE members DROP COLUMN erased_at;
ALTER TABLE members DROP COLUMN regency_code;
