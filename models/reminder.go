package models

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ReminderSent is a premium reminder written to the outbox. Its unique indexes make a reminder
// go out once per (member, month, stage), one a day per member; see 0040_reminders.sql.
type ReminderSent struct {
	ID        int64 `gorm:"primaryKey"`
	MemberID  int64
	Month     int    // YYYYMM the reminder is about
	Stage     string // flows/reminder's stages
	Day       int    // YYYYMMDD in the worker's own zone
	Channel   string
	DedupeKey string // its outbox row's
	SentAt    time.Time
}

// TableName is the reminders' table.
func (ReminderSent) TableName() string { return "reminders_sent" }

// StageSnooze is the stage of a reminder the worker asked for again: the one stage that may
// repeat a month.
const StageSnooze = "snooze"

// RecordReminder writes r in tx unless a reminder of the same member, month and stage, or of
// the same member and day, is there already: then it writes nothing and returns false. Write
// the reminder's outbox row in the same transaction only when it returns true.
func RecordReminder(c *Tx, r ReminderSent) (bool, error) {
	tx := c.orm()
	res := tx.Exec(`INSERT INTO reminders_sent (member_id, month, stage, day, channel, dedupe_key, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		r.MemberID, r.Month, r.Stage, r.Day, r.Channel, r.DedupeKey, r.SentAt.UTC())
	return res.RowsAffected == 1, res.Error
}

// RemindersSince returns the reminders sent to members on or after fromDay (YYYYMMDD), by
// member.
func RemindersSince(c Conn, memberIDs []int64, fromDay int) (map[int64][]ReminderSent, error) {
	db := c.orm()
	out := map[int64][]ReminderSent{}
	err := eachRowOf(db, memberIDs, "member_id", `SELECT member_id, month, stage, day FROM reminders_sent WHERE day >= ? AND %s`,
		[]any{fromDay}, func(rows *sql.Rows) error {
			var r ReminderSent
			if err := rows.Scan(&r.MemberID, &r.Month, &r.Stage, &r.Day); err != nil {
				return err
			}
			out[r.MemberID] = append(out[r.MemberID], r)
			return nil
		})
	return out, err
}

// eachRowOf runs q, whose %s is the condition that col is one of ids, for each batch of ids,
// with args before the ids', and calls scan for every row.
func eachRowOf(db *gorm.DB, ids []int64, col, q string, args []any, scan func(*sql.Rows) error) error {
	return eachBatch(uniq(ids), batchFor(db), func(batch []int64) error {
		cond, idArgs := anyOf(db, col, batch)
		rows, err := hotQuery(db, fmt.Sprintf(q, cond), append(slices.Clone(args), idArgs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// ReminderSnooze is a worker's request to be reminded again ("ingatkan besok").
type ReminderSnooze struct {
	MemberID    int64 `gorm:"primaryKey"`
	Month       int   // YYYYMM they were reminded of
	DueAt       time.Time
	RequestedAt time.Time
}

// SnoozeReminder records that member wants to be reminded of month again at due; a later
// request replaces an earlier one.
func SnoozeReminder(c Conn, memberID int64, month int, due, now time.Time) error {
	tx := c.orm()
	return tx.Exec(`INSERT INTO reminder_snoozes (member_id, month, due_at, requested_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (member_id) DO UPDATE SET month = excluded.month, due_at = excluded.due_at, requested_at = excluded.requested_at`,
		memberID, month, due.UTC(), now.UTC()).Error
}

// ReminderSnoozes returns the snoozes of members, by member.
func ReminderSnoozes(c Conn, memberIDs []int64) (map[int64]ReminderSnooze, error) {
	db := c.orm()
	out := map[int64]ReminderSnooze{}
	err := eachRowOf(db, memberIDs, "member_id", `SELECT member_id, month, due_at, requested_at FROM reminder_snoozes WHERE %s`, nil,
		func(rows *sql.Rows) error {
			var s ReminderSnooze
			if err := rows.Scan(&s.MemberID, &s.Month, &s.DueAt, &s.RequestedAt); err != nil {
				return err
			}
			out[s.MemberID] = s
			return nil
		})
	return out, err
}

// TakeSnooze deletes member's snooze that is due by now: a reminder sent to them serves it.
// It reports whether there was one, so that of two processes sending the reminder a worker
// asked for, one does.
func TakeSnooze(c *Tx, memberID int64, now time.Time) (bool, error) {
	tx := c.orm()
	res := tx.Exec(`DELETE FROM reminder_snoozes WHERE member_id = ? AND due_at <= ?`, memberID, now.UTC())
	return res.RowsAffected > 0, res.Error
}

// DropSnoozes deletes snoozes that are due and came to nothing (the month was paid meanwhile,
// the worker stopped reminders), so the planner stops finding them.
func DropSnoozes(c Conn, memberIDs []int64, now time.Time) error {
	db := c.orm()
	return eachBatch(uniq(memberIDs), batchFor(db), func(batch []int64) error {
		cond, args := anyOf(db, "member_id", batch)
		return hotExec(db, `DELETE FROM reminder_snoozes WHERE due_at <= ? AND `+cond, append([]any{now.UTC()}, args...)...)
	})
}

// ReminderChat is where a member's reminders go: the chat they wrote from most recently among
// those that may receive them.
type ReminderChat struct {
	MemberID    int64
	Channel     string
	ChatID      string
	Lang        string // the conversation's language, or the member's when the chat has none
	LastInbound time.Time
}

// ChatRule says which chats of a channel may get reminders: only chats whose worker wrote
// since WroteSince, when set (WhatsApp: only recent chats).
type ChatRule struct {
	Channel    string
	WroteSince time.Time
}

// ReminderChats finds, for each member, the chat their reminders go to: a chat of one of the
// channels in rules that the worker wrote from, not opted out, not refused by the platform,
// the member not opted out either; of several, the one they wrote from last.
func ReminderChats(c Conn, memberIDs []int64, rules []ChatRule) (map[int64]ReminderChat, error) {
	db := c.orm()
	out := map[int64]ReminderChat{}
	if len(rules) == 0 {
		return out, nil
	}
	chCond, chArgs := chatRules(rules)
	err := eachRowOf(db, memberIDs, "cc.member_id", `SELECT cc.member_id, cc.channel, cc.chat_id, cc.last_inbound_at, COALESCE(c.lang, m.lang)
			FROM channel_contacts cc JOIN members m ON m.id = cc.member_id
			LEFT JOIN conversations c ON c.channel = cc.channel AND c.chat_id = cc.chat_id
			WHERE NOT cc.opted_out AND NOT cc.unreachable AND NOT m.opted_out AND m.erased_at IS NULL AND (`+chCond+`) AND %s`,
		chArgs, func(rows *sql.Rows) error {
			var c ReminderChat
			if err := rows.Scan(&c.MemberID, &c.Channel, &c.ChatID, &c.LastInbound, &c.Lang); err != nil {
				return err
			}
			if cur, ok := out[c.MemberID]; !ok || c.LastInbound.After(cur.LastInbound) {
				out[c.MemberID] = c
			}
			return nil
		})
	return out, err
}

// chatRules is the condition on cc (channel_contacts) that rules allow the chat.
func chatRules(rules []ChatRule) (string, []any) {
	var parts []string
	var args []any
	for _, r := range rules {
		if r.WroteSince.IsZero() {
			parts = append(parts, "cc.channel = ?")
			args = append(args, r.Channel)
			continue
		}
		parts = append(parts, "(cc.channel = ? AND cc.last_inbound_at >= ?)")
		args = append(args, r.Channel, r.WroteSince.UTC())
	}
	return strings.Join(parts, " OR "), args
}

// ReminderPlan asks DueForReminders who may be due a reminder in one zone's window: workers of
// those provinces whose latest enrollment has the month unpaid, as far as paid_until and the
// enrollment date tell, with nothing sent since the window began and a chat to send it to.
// The send job decides exactly (flows/reminder), from the worker's coverage.
type ReminderPlan struct {
	// Provinces are the zone's province codes; with Others set, every province except these
	// (the default zone takes unknown codes too).
	Provinces []string
	Others    bool
	Month     int       // YYYYMM the window belongs to
	MonthFrom time.Time // the first moment of Month (paid_until before it: Month unpaid)
	// PaidFrom: only enrollments paid up to a month starting at or after one of these
	// (paid_until >= it, and before the next one up): the months whose standing the window
	// may have a reminder for. A pair per range: [from, to).
	PaidRanges [][2]time.Time
	// First: enrollments with nothing paid, enrolled in [from, to), are due too (a first
	// payment); zero times for none.
	FirstFrom, FirstTo time.Time
	WindowDay          int       // YYYYMMDD the window began, in the zone: nothing sent since
	ReportedSince      time.Time // a self-report of Month made since then holds the reminder
	Chats              []ChatRule
	Limit              int // at most this many, 0 for all
}

// DueForReminders lists the workers ReminderPlan describes, by member id, in no order. It is
// the planner's one query over every member; the indexes of 0006 and 0040 serve it. A member
// with an older enrollment may be listed for it: Send reads their latest.
func DueForReminders(c Conn, p ReminderPlan) ([]int64, error) {
	db := c.orm()
	if len(p.Chats) == 0 {
		return nil, nil
	}
	var out []int64
	err := planning(db, func(tx *gorm.DB) error {
		q, args := dueForRemindersSQL(tx, p)
		var err error
		out, err = scanDue(hotQuery(tx, q, args...))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reminders due: %w", err)
	}
	return out, nil
}

// planning runs fn, the planner's query over every member, in a read-only transaction. On
// PostgreSQL it runs without nested loops and with room for hash tables: its anti-joins fool
// the row estimates (a handful of rows expected where there are a million), and probing
// indexes a million times takes many times longer than hashing once.
func planning(db *gorm.DB, fn func(tx *gorm.DB) error) error {
	if !isPostgres(db) {
		return fn(db)
	}
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SET TRANSACTION READ ONLY`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`SET LOCAL enable_nestloop = off`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`SET LOCAL work_mem = '64MB'`).Error; err != nil {
			return err
		}
		// Compiling the query costs more than it saves: it runs once, reading simple columns.
		if err := tx.Exec(`SET LOCAL jit = off`).Error; err != nil {
			return err
		}
		return fn(tx)
	})
}

