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
func CreateBroadcast(db *gorm.DB, b *Broadcast) error { return db.Create(b).Error }

// FindBroadcast loads a broadcast.
func FindBroadcast(db *gorm.DB, id int64) (*Broadcast, error) {
	var b Broadcast
	return firstOrNotFound(&b, db.Take(&b, id).Error)
}

// Broadcasts lists broadcasts, newest first; partnerID, when set, keeps that partner's.
func Broadcasts(db *gorm.DB, partnerID *int64, limit int) ([]Broadcast, error) {
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
func UpdateBroadcastIf(db *gorm.DB, id int64, from []string, cols map[string]any) error {
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
func BroadcastsDue(db *gorm.DB, now time.Time) ([]int64, error) {
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

// FanOutBatch adds the outbox rows of the next batch (up to n chats) of broadcast b's segment
// s, in one transaction with the cursor's move and the counts: run again after a crash, it goes
// on from the last batch committed. Each row's dedupe key (broadcast, channel, chat) makes a
// second insert of the same recipient a no-op, so a batch run twice adds nothing twice.
// Rows are bulk priority: replies to workers go first.
//
// The batch is cut by chat id (channel_contacts.id), which only grows: a worker who first
// writes during the fan-out is after the cursor and gets it too.
func FanOutBatch(db *gorm.DB, b *Broadcast, s Segment, p BroadcastPayloads, n int, loc *time.Location) (FanOutResult, error) {
	var out FanOutResult
	err := db.Transaction(func(tx *gorm.DB) error {
		// The broadcast row is locked for the batch: a cancel waits for it, and a second
		// fan-out of the same broadcast (another process) waits and then finds the cursor moved.
		var cur Broadcast
		q := tx.Model(&Broadcast{}).Where("id = ?", b.ID)
		if IsPostgres(tx) {
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
		var upper *int64
		limArgs := append([]any{cur.CursorID}, args...)
		limArgs = append(limArgs, n)
		if err := tx.Raw(`SELECT MAX(id) FROM (SELECT cc.id`+segmentFrom+` WHERE cc.id > ?`+w.String()+` ORDER BY cc.id LIMIT ?) batch`, limArgs...).
			Scan(&upper).Error; err != nil {
			return err
		}
		now := p.Now
		if upper == nil {
			out.Done = true
			return tx.Model(&Broadcast{}).Where("id = ?", b.ID).Updates(map[string]any{"fanned_out_at": now, "updated_at": now}).Error
		}
		rangeArgs := append([]any{cur.CursorID, *upper}, args...)
		var counts struct{ OptedOut, Unreachable int64 }
		if err := tx.Raw(`SELECT SUM(CASE WHEN `+segmentOptedOut+` THEN 1 ELSE 0 END) AS opted_out,
			SUM(CASE WHEN NOT `+segmentOptedOut+` AND `+segmentUnreachable+` THEN 1 ELSE 0 END) AS unreachable`+segmentFrom+`
			WHERE cc.id > ? AND cc.id <= ?`+w.String(), rangeArgs...).Scan(&counts).Error; err != nil {
			return err
		}
		plain := p.PlainChannels
		if len(plain) == 0 {
			plain = []string{""}
		}
		prefix := "b:" + strconv.FormatInt(b.ID, 10) + ":"
		insertArgs := []any{plain, p.ENPlain, p.IDPlain, p.EN, p.ID, now, prefix, now, b.ID}
		insertArgs = append(insertArgs, rangeArgs...)
		res := tx.Exec(`INSERT INTO outbox (channel, recipient, payload, status, attempts, next_attempt_at, dedupe_key, priority, last_error, created_at, broadcast_id)
			SELECT cc.channel, cc.chat_id,
				CASE WHEN cc.channel IN ? THEN (CASE WHEN `+segmentLang+` = 'en' THEN ? ELSE ? END)
					ELSE (CASE WHEN `+segmentLang+` = 'en' THEN ? ELSE ? END) END,
				'pending', 0, ?, ? || cc.channel || ':' || cc.chat_id, `+strconv.Itoa(PriorityBulk)+`, '', ?, ?`+segmentFrom+`
			WHERE cc.id > ? AND cc.id <= ?`+w.String()+` AND NOT `+segmentOptedOut+` AND NOT `+segmentUnreachable+`
			ON CONFLICT DO NOTHING`, insertArgs...)
		if res.Error != nil {
			return res.Error
		}
		out.Queued, out.OptedOut, out.Unreachable = res.RowsAffected, counts.OptedOut, counts.Unreachable
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
func CancelBroadcastRows(db *gorm.DB, id int64) (int64, error) {
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
func BroadcastDelivery(db *gorm.DB, id int64) ([]DeliveryCount, error) {
	var out []DeliveryCount
	err := db.Raw(`SELECT status, CASE WHEN status IN ('failed', 'skipped') THEN last_error ELSE '' END AS reason, COUNT(*) AS n
		FROM outbox WHERE broadcast_id = ? GROUP BY status, CASE WHEN status IN ('failed', 'skipped') THEN last_error ELSE '' END
		ORDER BY status, reason`, id).Scan(&out).Error
	return out, err
}

// BroadcastReplies counts the recipients who wrote to the bot after their message was sent.
func BroadcastReplies(db *gorm.DB, id int64) (int64, error) {
	var n int64
	err := db.Raw(`SELECT COUNT(*) FROM outbox o JOIN channel_contacts cc ON cc.channel = o.channel AND cc.chat_id = o.recipient
		WHERE o.broadcast_id = ? AND o.status = 'sent' AND cc.last_inbound_at > o.sent_at`, id).Scan(&n).Error
	return n, err
}

// BroadcastRowsLeft counts a broadcast's rows not yet sent, failed or skipped.
func BroadcastRowsLeft(db *gorm.DB, id int64) (int64, error) {
	var n int64
	err := db.Model(&Outbox{}).Where("broadcast_id = ? AND status IN ?", id, []string{OutboxPending, OutboxSending}).Count(&n).Error
	return n, err
}

// StartScheduled starts a scheduled broadcast whose time has come.
func StartScheduled(db *gorm.DB, id int64, now time.Time) error {
	return db.Model(&Broadcast{}).Where("id = ? AND status = ? AND scheduled_at <= ?", id, BroadcastScheduled, now).
		Updates(map[string]any{"status": BroadcastSending, "started_at": now, "updated_at": now}).Error
}
