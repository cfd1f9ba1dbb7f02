package telegram

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"bpubot/bot"

	tgbot "github.com/go-telegram/bot"
)

// errShuttingDown refuses updates that arrive after Run began to stop.
var errShuttingDown = bot.ErrQueueClosed

// errBadChoice is a choice Telegram cannot carry as callback data (empty or over 64 bytes): a
// bug in a flow. Send falls back to numbered lines.
func errBadChoice(value string) error {
	return &bot.PermanentError{Err: fmt.Errorf("telegram: choice value %q cannot be callback data (1–%d bytes)", value, maxCallbackLen)}
}

// Bad Request descriptions that mean the chat itself cannot be written to, not the message.
var unreachableDescriptions = []string{"chat not found", "user not found", "peer_id_invalid", "user is deactivated"}

// classify maps a Bot API error to what the dispatcher understands (bot.Channel.Send):
//   - 429 becomes a *bot.RetryAfterError with Telegram's retry_after, global or for the chat
//     (see floods.global);
//   - 403 (blocked by the user, user deactivated) and a 400 saying the chat does not exist wrap
//     bot.ErrUnreachable;
//   - any other 400, and a group that became a supergroup, are a *bot.PermanentError;
//   - the rest (5xx, 401/404 while the token or server URL is wrong, network) stay plain
//     errors and are retried with backoff.
func (c *Channel) classify(chat string, bulk bool, err error) error {
	var tooMany *tgbot.TooManyRequestsError
	var migrate *tgbot.MigrateError
	switch {
	case errors.As(err, &tooMany):
		after := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
		return &bot.RetryAfterError{After: after, Global: c.floods.global(chat, bulk, after, time.Now()), Err: err}
	case errors.Is(err, tgbot.ErrorForbidden):
		return fmt.Errorf("telegram: %w: %w", bot.ErrUnreachable, err)
	case errors.As(err, &migrate):
		return &bot.PermanentError{Err: err}
	case errors.Is(err, tgbot.ErrorBadRequest):
		desc := strings.ToLower(err.Error())
		for _, d := range unreachableDescriptions {
			if strings.Contains(desc, d) {
				return fmt.Errorf("telegram: %w: %w", bot.ErrUnreachable, err)
			}
		}
		return &bot.PermanentError{Err: err}
	default:
		return err
	}
}
