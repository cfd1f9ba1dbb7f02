-- +goose Up
-- Announcements from staff to a segment of workers: draft, previewed, confirmed (scheduled or
-- sending), done or cancelled. The fan-out walks the segment's chats in id order from cursor,
-- adding outbox rows in batches, each batch in one transaction with the cursor's move.
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    status TEXT NOT NULL,
    text_id TEXT NOT NULL,
    text_en TEXT NOT NULL DEFAULT '',
    buttons TEXT NOT NULL DEFAULT '[]',
    segment TEXT NOT NULL DEFAULT '{}',
    -- Set for a partner's broadcast: it reaches only that partner's workers.
    partner_id INTEGER REFERENCES partners(id),
    created_by INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    created_by_name TEXT NOT NULL DEFAULT '',
    confirmed_by_name TEXT NOT NULL DEFAULT '',
    previewed_at DATETIME,
    confirmed_at DATETIME,
    scheduled_at DATETIME,
    started_at DATETIME,
    fanned_out_at DATETIME,
    finished_at DATETIME,
    cancelled_at DATETIME,
    cursor_id INTEGER NOT NULL DEFAULT 0,
    queued INTEGER NOT NULL DEFAULT 0,
    skipped_opted_out INTEGER NOT NULL DEFAULT 0,
    skipped_unreachable INTEGER NOT NULL DEFAULT 0,
    -- The delivery report as last counted (JSON): it outlives the pruned outbox rows.
    report TEXT NOT NULL DEFAULT '{}',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX broadcasts_status ON broadcasts(status, scheduled_at);

-- The broadcast an outbox row belongs to, for its delivery report and its cancellation.
ALTER TABLE outbox ADD COLUMN broadcast_id INTEGER;
CREATE INDEX outbox_broadcast ON outbox(broadcast_id, status) WHERE broadcast_id IS NOT NULL;

-- +goose Down
DROP INDEX outbox_broadcast;
ALTER TABLE outbox DROP COLUMN broadcast_id;
DROP TABLE broadcasts;
