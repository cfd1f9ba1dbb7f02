package models

import (
	"cmp"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MarkUnreachable records that the platform refuses messages to a chat (Telegram 403) and
// skips what is still queued for it.
func MarkUnreachable(c Conn, channel, chatID, reason string, now time.Time) error {
	db := c.orm()
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE channel_contacts SET unreachable = TRUE WHERE channel = ? AND chat_id = ?`, channel, chatID).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE outbox SET status = ?, last_error = ?, locked_until = NULL, payload = ? WHERE channel = ? AND recipient = ? AND status IN (?, ?)`,
			OutboxSkipped, reason, RedactedPayload, channel, chatID, OutboxPending, OutboxSending).Error
	})
}

// Enqueue adds outbox rows. Rows whose DedupeKey already exists are skipped silently, which is
// what makes reminder sweeps safe to run twice.
func Enqueue(c Conn, rows []Outbox) error {
	tx := c.orm()
	if len(rows) == 0 {
		return nil
	}
	var b strings.Builder
	args := insertOutbox(&b, make([]any, 0, len(rows)*10), rows)
	b.WriteString(" ON CONFLICT DO NOTHING")
	return tx.Exec(b.String(), args...).Error
}

// insertOutbox writes an INSERT of rows into b and returns args with their values added.
func insertOutbox(b *strings.Builder, args []any, rows []Outbox) []any {
	b.WriteString(`INSERT INTO outbox (channel, recipient, payload, status, attempts, next_attempt_at, locked_until, locked_by, dedupe_key, priority, last_error, created_at) VALUES `)
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)")
		status := r.Status
		if status == "" {
			status = OutboxPending
		}
		args = append(args, r.Channel, r.Recipient, r.Payload, status, r.Attempts, r.NextAttemptAt, r.LockedUntil, r.LockedBy, r.DedupeKey, r.Priority, r.CreatedAt)
	}
	return args
}

// ClaimOutbox takes up to limit due rows of a channel whose priority is minP to maxP for owner,
// replies before bulk, oldest first, and leases them until now+lease. The dispatcher claims
// replies and bulk rows apart, so a broadcast's rows never fill the room replies need.
//
// A claimed row is left alone by everyone else while its lease runs and its owner lives: on
// PostgreSQL an owner lives while it holds its advisory lock (OwnerLock), so the rows of a
// process that died are taken at once. A row is not taken while an older row of its chat is
// held by another live owner, so a chat's messages go in order across a takeover; the owner's
// own rows of a chat are queued in order in its memory, so it takes the later ones at once.
func ClaimOutbox(c Conn, channel string, owner int64, now time.Time, lease time.Duration, limit, minP, maxP int) ([]Outbox, error) {
	db := c.orm()
	until := now.Add(lease)
	q, args := claimOutboxSQLite, []any{channel, minP, maxP, now, now, now, owner, limit, until, owner}
	if isPostgres(db) {
		q, args = claimOutboxPostgres, []any{channel, now, owner, channel, minP, maxP, now, now, owner, limit, until, owner}
	}
	var rows []Outbox
	err := db.Raw(q, args...).Scan(&rows).Error
	// RETURNING's order is not promised.
	slices.SortFunc(rows, func(a, b Outbox) int { return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.ID, b.ID)) })
	return rows, err
}

// claimDueSQL claims the rows of a WITH part due, which lists their ids: one statement, on
// either database.
const claimDueSQL = `
	UPDATE outbox SET status = 'sending', locked_until = ?, locked_by = ?, attempts = attempts + 1
	WHERE id IN (SELECT id FROM due) RETURNING *`

// liveOwnersSQL lists the owners holding their advisory lock now (OwnerLock's keys).
const liveOwnersSQL = `SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks
	WHERE locktype = 'advisory' AND objsubid = 1 AND granted AND classid = ` + ownerLockClass + `
	AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`

