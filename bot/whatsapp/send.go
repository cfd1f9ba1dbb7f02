package whatsapp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"bpubot/bot"
	"bpubot/models"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// notConnectedRetry is how soon a row that met a dropped connection is tried again; the
// dispatcher claims nothing while the channel is on standby, so it waits in the outbox.
const notConnectedRetry = 5 * time.Second

// onWhatsAppTTL is how long an IsOnWhatsApp answer is trusted: every look-up is a query to
// WhatsApp, and many of them are themselves a sign of a bulk sender.
const onWhatsAppTTL = 24 * time.Hour

type onWhatsApp struct {
	ok bool
	at time.Time
}

// Send implements bot.Channel. During a temporary ban it asks the dispatcher to wait for the
// whole channel until the ban ends; during a reach-out timelock (WhatsApp refuses new chats)
// only chats whose worker has not written recently wait, and replies to workers who just wrote
// go on. A message the worker did not just ask for (Bulk) goes only to a chat that wrote to the
// bot first, did not opt out, and is on WhatsApp; otherwise it fails for good with the reason.
// Error 463 starts a reach-out timelock.
func (c *Channel) Send(ctx context.Context, msg bot.Outgoing) error {
	now := c.now()
	p, paused := c.activePause(now)
	if paused && p.Reason != PauseReachoutTimelock {
		return &bot.RetryAfterError{After: p.Until.Sub(now), Global: true,
			Err: fmt.Errorf("whatsapp outbound paused (%s) until %s", p.Reason, p.Until.UTC().Format(time.RFC3339))}
	}
	s := c.connected()
	if s == nil {
		return &bot.RetryAfterError{After: notConnectedRetry, Global: true, Err: ErrNotConnected}
	}
	to, err := types.ParseJID(msg.Recipient)
	if err != nil || (to.Server != types.DefaultUserServer && to.Server != types.HiddenUserServer) {
		return &bot.PermanentError{Err: fmt.Errorf("%w: %q", ErrBadRecipient, bot.MaskID(msg.Recipient))}
	}
	if paused {
		if wait, err := c.timelocked(ctx, to, p, now); err != nil || wait != nil {
			return cmp.Or(err, error(wait))
		}
	}
	if msg.Bulk {
		if err := c.mayReceiveBulk(ctx, s, to); err != nil {
			return &bot.PermanentError{Err: err}
		}
	}
	err = s.cli.SendText(ctx, to, bot.NumberedText(msg.Reply))
	if errors.Is(err, ErrNotConnected) {
		// The connection dropped under us: not the message's fault, and the reconnect is on.
		return &bot.RetryAfterError{After: notConnectedRetry, Global: true, Err: err}
	}
	var serr *ServerError
	if errors.As(err, &serr) && serr.Code == ReachoutTimelockCode {
		p := Pause{Reason: PauseReachoutTimelock, Detail: serr.Error(), Until: now.Add(c.cfg.RestrictionPause)}
		c.startPause(ctx, p)
		return &bot.RetryAfterError{After: p.Until.Sub(now), Err: err} // this chat waits; the others carry on
	}
	return err
}

// timelocked decides a message under a reach-out timelock: a chat whose worker wrote within
// RecentChat goes on (nil, nil); any other waits until the timelock ends.
func (c *Channel) timelocked(ctx context.Context, to types.JID, p Pause, now time.Time) (*bot.RetryAfterError, error) {
	st, err := models.ContactStandingOf(c.db.WithContext(ctx), Name, to.String())
	if err != nil {
		return nil, fmt.Errorf("reach-out check: %w", err)
	}
	if st.WroteFirst && now.Sub(st.LastInbound) < c.cfg.RecentChat {
		return nil, nil
	}
	return &bot.RetryAfterError{After: p.Until.Sub(now),
		Err: fmt.Errorf("whatsapp reach-out timelock until %s: this chat has not written recently", p.Until.UTC().Format(time.RFC3339))}, nil
}

// onReachoutTimelock takes WhatsApp's notice of a reach-out timelock: new chats are refused
// until TimeEnforcementEnds (or for RestrictionPause when it does not say), or, when it is no
// longer active, the timelock is over.
func (c *Channel) onReachoutTimelock(e *events.NotifyAccountReachoutTimelock) {
	now := c.now()
	if !e.IsActive {
		c.endPause(PauseReachoutTimelock)
		return
	}
	until := e.TimeEnforcementEnds.Time
	if !until.After(now) {
		until = now.Add(c.cfg.RestrictionPause)
	}
	c.startPause(context.Background(), Pause{Reason: PauseReachoutTimelock, Detail: e.EnforcementType, Until: until})
}

// mayReceiveBulk applies the opt-in rule: the chat wrote to the bot first (it has a
// channel_contacts row), neither the chat nor the member opted out, WhatsApp has not refused
// it, and the number is on WhatsApp.
func (c *Channel) mayReceiveBulk(ctx context.Context, s *session, to types.JID) error {
	st, err := models.ContactStandingOf(c.db.WithContext(ctx), Name, to.String())
	if err != nil {
		return fmt.Errorf("opt-in check: %w", err)
	}
	var refusal error
	switch {
	case !st.WroteFirst:
		refusal = ErrNotOptedIn
	case st.OptedOut:
		refusal = ErrOptedOut
	case st.Unreachable:
		refusal = ErrRecipientUnreachable
	}
	if refusal == nil && to.Server == types.DefaultUserServer {
		on, err := c.isOnWhatsApp(ctx, s, to)
		if err != nil {
			return fmt.Errorf("IsOnWhatsApp: %w", err)
		}
		if !on {
			refusal = ErrNotOnWhatsApp
		}
	}
	if refusal != nil {
		c.metrics.refused.WithLabelValues(refusalLabel(refusal)).Inc()
		c.log.Info("whatsapp: bulk message refused", "recipient", bot.MaskID(to.String()), "reason", refusal)
	}
	return refusal
}

func refusalLabel(err error) string {
	switch {
	case errors.Is(err, ErrNotOptedIn):
		return "not_opted_in"
	case errors.Is(err, ErrOptedOut):
		return "opted_out"
	case errors.Is(err, ErrRecipientUnreachable):
		return "unreachable"
	default:
		return "not_on_whatsapp"
	}
}

// isOnWhatsApp asks WhatsApp once a day at most per number.
func (c *Channel) isOnWhatsApp(ctx context.Context, s *session, to types.JID) (bool, error) {
	key := to.User
	now := c.now()
	c.mu.Lock()
	cached, ok := c.onWA[key]
	c.mu.Unlock()
	if ok && now.Sub(cached.at) < onWhatsAppTTL {
		return cached.ok, nil
	}
	on, err := s.cli.IsOnWhatsApp(ctx, "+"+to.User)
	if err != nil {
		return false, err
	}
	c.mu.Lock()
	if len(c.onWA) > 100_000 {
		c.onWA = map[string]onWhatsApp{}
	}
	c.onWA[key] = onWhatsApp{ok: on, at: now}
	c.mu.Unlock()
	return on, nil
}

// endPause ends a pause of the given kind early (WhatsApp lifted it).
func (c *Channel) endPause(reason PauseReason) {
	c.mu.Lock()
	ended := c.pause.Reason == reason && c.pause.Active(c.now())
	if ended {
		c.pause.Until = c.now()
	}
	p := c.pause
	c.mu.Unlock()
	if ended {
		c.metrics.paused(p)
		c.log.Info("whatsapp: pause lifted", "reason", reason)
	}
}

// activePause returns the pause in force at now, if any.
func (c *Channel) activePause(now time.Time) (Pause, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pause, c.pause.Active(now)
}

// pausedNow reports a pause that stops every message (a ban), not a reach-out timelock, which
// leaves the chats that wrote recently alone.
func (c *Channel) pausedNow() bool {
	p, ok := c.activePause(c.now())
	return ok && p.Reason != PauseReachoutTimelock
}

// startPause holds back outbound until p.Until (all of it, or under a reach-out timelock the
// chats without recent messages), records why, and says so. A ban in force is not narrowed to
// a timelock; between two pauses of one kind the later end holds.
func (c *Channel) startPause(ctx context.Context, p Pause) {
	c.mu.Lock()
	now := c.now()
	switch cur := c.pause; {
	case cur.Active(now) && cur.Reason != PauseReachoutTimelock && p.Reason == PauseReachoutTimelock:
		p = cur
	case cur.Active(now) && cur.Reason == p.Reason && p.Until.Before(cur.Until):
		p = cur
	}
	c.pause = p
	c.mu.Unlock()
	c.metrics.paused(p)
	c.log.Error("whatsapp: outbound paused", "reason", p.Reason, "until", p.Until.UTC().Format(time.RFC3339), "detail", bot.MaskID(p.Detail))
	if err := recordPause(context.WithoutCancel(ctx), c.db, p, c.now()); err != nil {
		c.log.Error("whatsapp: record pause failed", "err", err)
	}
}
