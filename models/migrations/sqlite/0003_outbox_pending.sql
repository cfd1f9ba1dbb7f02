-- +goose Up
-- Sent rows pile up; the dispatcher only ever looks at unsent ones. A partial index keeps its
-- claim query as fast with a million sent rows as with none.
DROP INDEX outbox_due;
CREATE INDEX outbox_unsent ON outbox(channel, priority, id) WHERE status IN ('pending', 'sending');
-- Pruning finds old rows by age.
CREATE INDEX outbox_created ON outbox(created_at);
CREATE INDEX processed_inbounds_created ON processed_inbounds(created_at);

-- +goose Down
DROP INDEX processed_inbounds_created;
DROP INDEX outbox_created;
DROP INDEX outbox_unsent;
CREATE INDEX outbox_due ON outbox(status, priority, next_attempt_at, id);