// claimOutboxPostgres: candidates are due pending rows, and claimed rows whose lease ran out or
// whose owner is gone; minus rows with an older row of their chat held by a live owner.
const claimOutboxPostgres = `WITH live AS (` + liveOwnersSQL + `),
	held AS (SELECT recipient, MIN(id) AS first FROM outbox
		WHERE channel = ? AND status = 'sending' AND locked_until >= ?
		AND (locked_by IS NULL OR (locked_by <> ? AND locked_by IN (SELECT * FROM live)))
		GROUP BY recipient),
	due AS (SELECT o.id FROM outbox o LEFT JOIN held h ON h.recipient = o.recipient
		WHERE o.channel = ? AND o.status IN ('pending', 'sending') AND o.priority BETWEEN ? AND ?
		AND ((o.status = 'pending' AND o.next_attempt_at <= ?)
			OR (o.status = 'sending' AND (o.locked_until < ? OR (o.locked_by IS NOT NULL AND o.locked_by <> ? AND o.locked_by NOT IN (SELECT * FROM live)))))
		AND (h.first IS NULL OR o.id < h.first)
		ORDER BY o.priority, o.id LIMIT ? FOR UPDATE OF o SKIP LOCKED)` + claimDueSQL

// claimOutboxSQLite is the claim on SQLite, where one process runs: its rows left claimed by an
// earlier run are released when it starts (ReleaseClaimed), so only a lease's end frees a row.
const claimOutboxSQLite = `WITH due AS (SELECT o.id FROM outbox o
		WHERE o.channel = ? AND o.status IN ('pending', 'sending') AND o.priority BETWEEN ? AND ?
		AND ((o.status = 'pending' AND o.next_attempt_at <= ?) OR (o.status = 'sending' AND o.locked_until < ?))
		AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.channel = o.channel AND e.recipient = o.recipient AND e.id < o.id
			AND e.status = 'sending' AND e.locked_until >= ? AND (e.locked_by IS NULL OR e.locked_by <> ?))
		ORDER BY o.priority, o.id LIMIT ?)` + claimDueSQL

// ReleaseClaimed returns every claimed row of a channel to the queue, uncounted as an attempt:
// on SQLite, where one process runs, what is claimed when it starts was left by a run that
// ended without sending it.
func ReleaseClaimed(c Conn, channel string) (int64, error) {
	db := c.orm()
	res := db.Model(&Outbox{}).Where("channel = ? AND status = ?", channel, OutboxSending).Updates(map[string]any{
		"status": OutboxPending, "locked_until": nil, "locked_by": nil, "attempts": gorm.Expr("MAX(attempts - 1, 0)")})
	return res.RowsAffected, res.Error
}

// MarkSent records delivered rows, in one statement for many.
//
// A delivered message's text is dropped from the row (RedactedPayload): the worker has it, and
// a summary of their sign-up (name, phone) need not wait in our table until it is pruned.
func MarkSent(c Conn, ids []int64, now time.Time) error {
	db := c.orm()
	return db.Model(&Outbox{}).Where("id IN ? AND status = ?", ids, OutboxSending).
		Updates(map[string]any{"status": OutboxSent, "sent_at": now, "locked_until": nil, "last_error": "", "payload": RedactedPayload}).Error
}

// RedactedPayload is what stays of a delivered or skipped message's payload.
const RedactedPayload = "{}"

// PutBack returns a claimed row to the queue for next without counting the claim as an
// attempt: it was not sent, through no fault of its own.
func PutBack(c Conn, id int64, next time.Time, reason string) error {
	db := c.orm()
	return db.Model(&Outbox{}).Where("id = ? AND status = ?", id, OutboxSending).Updates(map[string]any{
		"status": OutboxPending, "next_attempt_at": next, "locked_until": nil, "last_error": reason,
		"attempts": gorm.Expr("attempts - 1"),
	}).Error
}

// MarkRetry puts a claimed row back in the queue for a later attempt. A row that something
// else has settled meanwhile (skipped for an unreachable recipient) stays as it is.
func MarkRetry(c Conn, id int64, next time.Time, reason string) error {
	db := c.orm()
	return db.Model(&Outbox{}).Where("id = ? AND status = ?", id, OutboxSending).
		Updates(map[string]any{"status": OutboxPending, "next_attempt_at": next, "locked_until": nil, "last_error": reason}).Error
}

