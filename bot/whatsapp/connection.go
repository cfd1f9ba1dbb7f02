package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"bpubot/models"

	"go.mau.fi/whatsmeow/types/events"
)

// shutdownGrace is how long Run, once ctx ends, stays connected for the dispatcher to send the
// replies to messages it took in.
const shutdownGrace = 10 * time.Second

// Run holds the WhatsApp connection until ctx ends: it takes the connection lock (waiting on
// standby while another process holds it), connects, reconnects with backoff when the
// connection drops, and stops for good when WhatsApp says the session is over (logged out:
// `bpubot whatsapp pair` is needed; stream replaced: the session is open elsewhere) or waits
// out a temporary ban. With no linked number it waits for one to be paired.
//
// When ctx ends, Run handles the messages it has taken, gives the dispatcher a moment to send
// their replies, disconnects, and returns. It returns nil: WhatsApp trouble never stops the
// other channels; it shows in /readyz, the metrics and the logs.
func (c *Channel) Run(ctx context.Context) error {
	c.handleCtx, c.runCtx = context.WithoutCancel(ctx), ctx
	defer func() {
		c.queues.Wait()
		c.setState(StateStopped, "")
	}()
	for ctx.Err() == nil {
		lost, release, err := c.lock.Acquire(ctx, func() { c.setState(StateStandby, "") })
		if err != nil {
			if ctx.Err() == nil {
				c.log.Error("whatsapp: connection lock failed", "err", err)
			}
			break
		}
		c.mu.Lock()
		c.holding = true
		c.mu.Unlock()
		c.hold(ctx, lost)
		c.mu.Lock()
		c.holding = false
		c.mu.Unlock()
		release()
	}
	return nil
}

// hold runs the connection while this process holds the lock, until ctx ends or the lock is
// lost (then another process takes over).
func (c *Channel) hold(parent context.Context, lost <-chan struct{}) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	defer func() {
		// Recorded while still holding the lock; a state that needs someone's attention
		// (logged out, stream replaced, banned) stays on record instead.
		if st, _ := c.State(); parent.Err() != nil && (st.Healthy() || st == StateConnecting || st == StateNotPaired) {
			c.setState(StateStopped, "")
		}
	}()
	go func() {
		select {
		case <-lost:
			c.log.Error("whatsapp: connection lock lost; disconnecting so another process can take over")
			cancel()
		case <-ctx.Done():
		}
	}()
	if c.isStopped() {
		// Stopped for good earlier (stream replaced, outdated) and the lock came back: still
		// stopped, so no other process fights either.
		<-ctx.Done()
		return
	}
	c.loadPause(ctx)
	failures := 0
	unpaired := false
	for ctx.Err() == nil {
		now := c.now()
		if p, ok := c.activePause(now); ok && p.Reason == PauseTemporaryBan {
			c.setState(StateBanned, banDetail(p))
			// Looked at again every LockRetry rather than slept through: the clock decides.
			if !sleep(ctx, min(p.Until.Sub(now), c.cfg.LockRetry)) {
				return
			}
			continue
		}
		cli, err := c.connector.Open(ctx)
		if errors.Is(err, ErrNotPaired) {
			// After a logout the state stays logged_out, which says more than not_paired.
			if st, _ := c.State(); st != StateLoggedOut {
				c.setState(StateNotPaired, "")
			}
			unpaired = true
			if !sleep(ctx, c.cfg.LockRetry) {
				return
			}
			continue
		}
		if unpaired {
			// Just paired by `bpubot whatsapp pair`, which logs in once itself: connecting
			// at the same moment would knock one of the two off. Give it a moment first.
			unpaired = false
			if !sleep(ctx, c.cfg.LockRetry) {
				return
			}
			continue // and read the device again, as that login left it
		}
		if err != nil {
			failures++
			c.log.Error("whatsapp: open session failed", "err", err)
			if !sleep(ctx, c.backoff(failures)) {
				return
			}
			continue
		}
		var end sessionEnd
		end, failures = c.runSession(ctx, parent, cli, failures)
		switch end {
		case endRetry:
			c.metrics.reconnects.Inc()
			if !sleep(ctx, c.backoff(failures)) {
				return
			}
		case endReopen:
			// Logged out or banned: the top of the loop looks at the store and the pauses again.
		case endStop:
			c.mu.Lock()
			c.stopped = true
			c.mu.Unlock()
			<-ctx.Done() // stay stopped, holding the lock so no other process fights either
			return
		case endDone:
			return
		}
	}
}

