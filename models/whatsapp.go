package models

import (
	"context"
	"time"
)

// What the WhatsApp channel keeps in bpubot's database besides whatsmeow's own session tables.

// WhatsAppState is the connection state the process holding the WhatsApp connection last
// recorded, by its short name (bot/whatsapp's State).
type WhatsAppState struct {
	State     string
	Detail    string
	UpdatedAt time.Time
}

// SaveWhatsAppState records the connection state, for `bpubot whatsapp status`.
func SaveWhatsAppState(c Conn, s WhatsAppState) error {
	db := c.orm()
	return db.Exec(`INSERT INTO whatsapp_state (id, state, detail, updated_at) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, detail = excluded.detail, updated_at = excluded.updated_at`,
		s.State, s.Detail, s.UpdatedAt.UTC()).Error
}

// LastWhatsAppState returns the state last recorded; ok is false when none was.
func LastWhatsAppState(c Conn) (s WhatsAppState, ok bool, err error) {
	db := c.orm()
	res := db.Raw(`SELECT state, detail, updated_at FROM whatsapp_state WHERE id = 1`).Scan(&s)
	return s, res.RowsAffected > 0, res.Error
}

// WhatsAppPause holds back every outbound WhatsApp message until Until: a temporary ban, or a
// reach-out restriction (error 463).
type WhatsAppPause struct {
	Reason  string
	Detail  string // WhatsApp's own words, when it gave any
	StartAt time.Time
	Until   time.Time
}

// AddWhatsAppPause records a pause, so a restart or another process taking over keeps it.
func AddWhatsAppPause(c Conn, p WhatsAppPause) error {
	db := c.orm()
	return db.Exec(`INSERT INTO whatsapp_pauses (reason, detail, started_at, until_at) VALUES (?, ?, ?, ?)`,
		p.Reason, p.Detail, p.StartAt.UTC(), p.Until.UTC()).Error
}

// LatestWhatsAppPause returns the pause that ends last, if one still holds at now.
func LatestWhatsAppPause(c Conn, now time.Time) (p WhatsAppPause, ok bool, err error) {
	db := c.orm()
	res := db.Raw(`SELECT reason, detail, started_at AS start_at, until_at AS until FROM whatsapp_pauses
		ORDER BY until_at DESC LIMIT 1`).Scan(&p)
	if res.Error != nil || res.RowsAffected == 0 || !p.Until.After(now) {
		return WhatsAppPause{}, false, res.Error
	}
	return p, true, nil
}

// UpgradeWhatsmeowStore runs upgrade, whatsmeow's upgrade of its session store tables, holding
// LockWhatsAppStore: whatsmeow takes no lock of its own, and processes may start at once.
//
// On PostgreSQL it first creates whatsmeow's version table, exactly as whatsmeow's dbutil
// would, in the first schema of the search path: whatsmeow looks that table up in
// information_schema without naming a schema, so a whatsmeow_version in any other schema
// (another bpubot, a test) would fool it into skipping the creation here. So every whatsmeow
// table lands in the bot's own schema.
func UpgradeWhatsmeowStore(ctx context.Context, db *DB, upgrade func() error) error {
	return WithLock(ctx, db, LockWhatsAppStore, func() error {
		if IsPostgres(db) {
			if _, err := SQLDB(db).ExecContext(ctx, `CREATE TABLE IF NOT EXISTS whatsmeow_version (version INTEGER, compat INTEGER)`); err != nil {
				return err
			}
		}
		return upgrade()
	})
}
