-- +goose Up
CREATE TABLE members (
    id BIGSERIAL PRIMARY KEY,
    nik_hash TEXT UNIQUE,
    nik_enc BYTEA,
    full_name TEXT NOT NULL DEFAULT '',
    birth_date TIMESTAMPTZ,
    sex TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    occupation TEXT NOT NULL DEFAULT '',
    occupation_other TEXT NOT NULL DEFAULT '',
    province_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'id',
    opted_out BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE partners (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sponsored BOOLEAN NOT NULL DEFAULT FALSE,
    gov_sponsored BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE enrollments (
    id BIGSERIAL PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    package TEXT NOT NULL,
    declared_income BIGINT NOT NULL,
    payment_months BIGINT NOT NULL,
    partner_id BIGINT REFERENCES partners(id),
    status TEXT NOT NULL,
    monthly_premium BIGINT NOT NULL,
    period_premium BIGINT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    paid_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX enrollments_member ON enrollments(member_id);

CREATE TABLE consents (
    id BIGSERIAL PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    given_at TIMESTAMPTZ NOT NULL,
    channel TEXT NOT NULL DEFAULT ''
);

CREATE TABLE conversations (
    id BIGSERIAL PRIMARY KEY,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
    flow TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '',
    slots TEXT NOT NULL DEFAULT '{}',
    stack TEXT NOT NULL DEFAULT '[]',
    choices TEXT NOT NULL DEFAULT '[]',
    lang TEXT NOT NULL DEFAULT 'id',
    failures BIGINT NOT NULL DEFAULT 0,
    unknowns BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (channel, chat_id)
);

CREATE TABLE processed_inbounds (
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (channel, external_id)
);

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ,
    dedupe_key TEXT UNIQUE,
    priority BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox(status, priority, next_attempt_at, id);

CREATE TABLE channel_contacts (
    id BIGSERIAL PRIMARY KEY,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
    unreachable BOOLEAN NOT NULL DEFAULT FALSE,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_inbound_at TIMESTAMPTZ NOT NULL,
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
