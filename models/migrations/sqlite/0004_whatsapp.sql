-- +goose Up
-- WhatsApp: the connection state the process holding the connection last saw (one row, id 1),
-- for `bpubot whatsapp status`.
CREATE TABLE whatsapp_state (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL
);

-- Pauses of all outbound WhatsApp messages: a temporary ban, or a reach-out restriction
-- (error 463). Outbound stays paused until the latest until_at has passed.
CREATE TABLE whatsapp_pauses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    started_at DATETIME NOT NULL,
    until_at DATETIME NOT NULL
);
CREATE INDEX whatsapp_pauses_until ON whatsapp_pauses(until_at);

-- +goose Down
DROP TABLE whatsapp_pauses;
DROP TABLE whatsapp_state;
