-- +goose Up
-- Premium reminders sent: one row per reminder, written in the same transaction as its outbox
-- row. The unique indexes are what make a reminder go out at most once per (member, month,
-- stage), and at most one a day (the worker's own day, YYYYMMDD) per member, however many
-- processes plan and send them and whatever dies in the middle. Reminders a worker asked for
-- again ("ingatkan besok", stage 'snooze') may repeat a month, still at most one a day.
CREATE TABLE reminders_sent (
    id BIGSERIAL PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    month INTEGER NOT NULL,
    stage TEXT NOT NULL,
    day INTEGER NOT NULL,
    channel TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    CHECK (month BETWEEN 190001 AND 999912 AND month % 100 BETWEEN 1 AND 12)
);
CREATE UNIQUE INDEX reminders_sent_stage ON reminders_sent(member_id, month, stage) WHERE stage <> 'snooze';
CREATE UNIQUE INDEX reminders_sent_day ON reminders_sent(member_id, day);
-- The planner's "nothing sent since this window began", and `bpubot remind status`.
CREATE INDEX reminders_sent_by_day ON reminders_sent(day, member_id);

-- "Ingatkan besok": a worker's request to be reminded again at due_at, of the month they were
-- reminded about. One per member; the reminder that serves it deletes it.
CREATE TABLE reminder_snoozes (
    member_id BIGINT PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
    month INTEGER NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX reminder_snoozes_due ON reminder_snoozes(due_at);

-- The planner finds a member's chats by member, and self-reports (few) by enrollment.
CREATE INDEX channel_contacts_member ON channel_contacts(member_id);
CREATE INDEX payments_reported ON payments(enrollment_id, last_month) WHERE NOT verified;

-- +goose Down
DROP INDEX payments_reported;
DROP INDEX channel_contacts_member;
DROP TABLE reminder_snoozes;
DROP TABLE reminders_sent;