// scanDue reads rows of member ids.
func scanDue(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// dueForRemindersSQL is DueForReminders' statement.
func dueForRemindersSQL(db *gorm.DB, p ReminderPlan) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString(`SELECT e.member_id FROM enrollments e JOIN members m ON m.id = e.member_id WHERE (`)
	var paid []string
	for _, r := range p.PaidRanges {
		paid = append(paid, "(e.paid_until >= ? AND e.paid_until < ?)")
		args = append(args, r[0].UTC(), r[1].UTC())
	}
	if !p.FirstFrom.IsZero() {
		paid = append(paid, "(e.paid_until IS NULL AND e.created_at >= ? AND e.created_at < ?)")
		args = append(args, p.FirstFrom.UTC(), p.FirstTo.UTC())
	}
	if len(paid) == 0 {
		paid = []string{"FALSE"}
	}
	b.WriteString(strings.Join(paid, " OR "))
	b.WriteString(`) AND (e.paid_until IS NULL OR e.paid_until < ?) AND NOT m.opted_out AND m.erased_at IS NULL`)
	args = append(args, p.MonthFrom.UTC())
	if len(p.Provinces) > 0 {
		cond, pargs := anyOf(db, "m.province_code", p.Provinces)
		if p.Others {
			cond = "NOT (" + cond + ")"
		}
		b.WriteString(" AND " + cond)
		args = append(args, pargs...)
	}
	chCond, chArgs := chatRules(p.Chats)
	b.WriteString(`
		AND (e.partner_id IS NULL OR e.partner_id NOT IN (SELECT pa.id FROM partners pa WHERE pa.sponsored))
		AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.member_id = e.member_id AND r.day >= ?)
		AND NOT EXISTS (SELECT 1 FROM reminder_snoozes s WHERE s.member_id = e.member_id)
		AND NOT EXISTS (SELECT 1 FROM payments sr WHERE sr.enrollment_id = e.id AND NOT sr.verified
			AND sr.first_month <= ? AND sr.last_month >= ? AND sr.paid_at >= ?)
		AND EXISTS (SELECT 1 FROM channel_contacts cc WHERE cc.member_id = e.member_id AND NOT cc.opted_out
			AND NOT cc.unreachable AND (` + chCond + `))`)
	args = append(args, p.WindowDay, p.Month, p.Month, p.ReportedSince.UTC())
	args = append(args, chArgs...)
	if p.Limit > 0 {
		b.WriteString(" LIMIT ?")
		args = append(args, p.Limit)
	}
	return b.String(), args
}

