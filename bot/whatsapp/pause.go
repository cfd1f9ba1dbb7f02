package whatsapp

import (
	"context"
	"time"

	"bpubot/models"
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
func recordPause(ctx context.Context, db *models.DB, p Pause, now time.Time) error {
	return models.AddWhatsAppPause(db.WithContext(ctx), models.WhatsAppPause{Reason: string(p.Reason), Detail: p.Detail, StartAt: now, Until: p.Until})
}

// ActivePause returns the pause that ends last, if one still holds at now.
func ActivePause(ctx context.Context, db *models.DB, now time.Time) (Pause, bool, error) {
	p, ok, err := models.LatestWhatsAppPause(db.WithContext(ctx), now)
	if err != nil || !ok {
		return Pause{}, false, err
	}
	return Pause{Reason: PauseReason(p.Reason), Detail: p.Detail, Until: p.Until}, true, nil
}
