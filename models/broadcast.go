package models

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Broadcast statuses: a draft is written and previewed, then confirmed, which schedules it (a
// time ahead) or starts sending it; it ends done, or cancelled by staff.
const (
	BroadcastDraft     = "draft"
	BroadcastScheduled = "scheduled"
	BroadcastSending   = "sending"
	BroadcastDone      = "done"
	BroadcastCancelled = "cancelled"
)

// Broadcast is an announcement from staff to a segment of workers.
type Broadcast struct {
	ID              int64 `gorm:"primaryKey"`
	Status          string
	TextID          string // Indonesian
	TextEN          string `gorm:"column:text_en"` // English, optional: English-speaking chats get it
	Buttons         string // JSON list of button names ("daftar", "bayar")
	Segment         string // JSON of Segment
	PartnerID       *int64 // a partner's broadcast reaches only that partner's workers
	CreatedBy       *int64
	CreatedByName   string
	ConfirmedByName string
	PreviewedAt     *time.Time
	ConfirmedAt     *time.Time
	ScheduledAt     *time.Time
	StartedAt       *time.Time
	FannedOutAt     *time.Time // every recipient's message is in the outbox
	FinishedAt      *time.Time
	CancelledAt     *time.Time
	CursorID        int64 // the last channel_contacts id the fan-out has passed
	Queued          int64 // messages added to the outbox
	SkippedOptedOut int64
	// SkippedUnreachable counts chats left out for a platform's refusal at fan-out; those refused
	// while sending are in the report's skipped count.
	SkippedUnreachable int64
	Report             string    // JSON of the last delivery report
	CreatedAt          time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt          time.Time `gorm:"autoUpdateTime:false"`
}

// CreateBroadcast stores a new broadcast and sets its ID.
func CreateBroadcast(c Conn, b *Broadcast) error { return c.orm().Create(b).Error }

// FindBroadcast loads a broadcast.
func FindBroadcast(c Conn, id int64) (*Broadcast, error) {
	db := c.orm()
	var b Broadcast
	return firstOrNotFound(&b, db.Take(&b, id).Error)
}

// Broadcasts lists broadcasts, newest first; partnerID, when set, keeps that partner's.
func Broadcasts(c Conn, partnerID *int64, limit int) ([]Broadcast, error) {
	db := c.orm()
	var out []Broadcast
	q := db.Order("id DESC").Limit(limit)
	if partnerID != nil {
		q = q.Where("partner_id = ?", *partnerID)
	}
	err := q.Find(&out).Error
	return out, err
}

// ErrBroadcastState is returned when a broadcast is not in a state that allows the change.
var ErrBroadcastState = errors.New("the broadcast is not in a state that allows this")

// UpdateBroadcastIf sets columns of a broadcast whose status is one of from, and reports
// ErrBroadcastState when it is in none of them.
func UpdateBroadcastIf(c Conn, id int64, from []string, cols map[string]any) error {
	db := c.orm()
	res := db.Model(&Broadcast{}).Where("id = ? AND status IN ?", id, from).Updates(cols)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrBroadcastState
	}
	return nil
}

// BroadcastsDue lists broadcasts whose fan-out is to be done now: sending and not fanned out,
// or scheduled for a time that has come (those become sending here).
func BroadcastsDue(c Conn, now time.Time) ([]int64, error) {
	db := c.orm()
	if err := db.Model(&Broadcast{}).Where("status = ? AND scheduled_at <= ?", BroadcastScheduled, now).
		Updates(map[string]any{"status": BroadcastSending, "started_at": now, "updated_at": now}).Error; err != nil {
		return nil, err
	}
	var ids []int64
	err := db.Model(&Broadcast{}).Where("status = ? AND fanned_out_at IS NULL", BroadcastSending).Order("id").Pluck("id", &ids).Error
	return ids, err
}

// BroadcastPayloads are a broadcast's messages as outbox payloads, by the chat's language and
// whether its channel shows buttons.
type BroadcastPayloads struct {
	ID, EN               string // with buttons
	IDPlain, ENPlain     string // for channels without buttons (WhatsApp)
	PlainChannels        []string
	Now                  time.Time
	BroadcastID, Partner int64
}

// FanOutResult is what one batch of a fan-out did.
type FanOutResult struct {
	Queued, OptedOut, Unreachable int64
	Done                          bool // the segment's last chat is passed
}

