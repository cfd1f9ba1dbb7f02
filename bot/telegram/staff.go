package telegram

import (
	"context"
	"strconv"
	"strings"

	"bpubot/bot"

	"github.com/go-telegram/bot/models"
)

// WithStaffDesk hands what staff send to desk instead of the engine: commands and replies in
// the staff group (chat staffChat), staff commands and guided-command answers in private chats,
// and presses of staff buttons. Group messages that are neither (chatter) are ignored.
func WithStaffDesk(desk bot.StaffDesk, staffChat int64) Option {
	return func(c *Channel) { c.staff, c.staffChat = desk, staffChat }
}

// staffInput reads an update meant for the staff desk; ok is false for anything else (a
// worker's message, or chatter in the group), which goes on to the engine's path.
func (c *Channel) staffInput(ctx context.Context, upd *models.Update) (in bot.StaffInput, cq *models.CallbackQuery, ok bool) {
	switch {
	case upd.Message != nil:
		m := upd.Message
		if m.From == nil || m.From.IsBot || m.Text == "" {
			return in, nil, false
		}
		in = bot.StaffInput{Channel: Name, ChatID: formatID(m.Chat.ID), UserID: formatID(m.From.ID), Text: m.Text}
		if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == c.api.ID() {
			in.ReplyTo = r.Text
		}
		_, _, command := bot.StaffCommand(m.Text)
		if c.staffChat != 0 && m.Chat.ID == c.staffChat {
			in.Group = true
			return in, nil, command || in.ReplyTo != ""
		}
		if m.Chat.Type != models.ChatTypePrivate {
			return in, nil, false
		}
		if command {
			return in, nil, true
		}
		// A staff member's next answer in a guided command (/siaran), or /batal of one.
		return in, nil, c.staff.IsStaff(ctx, Name, in.UserID) && c.staff.InDialog(ctx, Name, in.UserID)
	case upd.CallbackQuery != nil:
		q := upd.CallbackQuery
		if !strings.HasPrefix(q.Data, bot.StaffButtonPrefix) || q.From.IsBot {
			return in, nil, false
		}
		chat := strconv.FormatInt(q.From.ID, 10)
		if m := q.Message.Message; m != nil {
			chat = formatID(m.Chat.ID)
		}
		in = bot.StaffInput{Channel: Name, ChatID: chat, UserID: formatID(q.From.ID), Button: q.Data,
			Group: c.staffChat != 0 && chat == formatID(c.staffChat)}
		return in, q, true
	}
	return in, nil, false
}

// handleStaff runs one staff input through the desk and answers a pressed button. It is always
// confirmed to Telegram: a failure is logged, and staff can send the command again.
func (c *Channel) handleStaff(ctx context.Context, in bot.StaffInput, cq *models.CallbackQuery, h *handling) {
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.handleTimeout)
	alert, err := c.staff.HandleStaff(hctx, in)
	cancel()
	if err != nil {
		c.log.Error("telegram: a staff command failed", "chat", bot.MaskID(in.ChatID), "err", err)
	}
	h.committed = true
	close(h.done)
	if cq != nil {
		c.answer(context.WithoutCancel(ctx), cq, alert)
	}
}
