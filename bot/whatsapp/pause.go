package whatsapp

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// PauseReason says why outbound WhatsApp messages are paused.
type PauseReason string

// Reasons for a pause.
const (
	PauseTemporaryBan     PauseReason = "temporary_ban"     // WhatsApp banned the number for a while
	PauseReachoutTimelock PauseReason = "reachout_timelock" // error 463: no new chats for a while
)

// Pause holds back every outbound message until Until.
type Pause struct {
	Reason PauseReason
	Detail string // WhatsApp's own words, when it gave any
	Until  time.Time
}

// Active reports whether the pause still holds at now.
func (p Pause) Active(now time.Time) bool { return p.Until.After(now) }

// recordPause stores a pause, so a restart or another process taking over keeps it.
func recordPause(ctx context.Context, db *gorm.DB, p Pause, now time.Time) error {
	return db.WithContext(ctx).Exec(`INSERT INTO whatsapp_pauses (reason, detail, started_at, until_at) VALUES (?, ?, ?, ?)`,
		string(p.Reason), p.Detail, now.UTC(), p.Until.UTC()).Error
}

// ActivePause returns the pause that ends last, if one still holds at now.
func ActivePause(ctx context.Context, db *gorm.DB, now time.Time) (Pause, bool, error) {
	var row struct {
		Reason  string
		Detail  string
		UntilAt time.Time
	}
	res := db.WithContext(ctx).Raw(`SELECT reason, detail, until_at FROM whatsapp_pauses ORDER BY until_at DESC LIMIT 1`).Scan(&row)
	if res.Error != nil {
		return Pause{}, false, res.Error
	}
	p := Pause{Reason: PauseReason(row.Reason), Detail: row.Detail, Until: row.UntilAt}
	if res.RowsAffected == 0 || !p.Active(now) {
		return Pause{}, false, nil
	}
	return p, true, nil
}