// FanOutBatch adds the outbox rows of the next batch (the next n chats, those of the segment
// among them) of broadcast b's segment
// s, in one transaction with the cursor's move and the counts: run again after a crash, it goes
// on from the last batch committed. Each row's dedupe key (broadcast, channel, chat) makes a
// second insert of the same recipient a no-op, so a batch run twice adds nothing twice.
// Rows are bulk priority: replies to workers go first.
//
// The batch is cut by chat id (channel_contacts.id), which only grows: a worker who first
// writes during the fan-out is after the cursor and gets it too.
func FanOutBatch(c Conn, b *Broadcast, s Segment, p BroadcastPayloads, n int, loc *time.Location) (FanOutResult, error) {
	db := c.orm()
	var out FanOutResult
	err := db.Transaction(func(tx *gorm.DB) error {
		// The broadcast row is locked for the batch: a cancel waits for it, and a second
		// fan-out of the same broadcast (another process) waits and then finds the cursor moved.
		var cur Broadcast
		q := tx.Model(&Broadcast{}).Where("id = ?", b.ID)
		if isPostgres(tx) {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Take(&cur).Error; err != nil {
			return err
		}
		if cur.Status != BroadcastSending || cur.FannedOutAt != nil {
			out.Done = true
			return nil
		}
		var w strings.Builder
		args := s.where(&w, loc)
		// The batch is the next n chats by id, whether or not the segment takes them: the
		// bound comes from the primary key alone, and the filters run on that range only.
		var upper *int64
		if err := tx.Raw(`SELECT MAX(id) FROM (SELECT id FROM channel_contacts WHERE id > ? ORDER BY id LIMIT ?) batch`, cur.CursorID, n).
			Scan(&upper).Error; err != nil {
			return err
		}
		now := p.Now
		if upper == nil {
			out.Done = true
			return tx.Model(&Broadcast{}).Where("id = ?", b.ID).Updates(map[string]any{"fanned_out_at": now, "updated_at": now}).Error
		}
		rangeArgs := append([]any{cur.CursorID, *upper}, args...)
		plain := p.PlainChannels
		if len(plain) == 0 {
			plain = []string{""}
		}
		prefix := "b:" + strconv.FormatInt(b.ID, 10) + ":"
		// The batch's chats with what decides their message and whether they get one.
		batch := `SELECT cc.channel, cc.chat_id, ` + segmentLang + ` AS lang, ` + segmentOptedOut + ` AS opted_out, ` +
			segmentUnreachable + ` AS unreachable` + segmentFrom + ` WHERE cc.id > ? AND cc.id <= ?` + w.String()
		insert := `INSERT INTO outbox (channel, recipient, payload, status, attempts, next_attempt_at, dedupe_key, priority, last_error, created_at, broadcast_id)
			SELECT channel, chat_id,
				CASE WHEN channel IN ? THEN (CASE WHEN lang = 'en' THEN ? ELSE ? END) ELSE (CASE WHEN lang = 'en' THEN ? ELSE ? END) END,
				'pending', 0, ?, ? || channel || ':' || chat_id, ` + strconv.Itoa(PriorityBulk) + `, '', ?, ? FROM b
			WHERE NOT opted_out AND NOT unreachable ON CONFLICT DO NOTHING`
		insertArgs := []any{plain, p.ENPlain, p.IDPlain, p.EN, p.ID, now, prefix, now, b.ID}
		const skipped = `COALESCE(SUM(CASE WHEN opted_out THEN 1 ELSE 0 END), 0) AS opted_out,
			COALESCE(SUM(CASE WHEN NOT opted_out AND unreachable THEN 1 ELSE 0 END), 0) AS unreachable`
		var counts struct{ Queued, OptedOut, Unreachable int64 }
		if isPostgres(tx) {
			// One statement: the batch is read once, inserted and counted.
			err := tx.Raw(`WITH b AS (`+batch+`), ins AS (`+insert+` RETURNING 1)
				SELECT (SELECT COUNT(*) FROM ins) AS queued, `+skipped+` FROM b`, append(rangeArgs, insertArgs...)...).Scan(&counts).Error
			if err != nil {
				return err
			}
		} else {
			// SQLite has no INSERT inside WITH: the batch is read twice.
			if err := tx.Raw(`WITH b AS (`+batch+`) SELECT `+skipped+` FROM b`, rangeArgs...).Scan(&counts).Error; err != nil {
				return err
			}
			res := tx.Exec(`WITH b AS (`+batch+`) `+insert, append(rangeArgs, insertArgs...)...)
			if res.Error != nil {
				return res.Error
			}
			counts.Queued = res.RowsAffected
		}
		out.Queued, out.OptedOut, out.Unreachable = counts.Queued, counts.OptedOut, counts.Unreachable
		return tx.Model(&Broadcast{}).Where("id = ?", b.ID).Updates(map[string]any{
			"cursor_id": *upper, "updated_at": now,
			"queued":              gorm.Expr("queued + ?", out.Queued),
			"skipped_opted_out":   gorm.Expr("skipped_opted_out + ?", out.OptedOut),
			"skipped_unreachable": gorm.Expr("skipped_unreachable + ?", out.Unreachable),
		}).Error
	})
	return out, err
}

// CancelBroadcastRows skips a broadcast's rows not yet claimed by a sender, and returns how
// many. Rows a sender holds (sending) may still go: that is the in-flight window.
func CancelBroadcastRows(c Conn, id int64) (int64, error) {
	db := c.orm()
	res := db.Model(&Outbox{}).Where("broadcast_id = ? AND status = ?", id, OutboxPending).
		Updates(map[string]any{"status": OutboxSkipped, "last_error": "broadcast cancelled", "payload": RedactedPayload})
	return res.RowsAffected, res.Error
}

// DeliveryCount is a broadcast's outbox rows by status and, for failed and skipped ones, reason.
type DeliveryCount struct {
	Status string
	Reason string
	N      int64
}

// BroadcastDelivery counts a broadcast's outbox rows by status and reason.
func BroadcastDelivery(c Conn, id int64) ([]DeliveryCount, error) {
	db := c.orm()
	var out []DeliveryCount
	err := db.Raw(`SELECT status, CASE WHEN status IN ('failed', 'skipped') THEN last_error ELSE '' END AS reason, COUNT(*) AS n
		FROM outbox WHERE broadcast_id = ? GROUP BY status, CASE WHEN status IN ('failed', 'skipped') THEN last_error ELSE '' END
		ORDER BY status, reason`, id).Scan(&out).Error
	return out, err
}

// BroadcastReplies counts the recipients who wrote to the bot after their message was sent.
func BroadcastReplies(c Conn, id int64) (int64, error) {
	db := c.orm()
	var n int64
	err := db.Raw(`SELECT COUNT(*) FROM outbox o JOIN channel_contacts cc ON cc.channel = o.channel AND cc.chat_id = o.recipient
		WHERE o.broadcast_id = ? AND o.status = 'sent' AND cc.last_inbound_at > o.sent_at`, id).Scan(&n).Error
	return n, err
}

// BroadcastRowsLeft counts a broadcast's rows not yet sent, failed or skipped.
func BroadcastRowsLeft(c Conn, id int64) (int64, error) {
	db := c.orm()
	var n int64
	err := db.Model(&Outbox{}).Where("broadcast_id = ? AND status IN ?", id, []string{OutboxPending, OutboxSending}).Count(&n).Error
	return n, err
}

// StartScheduled starts a scheduled broadcast whose time has come.
func StartScheduled(c Conn, id int64, now time.Time) error {
	db := c.orm()
	return db.Model(&Broadcast{}).Where("id = ? AND status = ? AND scheduled_at <= ?", id, BroadcastScheduled, now).
		Updates(map[string]any{"status": BroadcastSending, "started_at": now, "updated_at": now}).Error
}

// SetBroadcastReport stores a broadcast's last delivery report (JSON).
func SetBroadcastReport(c Conn, id int64, report string) error {
	return c.orm().Model(&Broadcast{}).Where("id = ?", id).Update("report", report).Error
}

// BroadcastsFannedOut lists the sending broadcasts whose fan-out is done: those to finish once
// their rows are settled.
func BroadcastsFannedOut(c Conn) ([]Broadcast, error) {
	var out []Broadcast
	err := c.orm().Where("status = ? AND fanned_out_at IS NOT NULL", BroadcastSending).Order("id").Find(&out).Error
	return out, err
}
