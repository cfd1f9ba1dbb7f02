package whatsapp

import (
	"context"
	"errors"
	"time"

	"bpubot/bot"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// session is one client from connecting to disconnecting. Its handler gets every event of
// that client: messages go to the chat queues, connection events to the supervisor.
type session struct {
	cli    Client
	own    ownIDs
	events chan any      // connection events for the supervisor
	done   chan struct{} // closed when the supervisor is done with the session
}

func newSession(cli Client) *session {
	return &session{cli: cli, own: ownIDs{pn: cli.OwnID(), lid: cli.OwnLID()}, events: make(chan any, 8), done: make(chan struct{})}
}

// handleEvent is the client's event handler. whatsmeow calls it for one event at a time and
// waits; for a message it waits for the engine's commit (in the chat's goroutine) and reports
// whether it happened, so that WhatsApp is told it was received only once it is safely stored.
// A message not committed (shutting down during a database outage, say) is not acknowledged,
// and WhatsApp delivers it again, to this process or the next.
func (c *Channel) handleEvent(s *session) func(evt any) bool {
	return func(evt any) bool {
		switch e := evt.(type) {
		case *events.Message:
			return c.onMessage(s, e)
		case *events.NotifyAccountReachoutTimelock:
			c.onReachoutTimelock(e)
		case *events.Connected, *events.Disconnected, *events.LoggedOut, *events.StreamReplaced,
			*events.TemporaryBan, *events.ClientOutdated, *events.ConnectFailure:
			select {
			case s.events <- evt:
			case <-s.done:
			}
		}
		return true
	}
}

// onMessage hands a message to its chat's queue and waits until the engine has committed it
// (or given up: shutdown during an outage).
func (c *Channel) onMessage(s *session, e *events.Message) bool {
	c.mu.Lock()
	own := s.own
	c.mu.Unlock()
	in, reason := fromWhatsApp(e, own)
	if reason != "" {
		c.metrics.ignored.WithLabelValues(string(reason)).Inc()
		return true
	}
	committed := make(chan bool, 1)
	// Keyed by the chat as WhatsApp addressed it: one goroutine per chat keeps its order.
	err := c.queues.Push(c.runCtx, e.Info.Chat.ToNonAD().String(), func() { c.handleMessage(c.handleCtx, s, e.Info, in, committed) })
	if err != nil {
		return false // shutting down
	}
	return <-committed
}

// handleTimeout bounds one try of the engine on one message, as on Telegram.
const handleTimeout = 30 * time.Second

// handleMessage shows "typing…", runs the message through the engine (which queues the
// replies for the dispatcher), says on committed whether it was committed, and marks it read.
func (c *Channel) handleMessage(ctx context.Context, s *session, info types.MessageInfo, in bot.Inbound, committed chan<- bool) {
	chat, phone := c.resolveSender(ctx, s, info)
	in.ChatID, in.UserID, in.Phone = chat.String(), chat.String(), phone
	typing := !c.pausedNow()
	if typing {
		if err := s.cli.SendTyping(ctx, info.Chat.ToNonAD(), true); err != nil {
			c.log.Debug("whatsapp: typing failed", "chat", bot.MaskID(in.ChatID), "err", err)
		}
	}
	// Tried again while the database is away; the engine logs its own failures and apologises.
	res, err := bot.HandleCommitted(c.runCtx, c.handler, in, handleTimeout)
	if errors.Is(err, bot.ErrNotCommitted) {
		committed <- false
		return // shutting down during an outage: no blue ticks, no acknowledgement
	}
	committed <- true
	if rerr := s.cli.MarkRead(ctx, info.ID, info.Chat, info.Sender, c.now()); rerr != nil {
		c.log.Debug("whatsapp: read receipt failed", "chat", bot.MaskID(in.ChatID), "err", rerr)
	}
	if typing && err == nil && (res.Duplicate || len(res.Replies) == 0) {
		if terr := s.cli.SendTyping(ctx, info.Chat.ToNonAD(), false); terr != nil {
			c.log.Debug("whatsapp: typing failed", "chat", bot.MaskID(in.ChatID), "err", terr)
		}
	}
}

// resolveSender returns the address replies go to and the sender's phone number (E.164). A
// sender WhatsApp names by LID (a hidden-user id) is looked up by phone number: in the
// message's alternative address, else in the session store's LID map. The phone-number address
// is preferred as the chat id, so one worker is one conversation however WhatsApp addressed
// them; when no number is known the LID is used and the phone question is asked as elsewhere.
func (c *Channel) resolveSender(ctx context.Context, s *session, info types.MessageInfo) (types.JID, string) {
	sender := info.Sender.ToNonAD()
	if sender.IsEmpty() {
		sender = info.Chat.ToNonAD()
	}
	if sender.Server == types.HiddenUserServer {
		if alt := info.SenderAlt.ToNonAD(); alt.Server == types.DefaultUserServer {
			sender = alt
		} else if pn, err := s.cli.PNForLID(ctx, sender); err == nil && pn.Server == types.DefaultUserServer {
			sender = pn.ToNonAD()
		} else if err != nil {
			c.log.Warn("whatsapp: LID look-up failed", "lid", bot.MaskID(sender.String()), "err", err)
		}
	}
	if sender.Server == types.DefaultUserServer && sender.User != "" {
		return sender, "+" + sender.User
	}
	return sender, ""
}
