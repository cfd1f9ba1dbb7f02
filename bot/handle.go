package bot

import (
	"context"
	"errors"
	"time"
)

// Handler takes inbound messages; Engine is one. Channel adapters hand their messages to one.
type Handler interface {
	Handle(ctx context.Context, in Inbound) (Result, error)
}

// maxCommitBackoff is the longest wait between two tries of a message the database could not
// take.
const maxCommitBackoff = 5 * time.Second

// HandleCommitted hands in to h, and again while h says the message was not committed because
// the database was unavailable (ErrNotCommitted), waiting a little longer each time (up to 5s),
// until it is committed or fails for good. Each try gets its own deadline, attempt (none when
// 0), and is not cut short by ctx: a message being handled is handled to the end. Only the wait
// between tries ends with ctx, and then HandleCommitted returns ErrNotCommitted: the channel
// must leave the message unconfirmed, so that the platform (or the next start) delivers it
// again. Messages of one chat wait behind it in the channel's queue, so their order holds.
func HandleCommitted(ctx context.Context, h Handler, in Inbound, attempt time.Duration) (Result, error) {
	var wait time.Duration
	for {
		actx, cancel := context.WithoutCancel(ctx), context.CancelFunc(func() {})
		if attempt > 0 {
			actx, cancel = context.WithTimeout(actx, attempt)
		}
		res, err := h.Handle(actx, in)
		cancel()
		if !errors.Is(err, ErrNotCommitted) {
			return res, err
		}
		wait = min(max(2*wait, 100*time.Millisecond), maxCommitBackoff)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return res, err
		case <-t.C:
		}
	}
}
