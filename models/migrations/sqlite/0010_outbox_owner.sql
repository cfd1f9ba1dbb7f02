-- +goose Up
-- The process that holds a claimed row: while its owner lives (PostgreSQL: it holds the owner's
-- advisory lock), no one else takes the row; once it is gone, the row is taken at once, not
-- when its lease runs out.
ALTER TABLE outbox ADD COLUMN locked_by INTEGER;
-- A chat's rows not yet sent, in order: a newer reply waits for an older one held elsewhere.
CREATE INDEX outbox_unsent_recipient ON outbox(channel, recipient, id) WHERE status IN ('pending', 'sending');

-- +goose Down
DROP INDEX outbox_unsent_recipient;
ALTER TABLE outbox DROP COLUMN locked_by;
