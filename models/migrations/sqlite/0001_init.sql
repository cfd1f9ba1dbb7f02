-- +goose Up
CREATE TABLE members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    nik_hash TEXT UNIQUE,
    nik_enc BLOB,
    full_name TEXT NOT NULL DEFAULT '',
    birth_date DATETIME,
    sex TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    occupation TEXT NOT NULL DEFAULT '',
    occupation_other TEXT NOT NULL DEFAULT '',
    province_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'id',
    opted_out BOOLEAN NOT NULL DEFAULT FALSE,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE partners (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sponsored BOOLEAN NOT NULL DEFAULT FALSE,
    gov_sponsored BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME NOT NULL
);

CREATE TABLE enrollments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    package TEXT NOT NULL,
    declared_income INTEGER NOT NULL,
    payment_months INTEGER NOT NULL,
    partner_id INTEGER REFERENCES partners(id),
    status TEXT NOT NULL,
    monthly_premium INTEGER NOT NULL,
    period_premium INTEGER NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    paid_until DATETIME,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX enrollments_member ON enrollments(member_id);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    given_at DATETIME NOT NULL,
    channel TEXT NOT NULL DEFAULT ''
);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    flow TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '',
    slots TEXT NOT NULL DEFAULT '{}',
    stack TEXT NOT NULL DEFAULT '[]',
    choices TEXT NOT NULL DEFAULT '[]',
    lang TEXT NOT NULL DEFAULT 'id',
    failures INTEGER NOT NULL DEFAULT 0,
    unknowns INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    UNIQUE (channel, chat_id)
);

CREATE TABLE processed_inbounds (
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (channel, external_id)
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    locked_until DATETIME,
    dedupe_key TEXT UNIQUE,
    priority INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    sent_at DATETIME
);
CREATE INDEX outbox_due ON outbox(status, priority, next_attempt_at, id);

CREATE TABLE channel_contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    unreachable BOOLEAN NOT NULL DEFAULT FALSE,
    first_seen_at DATETIME NOT NULL,
    last_inbound_at DATETIME NOT NULL,
    UNIQUE (channel, chat_id)
);

-- +goose Down
DROP TABLE channel_contacts;
DROP TABLE outbox;
DROP TABLE processed_inbounds;
DROP TABLE conversations;
DROP TABLE consents;
DROP TABLE enrollments;
DROP TABLE partners;
DROP TABLE members;
