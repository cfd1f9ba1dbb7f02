-- +goose Up
-- Payments: money received for a run of months of one enrollment, from an import, the payment
-- provider's webhook or staff, or a worker's own unverified report ("sudah bayar"). Months are
-- YYYYMM numbers (202601 is January 2026). A payment holds no personal data, so an erased
-- member's payments stay, tied to the anonymous member row.
CREATE TABLE payments (
    id BIGSERIAL PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    enrollment_id BIGINT NOT NULL REFERENCES enrollments(id) ON DELETE CASCADE,
    first_month INTEGER NOT NULL,
    last_month INTEGER NOT NULL,
    amount BIGINT NOT NULL,
    paid_at TIMESTAMPTZ NOT NULL,
    source TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    verified BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (first_month BETWEEN 190001 AND 999912 AND first_month % 100 BETWEEN 1 AND 12),
    CHECK (last_month >= first_month AND last_month % 100 BETWEEN 1 AND 12),
    CHECK (amount >= 0),
    CHECK (source IN ('import', 'webhook', 'staff', 'self_report'))
);
-- A member's payments (status, erasure), an enrollment's payments in month order (coverage),
-- and the last month paid, verified payments only (who is due a reminder).
CREATE INDEX payments_member ON payments(member_id);
CREATE INDEX payments_enrollment ON payments(enrollment_id, last_month);
CREATE INDEX payments_last_month ON payments(last_month, enrollment_id) WHERE verified;
-- enrollments.paid_until is kept at the last day of the last month a verified payment covers.
CREATE INDEX enrollments_paid_until ON enrollments(paid_until);
-- A member's latest enrollment (MAX(id) for a member_id) read from the index alone: with
-- member_id only, the planner may walk the primary key backwards through every enrollment.
DROP INDEX enrollments_member;
CREATE INDEX enrollments_member ON enrollments(member_id, id);

-- Signatures of payment webhook requests already handled, kept a little longer than the replay
-- window, so the same signed request is answered once.
CREATE TABLE payment_webhook_requests (
    signature TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_webhook_requests_received ON payment_webhook_requests(received_at);

-- +goose Down
DROP TABLE payment_webhook_requests;
DROP INDEX enrollments_member;
CREATE INDEX enrollments_member ON enrollments(member_id);
DROP INDEX enrollments_paid_until;
DROP TABLE payments;