// SnoozesDue lists the workers whose request to be reminded again is due by now, in the given
// provinces (others: all but them), by member id.
func SnoozesDue(c Conn, provinces []string, others bool, now time.Time) ([]int64, error) {
	db := c.orm()
	q := `SELECT s.member_id FROM reminder_snoozes s JOIN members m ON m.id = s.member_id WHERE s.due_at <= ?`
	args := []any{now.UTC()}
	if len(provinces) > 0 {
		cond, pargs := anyOf(db, "m.province_code", provinces)
		if others {
			cond = "NOT (" + cond + ")"
		}
		q += " AND " + cond
		args = append(args, pargs...)
	}
	return scanDue(hotQuery(db, q, args...))
}

// LatestEnrollments returns each member's latest enrollment id, by member; members without one
// are left out.
func LatestEnrollments(c Conn, memberIDs []int64) (map[int64]int64, error) {
	db := c.orm()
	out := map[int64]int64{}
	err := eachRowOf(db, memberIDs, "member_id", `SELECT member_id, MAX(id) FROM enrollments WHERE %s GROUP BY member_id`, nil, func(rows *sql.Rows) error {
		var m, e int64
		if err := rows.Scan(&m, &e); err != nil {
			return err
		}
		out[m] = e
		return nil
	})
	return out, err
}

