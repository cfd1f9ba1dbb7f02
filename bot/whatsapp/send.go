package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"bpubot/bot"
	"bpubot/models"

	"go.mau.fi/whatsmeow/types"
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

// Send implements bot.Channel. While outbound is paused it asks the dispatcher to wait for the
// whole channel until the pause ends. A message the worker did not just ask for (Bulk) goes
// only to a chat that wrote to the bot first, did not opt out, and is on WhatsApp; otherwise
// it fails for good with the reason. Error 463 (no new chats for a while) pauses outbound.
func (c *Channel) Send(ctx context.Context, msg bot.Outgoing) error {
	now := c.now()
	if p, ok := c.activePause(now); ok {
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
		return &bot.RetryAfterError{After: p.Until.Sub(now), Global: true, Err: err}
	}
	return err
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

// activePause returns the pause in force at now, if any.
func (c *Channel) activePause(now time.Time) (Pause, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pause, c.pause.Active(now)
}

func (c *Channel) pausedNow() bool {
	_, ok := c.activePause(c.now())
	return ok
}

// startPause holds back all outbound until p.Until, records why, and says so.
func (c *Channel) startPause(ctx context.Context, p Pause) {
	c.mu.Lock()
	if p.Until.Before(c.pause.Until) {
		p = c.pause // a longer pause already holds
	}
	c.pause = p
	c.mu.Unlock()
	c.metrics.paused(p)
	c.log.Error("whatsapp: outbound paused", "reason", p.Reason, "until", p.Until.UTC().Format(time.RFC3339), "detail", bot.MaskID(p.Detail))
	if err := recordPause(context.WithoutCancel(ctx), c.db, p, c.now()); err != nil {
		c.log.Error("whatsapp: record pause failed", "err", err)
	}
}