// HoldRecipient delays everything still queued for a recipient until at least until: the
// platform asked us to wait before writing to that chat again.
func HoldRecipient(c Conn, channel, recipient string, until time.Time) error {
	db := c.orm()
	return db.Model(&Outbox{}).Where("channel = ? AND recipient = ? AND status = ? AND next_attempt_at < ?",
		channel, recipient, OutboxPending, until).Update("next_attempt_at", until).Error
}

// MarkFailed gives up on a row.
func MarkFailed(c Conn, id int64, reason string) error {
	db := c.orm()
	return db.Model(&Outbox{}).Where("id = ?", id).
		Updates(map[string]any{"status": OutboxFailed, "locked_until": nil, "last_error": reason}).Error
}

// PendingCount counts rows not yet sent, by channel ("" for all).
func PendingCount(c Conn, channel string) (int64, error) {
	db := c.orm()
	q := db.Model(&Outbox{}).Where("status IN ?", []string{OutboxPending, OutboxSending})
	if channel != "" {
		q = q.Where("channel = ?", channel)
	}
	var n int64
	err := q.Count(&n).Error
	return n, err
}

// RepliesDue counts a channel's replies due by now and not yet sent, those being sent
// included: what is still to go out before the channel may disconnect.
func RepliesDue(c Conn, channel string, now time.Time) (int64, error) {
	db := c.orm()
	var n int64
	err := db.Raw(`SELECT COUNT(*) FROM outbox WHERE channel = ? AND priority = ?
			AND ((status = ? AND next_attempt_at <= ?) OR status = ?)`,
		channel, PriorityReply, OutboxPending, now, OutboxSending).Scan(&n).Error
	return n, err
}

// DecodeJSON reads a JSON column into v; an empty column leaves v as it is.
func DecodeJSON(raw string, v any) error {
	if raw == "" {
		return nil
	}
	return json.Unmarshal([]byte(raw), v)
}

// EncodeJSON writes v for a JSON column.
func EncodeJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own plain structs and maps are stored
	}
	return string(b)
}

// ErrNotFound is returned by look-ups that find nothing.
var ErrNotFound = errors.New("not found")

// FindMemberByNIKHash finds a member by the keyed hash of their NIK.
func FindMemberByNIKHash(c Conn, hash string) (*Member, error) {
	db := c.orm()
	var m Member
	err := db.Where("nik_hash = ?", hash).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &m, err
}

// LatestEnrollment returns a member's newest enrollment.
func LatestEnrollment(c Conn, memberID int64) (*Enrollment, error) {
	db := c.orm()
	var e Enrollment
	err := db.Where("member_id = ?", memberID).Order("id DESC").Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &e, err
}

// FindPartner finds an active partner by code, case-insensitively.
func FindPartner(c Conn, code string) (*Partner, error) {
	db := c.orm()
	var p Partner
	err := db.Where("LOWER(code) = LOWER(?) AND active = ?", code, true).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &p, err
}

// Prune deletes what is no longer needed: outbox rows settled (sent, failed, skipped) before
// before, records of inbound messages older than before, long past any redelivery, and console
// sessions and refused log-ins from before then. It deletes in batches so it never holds long
// locks, and returns how many rows went.
func Prune(c Conn, before time.Time) (int64, error) {
	db := c.orm()
	var total int64
	for _, q := range []string{
		`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE created_at < ? AND status IN ('sent', 'failed', 'skipped') LIMIT 5000)`,
		`DELETE FROM processed_inbounds WHERE (channel, external_id) IN (SELECT channel, external_id FROM processed_inbounds WHERE created_at < ? LIMIT 5000)`,
		`DELETE FROM console_sessions WHERE token IN (SELECT token FROM console_sessions WHERE expiry < ? LIMIT 5000)`,
		`DELETE FROM console_login_failures WHERE id IN (SELECT id FROM console_login_failures WHERE created_at < ? LIMIT 5000)`,
	} {
		for {
			res := db.Exec(q, before)
			if res.Error != nil {
				return total, res.Error
			}
			total += res.RowsAffected
			if res.RowsAffected < 5000 {
				break
			}
		}
	}
	return total, nil
}

// Audit records an action in the audit log; the entry must hold no personal data.
func Audit(c Conn, e *AuditEntry) error { return c.orm().Create(e).Error }