// ExplainDueForReminders returns the database's plan of DueForReminders, run (EXPLAIN
// ANALYZE) on PostgreSQL: for the benchmark and for operators looking at a slow planner.
func ExplainDueForReminders(c Conn, p ReminderPlan) (string, error) {
	db := c.orm()
	if !isPostgres(db) {
		return "", errors.New("EXPLAIN ANALYZE: PostgreSQL only")
	}
	var b strings.Builder
	err := planning(db, func(tx *gorm.DB) error {
		q, args := dueForRemindersSQL(tx, p)
		rows, err := hotQuery(tx, "EXPLAIN (ANALYZE, BUFFERS) "+q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			b.WriteString(line + "\n")
		}
		return rows.Err()
	})
	return b.String(), err
}

// ReminderCount is how many reminders of a stage were written in a period, and what became of
// their messages.
type ReminderCount struct {
	Stage     string
	Written   int64
	Delivered int64 // the message was sent
	Waiting   int64 // still in the outbox
	Failed    int64 // failed, or skipped (the worker blocked the bot)
}

// CountReminders counts the reminders of days fromDay to toDay (YYYYMMDD, inclusive) by stage.
// A message pruned from the outbox counts as written only.
func CountReminders(c Conn, fromDay, toDay int) ([]ReminderCount, error) {
	db := c.orm()
	var out []ReminderCount
	err := db.Raw(`SELECT r.stage AS stage, COUNT(*) AS written,
			SUM(CASE WHEN o.status = ? THEN 1 ELSE 0 END) AS delivered,
			SUM(CASE WHEN o.status IN (?, ?) THEN 1 ELSE 0 END) AS waiting,
			SUM(CASE WHEN o.status IN (?, ?) THEN 1 ELSE 0 END) AS failed
		FROM reminders_sent r LEFT JOIN outbox o ON o.dedupe_key = r.dedupe_key
		WHERE r.day BETWEEN ? AND ? GROUP BY r.stage`,
		OutboxSent, OutboxPending, OutboxSending, OutboxFailed, OutboxSkipped, fromDay, toDay).Scan(&out).Error
	return out, err
}

// OutboxStatus returns the status of the outbox row with dedupe key key; found is false when
// there is none (never written, or sent long ago and pruned).
func OutboxStatus(c Conn, key string) (status string, found bool, err error) {
	db := c.orm()
	res := db.Raw(`SELECT status FROM outbox WHERE dedupe_key = ?`, key).Scan(&status)
	return status, res.RowsAffected > 0, res.Error
}

// PruneReminders deletes reminders sent before beforeDay (YYYYMMDD): once their months are
// long settled they guard nothing.
func PruneReminders(c Conn, beforeDay int) (int64, error) {
	db := c.orm()
	var total int64
	for {
		res := db.Exec(`DELETE FROM reminders_sent WHERE id IN (SELECT id FROM reminders_sent WHERE day < ? LIMIT 5000)`, beforeDay)
		if res.Error != nil {
			return total, res.Error
		}
		total += res.RowsAffected
		if res.RowsAffected < 5000 {
			return total, nil
		}
	}
}
