package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Channel sends replies to one messaging platform. Adapters also turn platform events into
// Inbound messages and hand them to Engine.Handle; that side has no common shape.
type Channel interface {
	Name() string
	// Send delivers one outbox row. It returns nil on success, ErrUnreachable when the platform
	// refuses the recipient for good, a *RetryAfterError when the platform asks us to wait, a
	// *PermanentError for a message that can never be sent, and any other error for a
	// transient failure worth retrying with backoff.
	Send(ctx context.Context, msg Outgoing) error
}

// Outgoing is one outbox row on its way out.
type Outgoing struct {
	OutboxID  int64
	Recipient string
	Reply     Reply
	Bulk      bool // a reminder or broadcast rather than a reply to someone waiting
}

// Limits are a channel's sending limits. Zero values mean no limit.
type Limits struct {
	PerSecond       float64       // messages per second over the whole channel
	Burst           int           // how many may go at once before PerSecond applies
	PerChatInterval time.Duration // least time between two messages to one chat
	// GroupInterval, when longer, is the least time between two messages to a group chat
	// (a chat id starting with "-", as Telegram's are): the staff group.
	GroupInterval time.Duration
	BulkInterval  time.Duration // least time between two bulk messages over the whole channel
	BulkJitter    time.Duration // up to this much random time added to each BulkInterval
	// MaxText, when set, lets consecutive replies to one inbound message go as one message of
	// up to this many characters (as NumberedText renders it).
	MaxText int
}

// Limited is implemented by channels that must be sent to slowly.
type Limited interface {
	Limits() Limits
}

// LimiterUser is implemented by channels that send something besides outbox rows (Telegram
// edits the message whose button was pressed): Register gives them the channel's limiter, so
// those calls count against the same limits as the messages.
type LimiterUser interface {
	UseLimiter(*Limiter)
}

// Standby is implemented by channels that at times cannot send from this process: another
// process holds the connection (WhatsApp), or it is down and reconnecting. Meanwhile the
// dispatcher claims none of their rows, so they wait in the outbox for whoever can send them.
type Standby interface {
	Standby() bool
}

// ErrUnreachable means the platform will not deliver to this recipient (blocked the bot,
// account gone). The dispatcher marks them unreachable and stops sending to them.
var ErrUnreachable = errors.New("recipient unreachable")

// RetryAfterError asks the dispatcher to wait before trying again, for this chat or, when
// Global, for the whole channel.
type RetryAfterError struct {
	After  time.Duration
	Global bool
	Err    error
}

func (e *RetryAfterError) Error() string {
	scope := "chat"
	if e.Global {
		scope = "channel"
	}
	return fmt.Sprintf("rate limited (%s), retry after %s: %v", scope, e.After, e.Err)
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// PermanentError is a send that will never succeed (a malformed message, say).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "permanent send failure: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }
