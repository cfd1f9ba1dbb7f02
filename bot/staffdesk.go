package bot

import (
	"context"
	"slices"
	"strings"
)

// StaffInput is what a staff member sends the bot on a chat platform: a command, a reply to a
// request's message in the staff group, a pressed staff button, or the next answer of a guided
// command.
type StaffInput struct {
	Channel string
	ChatID  string // where answers go: the staff group, or the staff member's own chat
	UserID  string // who sent it
	Group   bool   // sent in the staff group
	Text    string
	// ReplyTo is the text of the bot's message this one replies to (a request's notice or a
	// forwarded message), "" when none.
	ReplyTo string
	// Button is a pressed button's value (StaffButtonPrefix...), "" for a message.
	Button string
}

// StaffDesk takes what staff send on a channel, apart from workers' messages: *staff.Service
// is one. Its answers go through the outbox like every message.
type StaffDesk interface {
	// IsStaff reports, cheaply (workers' messages ask it), whether a user is a staff member.
	IsStaff(ctx context.Context, channel, userID string) bool
	// InDialog reports whether a staff member is in the middle of a guided command, so that
	// their next message is its answer.
	InDialog(ctx context.Context, channel, userID string) bool
	// HandleStaff handles one input. alert is a short text for the pressed button's own
	// answer ("" for none).
	HandleStaff(ctx context.Context, in StaffInput) (alert string, err error)
}

// StaffCommands are the commands that go to the StaffDesk from a private chat whoever types
// them: anyone not on the staff is told they are for staff only.
var StaffCommands = []string{"siaran", "laporan", "batal_siaran", "balas", "selesai", "ambil", "permintaan", "petugas_bantuan"}

// StaffCommand reads "/balas 12 teks" or "/balas@bot 12 teks" as ("balas", "12 teks"); ok is
// false for anything that is not one of StaffCommands.
func StaffCommand(text string) (name, rest string, ok bool) {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "/") {
		return "", "", false
	}
	head, rest, _ := strings.Cut(t[1:], " ")
	if i := strings.IndexAny(head, "\n"); i >= 0 {
		head, rest = head[:i], head[i+1:]+" "+rest
	}
	name, _, _ = strings.Cut(head, "@")
	name = strings.ToLower(name)
	return name, strings.TrimSpace(rest), slices.Contains(StaffCommands, name)
}
