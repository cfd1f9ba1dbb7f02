package models

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MarkInbound records (channel, externalID) and reports whether it is new. A redelivered
// message returns false and must not be handled again.
func MarkInbound(tx *gorm.DB, channel, externalID string, now time.Time) (bool, error) {
	res := tx.Exec(`INSERT INTO processed_inbounds (channel, external_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		channel, externalID, now)
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected == 1, nil
}

// LockConversation loads the conversation of (channel, chatID), creating it when needed, and
// holds its row lock until tx ends (FOR UPDATE on PostgreSQL; SQLite transactions already hold
// the database's write lock from their start). created reports a brand-new conversation.
func LockConversation(tx *gorm.DB, channel, chatID, userID, lang string, now time.Time) (*Conversation, bool, error) {
	// The common case, a chat we know, takes one round trip; a new chat takes three.
	c, err := lockExisting(tx, channel, chatID)
	if err == nil {
		return c, false, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, err
	}
	// A row this transaction inserts is locked by it until the end, like one taken FOR UPDATE.
	c, err = scanConversation(hotQuery(tx, `INSERT INTO conversations (channel, chat_id, user_id, lang, slots, stack, choices, created_at, updated_at)
		VALUES (?, ?, ?, ?, '{}', '[]', '[]', ?, ?) ON CONFLICT DO NOTHING RETURNING `+conversationColumns,
		channel, chatID, userID, lang, now, now))
	if err == nil {
		return c, true, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, err
	}
	// Another message of the chat created it meanwhile.
	c, err = lockExisting(tx, channel, chatID)
	if err != nil {
		return nil, false, err
	}
	return c, false, nil
}

const conversationColumns = `id, channel, chat_id, user_id, member_id, flow, state, slots, stack, choices, lang, failures, unknowns,
		created_at, updated_at`

func lockExisting(tx *gorm.DB, channel, chatID string) (*Conversation, error) {
	q := `SELECT ` + conversationColumns + ` FROM conversations WHERE channel = ? AND chat_id = ?`
	if IsPostgres(tx) {
		q += ` FOR UPDATE`
	}
	return scanConversation(hotQuery(tx, q, channel, chatID))
}

// scanConversation reads the one conversation row of a query selecting conversationColumns,
// or returns gorm.ErrRecordNotFound. Scanned by hand: this runs for every message, and GORM's
// reflective scan costs more than the query on a warm database.
func scanConversation(rows *sql.Rows, err error) (*Conversation, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, gorm.ErrRecordNotFound
	}
	var c Conversation
	var member sql.NullInt64
	if err := rows.Scan(&c.ID, &c.Channel, &c.ChatID, &c.UserID, &member, &c.Flow, &c.State, &c.Slots, &c.Stack,
		&c.Choices, &c.Lang, &c.Failures, &c.Unknowns, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	if member.Valid {
		c.MemberID = &member.Int64
	}
	return &c, rows.Close()
}

// markAndLockSQL is MarkInbound and the lock of an existing conversation in one statement, for
// PostgreSQL (BeginMarkAndLock). Its one row is the count inserted (0 for a message already
// handled) and the conversation's columns, NULL when the chat has none yet.
const markAndLockSQL = `WITH ins AS (
			INSERT INTO processed_inbounds (channel, external_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1),
		c AS (SELECT id, channel, chat_id, user_id, member_id, flow, state, slots, stack, choices, lang, failures, unknowns,
			created_at, updated_at FROM conversations WHERE channel = ? AND chat_id = ? FOR UPDATE)
		SELECT (SELECT count(*) FROM ins), c.* FROM (SELECT 1) AS one LEFT JOIN c ON TRUE`

// scanMarkAndLock reads the row of markAndLockSQL through scan (a Rows.Scan).
func scanMarkAndLock(scan func(dest ...any) error) (fresh bool, conv *Conversation, err error) {
	var (
		inserted                                                 int64
		id, member, failures, unknowns                           sql.NullInt64
		ch, chat, user, flow, state, slots, stack, choices, lang sql.NullString
		createdAt, updatedAt                                     sql.NullTime
	)
	if err := scan(&inserted, &id, &ch, &chat, &user, &member, &flow, &state, &slots, &stack, &choices, &lang,
		&failures, &unknowns, &createdAt, &updatedAt); err != nil {
		return false, nil, err
	}
	if !id.Valid {
		return inserted == 1, nil, nil
	}
	c := &Conversation{ID: id.Int64, Channel: ch.String, ChatID: chat.String, UserID: user.String, Flow: flow.String,
		State: state.String, Slots: slots.String, Stack: stack.String, Choices: choices.String, Lang: lang.String,
		Failures: int(failures.Int64), Unknowns: int(unknowns.Int64), CreatedAt: createdAt.Time, UpdatedAt: updatedAt.Time}
	if member.Valid {
		c.MemberID = &member.Int64
	}
	return inserted == 1, c, nil
}

const saveConversationSQL = `UPDATE conversations SET user_id = ?, member_id = ?, flow = ?, state = ?, slots = ?, stack = ?,
		choices = ?, lang = ?, failures = ?, unknowns = ?, updated_at = ? WHERE id = ?`

func saveConversationArgs(c *Conversation) []any {
	return []any{c.UserID, c.MemberID, c.Flow, c.State, c.Slots, c.Stack, c.Choices, c.Lang, c.Failures, c.Unknowns, c.UpdatedAt, c.ID}
}

// SaveConversation writes the conversation back. It is on the path of every message, so it is
// one plain UPDATE rather than GORM's reflective Save.
func SaveConversation(tx *gorm.DB, c *Conversation) error {
	return hotExec(tx, saveConversationSQL, saveConversationArgs(c)...)
}

// SaveAndEnqueue writes the conversation back, adds the replies it caused (setting each row's
// ID) and, when touch is given, does TouchContact. On PostgreSQL it is all one statement (one
// round trip on the path of every message). The rows must not carry a DedupeKey: every one of
// them is inserted.
func SaveAndEnqueue(tx *gorm.DB, c *Conversation, rows []Outbox, touch *Touch) error {
	if err := checkNoDedupeKey(rows); err != nil {
		return err
	}
	var q string
	var args []any
	if IsPostgres(tx) {
		q, args = saveAndEnqueueSQL(c, rows, touch)
		if len(rows) == 0 {
			return hotExec(tx, q, args...)
		}
	} else {
		if err := SaveConversation(tx, c); err != nil {
			return err
		}
		if touch != nil {
			if err := TouchContact(tx, touch.Channel, touch.ChatID, touch.MemberID, touch.Now); err != nil {
				return err
			}
		}
		if len(rows) == 0 {
			return nil
		}
		var b strings.Builder
		args = insertOutbox(&b, make([]any, 0, len(rows)*10), rows)
		b.WriteString(" RETURNING id")
		q = b.String()
	}
	res, err := hotQuery(tx, q, args...)
	if err != nil {
		return err
	}
	defer res.Close()
	ids := make([]int64, 0, len(rows))
	for res.Next() {
		var id int64
		if err := res.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := res.Err(); err != nil {
		return err
	}
	if err := setIDs(rows, ids); err != nil {
		return err
	}
	return res.Close()
}

func checkNoDedupeKey(rows []Outbox) error {
	for _, r := range rows {
		if r.DedupeKey != nil {
			return errors.New("SaveAndEnqueue: rows with a dedupe key belong in Enqueue")
		}
	}
	return nil
}

// saveAndEnqueueSQL is SaveAndEnqueue as one PostgreSQL statement, with ? placeholders. With
// rows it returns their ids.
func saveAndEnqueueSQL(c *Conversation, rows []Outbox, touch *Touch) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, 17+len(rows)*10)
	// Data-modifying WITH parts run whether or not the statement reads them.
	with := "WITH "
	if len(rows) > 0 {
		b.WriteString(with + "saved AS (" + saveConversationSQL + ")")
		args = append(args, saveConversationArgs(c)...)
		with = ", "
	}
	if touch != nil {
		b.WriteString(with + "touched AS (" + touchContactSQL + ")")
		args = append(args, touch.args()...)
	}
	b.WriteString(" ")
	if len(rows) == 0 {
		b.WriteString(saveConversationSQL)
		return b.String(), append(args, saveConversationArgs(c)...)
	}
	args = insertOutbox(&b, args, rows)
	b.WriteString(" RETURNING id")
	return b.String(), args
}

// setIDs gives the inserted rows the ids their INSERT ... RETURNING id returned.
func setIDs(rows []Outbox, ids []int64) error {
	if len(ids) != len(rows) {
		return fmt.Errorf("SaveAndEnqueue: %d rows inserted of %d", len(ids), len(rows))
	}
	// Ids come from one sequence in insertion order; RETURNING's own order is not promised.
	slices.Sort(ids)
	for i := range rows {
		rows[i].ID = ids[i]
	}
	return nil
}

// TouchContact records that a chat wrote to us now, so later bulk sends know the worker wrote
// first and an unreachable mark is lifted when they come back.
func TouchContact(tx *gorm.DB, channel, chatID string, memberID *int64, now time.Time) error {
	return hotExec(tx, touchContactSQL, Touch{channel, chatID, memberID, now}.args()...)
}

// Touch is a TouchContact to do together with SaveAndEnqueue.
type Touch struct {
	Channel, ChatID string
	MemberID        *int64
	Now             time.Time
}

func (t Touch) args() []any { return []any{t.Channel, t.ChatID, t.MemberID, t.Now, t.Now} }

const touchContactSQL = `INSERT INTO channel_contacts (channel, chat_id, member_id, unreachable, first_seen_at, last_inbound_at)
		VALUES (?, ?, ?, FALSE, ?, ?)
		ON CONFLICT (channel, chat_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at, unreachable = FALSE,
		member_id = COALESCE(excluded.member_id, channel_contacts.member_id)`

// MarkUnreachable records that the platform refuses messages to a chat (Telegram 403) and
// skips what is still queued for it.
func MarkUnreachable(db *gorm.DB, channel, chatID, reason string, now time.Time) error {
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
func Enqueue(tx *gorm.DB, rows []Outbox) error {
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
	b.WriteString(`INSERT INTO outbox (channel, recipient, payload, status, attempts, next_attempt_at, locked_until, dedupe_key, priority, last_error, created_at) VALUES `)
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)")
		status := r.Status
		if status == "" {
			status = OutboxPending
		}
		args = append(args, r.Channel, r.Recipient, r.Payload, status, r.Attempts, r.NextAttemptAt, r.LockedUntil, r.DedupeKey, r.Priority, r.CreatedAt)
	}
	return args
}

// ClaimOutbox takes up to limit due rows of a channel, replies before bulk, oldest first, and
// leases them until now+lease so another dispatcher (or this one after a crash) leaves them
// alone. Rows whose lease ran out are taken again.
func ClaimOutbox(db *gorm.DB, channel string, now time.Time, lease time.Duration, limit int) ([]Outbox, error) {
	var rows []Outbox
	err := db.Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&Outbox{}).Select("id").
			Where("channel = ? AND status IN (?, ?) AND ((status = ? AND next_attempt_at <= ?) OR (status = ? AND locked_until < ?))",
				channel, OutboxPending, OutboxSending, OutboxPending, now, OutboxSending, now).
			Order("priority, id").Limit(limit)
		if IsPostgres(tx) {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var ids []int64
		if err := q.Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		until := now.Add(lease)
		if err := tx.Model(&Outbox{}).Where("id IN ?", ids).
			Updates(map[string]any{"status": OutboxSending, "locked_until": until, "attempts": gorm.Expr("attempts + 1")}).Error; err != nil {
			return err
		}
		return tx.Where("id IN ?", ids).Order("priority, id").Find(&rows).Error
	})
	return rows, err
}

// MarkSent records delivered rows, in one statement for many.
//
// A delivered message's text is dropped from the row (RedactedPayload): the worker has it, and
// a summary of their sign-up (name, phone) need not wait in our table until it is pruned.
func MarkSent(db *gorm.DB, ids []int64, now time.Time) error {
	return db.Model(&Outbox{}).Where("id IN ? AND status = ?", ids, OutboxSending).
		Updates(map[string]any{"status": OutboxSent, "sent_at": now, "locked_until": nil, "last_error": "", "payload": RedactedPayload}).Error
}

// RedactedPayload is what stays of a delivered or skipped message's payload.
const RedactedPayload = "{}"

// PutBack returns a claimed row to the queue for next without counting the claim as an
// attempt: it was not sent, through no fault of its own.
func PutBack(db *gorm.DB, id int64, next time.Time, reason string) error {
	return db.Model(&Outbox{}).Where("id = ? AND status = ?", id, OutboxSending).Updates(map[string]any{
		"status": OutboxPending, "next_attempt_at": next, "locked_until": nil, "last_error": reason,
		"attempts": gorm.Expr("attempts - 1"),
	}).Error
}

// MarkRetry puts a claimed row back in the queue for a later attempt. A row that something
// else has settled meanwhile (skipped for an unreachable recipient) stays as it is.
func MarkRetry(db *gorm.DB, id int64, next time.Time, reason string) error {
	return db.Model(&Outbox{}).Where("id = ? AND status = ?", id, OutboxSending).
		Updates(map[string]any{"status": OutboxPending, "next_attempt_at": next, "locked_until": nil, "last_error": reason}).Error
}

// HoldRecipient delays everything still queued for a recipient until at least until: the
// platform asked us to wait before writing to that chat again.
func HoldRecipient(db *gorm.DB, channel, recipient string, until time.Time) error {
	return db.Model(&Outbox{}).Where("channel = ? AND recipient = ? AND status = ? AND next_attempt_at < ?",
		channel, recipient, OutboxPending, until).Update("next_attempt_at", until).Error
}

// MarkFailed gives up on a row.
func MarkFailed(db *gorm.DB, id int64, reason string) error {
	return db.Model(&Outbox{}).Where("id = ?", id).
		Updates(map[string]any{"status": OutboxFailed, "locked_until": nil, "last_error": reason}).Error
}

// PendingCount counts rows not yet sent, by channel ("" for all).
func PendingCount(db *gorm.DB, channel string) (int64, error) {
	q := db.Model(&Outbox{}).Where("status IN ?", []string{OutboxPending, OutboxSending})
	if channel != "" {
		q = q.Where("channel = ?", channel)
	}
	var n int64
	err := q.Count(&n).Error
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
func FindMemberByNIKHash(db *gorm.DB, hash string) (*Member, error) {
	var m Member
	err := db.Where("nik_hash = ?", hash).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &m, err
}

// LatestEnrollment returns a member's newest enrollment.
func LatestEnrollment(db *gorm.DB, memberID int64) (*Enrollment, error) {
	var e Enrollment
	err := db.Where("member_id = ?", memberID).Order("id DESC").Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &e, err
}

// FindPartner finds an active partner by code, case-insensitively.
func FindPartner(db *gorm.DB, code string) (*Partner, error) {
	var p Partner
	err := db.Where("LOWER(code) = LOWER(?) AND active = ?", code, true).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &p, err
}

// Prune deletes what is no longer needed: outbox rows settled (sent, failed, skipped) before
// before, and records of inbound messages older than before, long past any redelivery. It
// deletes in batches so it never holds long locks, and returns how many rows went.
func Prune(db *gorm.DB, before time.Time) (int64, error) {
	var total int64
	for _, q := range []string{
		`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE created_at < ? AND status IN ('sent', 'failed', 'skipped') LIMIT 5000)`,
		`DELETE FROM processed_inbounds WHERE (channel, external_id) IN (SELECT channel, external_id FROM processed_inbounds WHERE created_at < ? LIMIT 5000)`,
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