type sessionEnd int

const (
	endRetry  sessionEnd = iota // the connection dropped or failed: reconnect after a backoff
	endReopen                   // logged out or banned: look at the store and pauses again
	endStop                     // stream replaced, client outdated: stop until restarted
	endDone                     // ctx ended
)

// runSession connects cli and follows its connection events until the session ends. failures
// counts connection failures in a row; it is reset once logged in.
func (c *Channel) runSession(ctx, parent context.Context, cli Client, failures int) (sessionEnd, int) {
	s := newSession(cli)
	defer close(s.done)
	cli.AddEventHandler(c.handleEvent(s))
	c.setState(StateConnecting, "")
	if err := cli.Connect(ctx); err != nil {
		c.log.Warn("whatsapp: connect failed", "err", err, "failures", failures+1)
		cli.Disconnect()
		return endRetry, failures + 1
	}
	// end detaches the session before the state says why: from then on nothing is sent on it.
	var ended bool
	end := func() {
		if ended {
			return
		}
		ended = true
		c.mu.Lock()
		c.current = nil
		c.mu.Unlock()
		cli.Disconnect()
	}
	defer end()
	for {
		select {
		case <-ctx.Done():
			if parent.Err() != nil {
				c.finishInFlight()
			}
			end()
			return endDone, failures
		case evt := <-s.events:
			switch e := evt.(type) {
			case *events.Connected:
				c.mu.Lock()
				s.own = ownIDs{pn: cli.OwnID(), lid: cli.OwnLID()}
				c.current = s
				c.mu.Unlock()
				failures = 0
				c.setState(StateConnected, "")
				if c.notify != nil {
					c.notify(Name)
				}
			case *events.Disconnected:
				end()
				c.log.Warn("whatsapp: connection lost; reconnecting", "failures", failures+1)
				return endRetry, failures + 1
			case *events.ConnectFailure:
				end()
				c.log.Warn("whatsapp: connection refused; reconnecting", "reason", e.Reason.String(), "message", e.Message)
				return endRetry, failures + 1
			case *events.LoggedOut:
				end()
				// whatsmeow has already deleted the device from the store.
				c.setState(StateLoggedOut, e.Reason.String())
				return endReopen, 0
			case *events.StreamReplaced:
				end()
				c.setState(StateStreamReplaced, "")
				return endStop, failures
			case *events.ClientOutdated:
				end()
				c.setState(StateOutdated, "")
				return endStop, failures
			case *events.TemporaryBan:
				end()
				expire := e.Expire
				if expire <= 0 {
					expire = c.cfg.RestrictionPause
				}
				c.startPause(ctx, Pause{Reason: PauseTemporaryBan, Detail: e.Code.String(), Until: c.now().Add(expire)})
				return endReopen, 0
			}
		}
	}
}

// finishInFlight, at shutdown, lets the chat queues handle every message taken in and gives
// the dispatcher up to c.grace to send the replies due now, while still connected.
func (c *Channel) finishInFlight() {
	c.queues.Wait()
	if c.grace <= 0 || c.connected() == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.grace)
	defer cancel()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		n, err := models.RepliesDue(c.db.WithContext(ctx), Name, c.now())
		if err != nil || n == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// loadPause picks up a pause recorded earlier, by this process before a restart or by another.
func (c *Channel) loadPause(ctx context.Context) {
	p, ok, err := ActivePause(ctx, c.db, c.now())
	if err != nil {
		c.log.Error("whatsapp: read pauses failed", "err", err)
		return
	}
	if !ok {
		c.metrics.setPausedUntil(time.Time{})
		return
	}
	c.mu.Lock()
	if p.Until.After(c.pause.Until) {
		c.pause = p
	}
	c.mu.Unlock()
	c.metrics.setPausedUntil(p.Until)
	c.log.Warn("whatsapp: outbound paused", "reason", p.Reason, "until", p.Until.UTC().Format(time.RFC3339))
}

func (c *Channel) isStopped() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stopped
}

func banDetail(p Pause) string {
	return fmt.Sprintf("%s; until %s", p.Detail, p.Until.UTC().Format(time.RFC3339))
}
