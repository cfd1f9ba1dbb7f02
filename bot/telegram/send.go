package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"bpubot/bot"

	tgbot "github.com/go-telegram/bot"
)

// Send implements bot.Channel: one outbox row as one message (several when the text is over
// Telegram's 4,096 characters, the keyboard on the last). The dispatcher has already waited for
// the channel's limits (Limits).
func (c *Channel) Send(ctx context.Context, msg bot.Outgoing) error {
	chatID, err := strconv.ParseInt(msg.Recipient, 10, 64)
	if err != nil {
		return &bot.PermanentError{Err: fmt.Errorf("telegram: recipient %q is not a chat id", bot.MaskID(msg.Recipient))}
	}
	if strings.TrimSpace(msg.Reply.Text) == "" {
		return &bot.PermanentError{Err: fmt.Errorf("telegram: empty message (outbox %d)", msg.OutboxID)}
	}
	text := msg.Reply.Text
	markup, err := replyMarkup(msg.Reply)
	if err != nil {
		// A choice Telegram cannot carry as a button: numbered lines instead, as on WhatsApp,
		// which the engine reads back. Better than a question that never arrives.
		c.log.Warn("telegram: sending choices as numbered lines", "outbox_id", msg.OutboxID, "err", err)
		text, markup = bot.NumberedText(msg.Reply), removeKeyboard{RemoveKeyboard: true}
	}
	// A hung request would hold one of the dispatcher's workers; it is retried instead.
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	parts := splitText(text)
	for i := c.parts.done(msg.OutboxID); i < len(parts); i++ {
		params := &tgbot.SendMessageParams{ChatID: chatID, Text: parts[i]}
		if i == len(parts)-1 {
			params.ReplyMarkup = markup
		}
		if _, err := c.api.SendMessage(ctx, params); err != nil {
			err = c.classify(msg.Recipient, msg.Bulk, err)
			var perm *bot.PermanentError
			if i > 0 && !errors.As(err, &perm) && !errors.Is(err, bot.ErrUnreachable) {
				// The retry starts after the parts already delivered.
				c.parts.set(msg.OutboxID, i)
			} else {
				c.parts.clear(msg.OutboxID)
			}
			return err
		}
	}
	c.parts.clear(msg.OutboxID)
	return nil
}

// sendTimeout bounds one Send.
const sendTimeout = 30 * time.Second

// partsSent remembers, for a long message cut in parts, how many parts went before a send
// failed, so the retry does not send them twice. It lives in memory: after a restart, or on
// another process, the whole message goes again.
type partsSent struct {
	mu sync.Mutex
	m  map[int64]int
}

func (p *partsSent) done(id int64) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[id]
}

func (p *partsSent) set(id int64, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[int64]int{}
	}
	p.m[id] = n
}

func (p *partsSent) clear(id int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, id)
}

// floods decides whether a 429 was about one chat or the whole bot. Telegram does not say. The
// dispatcher already keeps each chat to its interval, so one chat's 429 is taken as that chat's
// (edits and callback answers, which go around the dispatcher, can push a chat over); but a
// 429 on a bulk message, or on a second chat while the first one's retry_after runs, means the
// bot as a whole is over its limit (another process sending with the same token, a limit set
// too high), and everything waits.
type floods struct {
	mu    sync.Mutex
	chat  string
	until time.Time
}

func (f *floods) global(chat string, bulk bool, after time.Duration, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	global := bulk || (now.Before(f.until) && f.chat != chat)
	f.chat, f.until = chat, now.Add(after)
	return global
}
