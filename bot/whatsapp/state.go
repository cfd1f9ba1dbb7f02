package whatsapp

import (
	"context"
	"time"

	"bpubot/locales"
	"bpubot/models"
)

// State is where this process's WhatsApp connection stands. Each state has one human text per
// language (locales: whatsapp.state.<name>); /readyz and the logs use the English one.
type State int

// States of the connection.
const (
	StateStarting       State = iota // Run has not decided anything yet
	StateStandby                     // another process holds the connection (PostgreSQL lock)
	StateNotPaired                   // no linked number
	StateConnecting                  // connecting, or reconnecting after a drop
	StateConnected                   // connected and logged in: messages flow
	StateLoggedOut                   // unlinked from the phone: pair again
	StateStreamReplaced              // the session was opened elsewhere: stopped
	StateBanned                      // temporarily banned: waiting for the ban to end
	StateOutdated                    // WhatsApp rejects this client version
	StateStopped                     // Run has returned
)

var stateNames = [...]string{
	StateStarting:       "starting",
	StateStandby:        "standby",
	StateNotPaired:      "not_paired",
	StateConnecting:     "connecting",
	StateConnected:      "connected",
	StateLoggedOut:      "logged_out",
	StateStreamReplaced: "stream_replaced",
	StateBanned:         "banned",
	StateOutdated:       "outdated",
	StateStopped:        "stopped",
}

// String is the state's short name, as in metrics and the whatsapp_state table.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Text is the state's human text in lang; detail fills {detail} (why, until when).
func (s State) Text(lang, detail string) string {
	return locales.Text(lang, "whatsapp.state."+s.String(), "detail", detail)
}

// Healthy reports whether the state needs no one's attention: connected, or standing by
// while another process holds the connection.
func (s State) Healthy() bool { return s == StateConnected || s == StateStandby }

// parseState reads a state's short name.
func parseState(name string) State {
	for i, n := range stateNames {
		if n == name {
			return State(i)
		}
	}
	return StateStarting
}

// StateRecord is the state the process holding the connection last wrote.
type StateRecord struct {
	State     State
	Detail    string
	UpdatedAt time.Time
}

// writeState records the state for `bpubot whatsapp status`.
func writeState(ctx context.Context, db *models.DB, s State, detail string, now time.Time) error {
	return models.SaveWhatsAppState(db.WithContext(ctx), models.WhatsAppState{State: s.String(), Detail: detail, UpdatedAt: now})
}

// ReadState returns the state last recorded, or ok false when none was.
func ReadState(ctx context.Context, db *models.DB) (rec StateRecord, ok bool, err error) {
	s, ok, err := models.LastWhatsAppState(db.WithContext(ctx))
	if err != nil || !ok {
		return rec, false, err
	}
	return StateRecord{State: parseState(s.State), Detail: s.Detail, UpdatedAt: s.UpdatedAt}, true, nil
}

// stateError is the readiness error of an unhealthy state.
type stateError struct {
	state  State
	detail string
}

func (e *stateError) Error() string { return e.state.Text("en", e.detail) }
