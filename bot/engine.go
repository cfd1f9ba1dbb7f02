package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"time"

	"bpubot/locales"
	"bpubot/models"
)

// Flows decides what to answer. It runs inside the engine's transaction with the conversation
// row locked: everything it writes through s.Tx commits together with the new state and the
// replies, or not at all.
type Flows interface {
	Handle(ctx context.Context, s *Session) error
}

// Session is one inbound message being handled. Tx is its transaction: what models'
// functions read and write through it commits together with the new state and the replies.
type Session struct {
	Tx      *models.Tx
	Conv    *models.Conversation
	In      Inbound
	Now     time.Time
	New     bool     // the conversation was created by this message
	Offered []Choice // the choices offered by the last reply, decoded once for engine and flows
	replies []Reply
	notices []notice
	forget  bool
	kept    []Choice
}

// notice is a message to someone other than the sender, such as the staff chat.
type notice struct {
	channel, recipient string
	reply              Reply
}

// Notice queues a message to recipient on channel (the staff chat, say), written to the outbox
// with the replies when the transaction commits. It goes through the dispatcher's claim loop,
// under that channel's limits, not the hand-over kept for the sender's replies.
func (s *Session) Notice(channel, recipient string, r Reply) {
	s.notices = append(s.notices, notice{channel: channel, recipient: recipient, reply: r})
}

// Offer keeps choices valid besides those of the replies: a question still open on the side,
// whose buttons must still be accepted (a reminder not yet delivered).
func (s *Session) Offer(choices ...Choice) { s.kept = append(s.kept, choices...) }

// Offering returns the choices the replies said so far offer: those of the last one that has
// any, as the engine records them.
func (s *Session) Offering() []Choice {
	for i := len(s.replies) - 1; i >= 0; i-- {
		if len(s.replies[i].Choices) > 0 {
			return s.replies[i].Choices
		}
	}
	return nil
}

// Forget tells the engine not to record this chat as a contact: the worker has just asked for
// their data to be erased.
func (s *Session) Forget() { s.forget = true }

// Say queues a reply; it is written to the outbox when the transaction commits.
func (s *Session) Say(r Reply) {
	if r.Lang == "" {
		r.Lang = s.Conv.Lang
	}
	s.replies = append(s.replies, r)
}

// Lang is the conversation's language.
func (s *Session) Lang() string { return s.Conv.Lang }

// Clock tells the time; tests use a fixed one.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// Engine handles inbound messages: dedupe, conversation lock, flow, outbox, in one transaction.
type Engine struct {
	DB      *models.DB
	Flows   Flows
	Clock   Clock
	Log     *slog.Logger
	Metrics *Metrics
	// Notify, when set, is called after a commit that queued replies (the dispatcher's wake-up).
	Notify func(channel string)
	// Outlet, when set, takes the replies straight from the commit to the sender (the
	// dispatcher): they are inserted already claimed, so no claim query is needed for them.
	Outlet Outlet
	// DefaultLang is the language a new conversation starts in when its channel does not say
	// (Inbound.Lang empty, as on Telegram and WhatsApp) or says one we do not speak
	// (conversation.default_lang); "" is locales.Default.
	DefaultLang string
}

// lang is the language for in when no conversation says otherwise.
func (e *Engine) lang(in Inbound) string {
	switch {
	case locales.Supported(in.Lang):
		return in.Lang
	case locales.Supported(e.DefaultLang):
		return e.DefaultLang
	}
	return locales.Default
}

// Outlet is what the engine hands committed replies to; Dispatcher is one.
type Outlet interface {
	Owner() int64
	Reserve(channel string, n int) (lease time.Duration, owner int64, ok bool)
	Release(channel string, n int)
	Deliver(channel string, rows []models.Outbox, replies []Reply)
}

// Result says what Handle did.
type Result struct {
	Duplicate bool
	// Stale: a button the last reply did not offer was pressed; nothing was changed or sent.
	Stale bool
	// Lang is the conversation's language.
	Lang    string
	Replies []Reply

	pending  bool            // rows were queued for the dispatcher's claim loop
	noticed  []string        // channels of notices queued for the claim loop
	reserved int             // room reserved at the Outlet
	handed   []models.Outbox // rows inserted claimed, for the Outlet once committed
}

// errDuplicate marks a redelivered message (models.ErrDuplicate from BeginMessage).
var errDuplicate = errors.New("duplicate inbound")

// errPanic marks a message whose handling panicked.
var errPanic = errors.New("handling panicked")

// ErrNotCommitted marks a message Handle could not commit because the database was unavailable.
// Nothing of it was written and it was not answered: the channel must not confirm it to the
// platform, so that it is handled again (HandleCommitted retries it; a platform redelivers it).
// Any other error from Handle is final: the worker got an apology and the message is done.
var ErrNotCommitted = errors.New("message not committed: database unavailable")

// unavailable tells whether a failed message failed because the database is away, rather than
// for a reason of its own (a flow's bug, a row lock held past the deadline): the error says
// so, or the database does not answer a ping now.
func (e *Engine) unavailable(ctx context.Context, err error) bool {
	if models.IsUnavailable(err) {
		return true
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	return e.DB.Ping(pctx) != nil
}

const maxBusyRetries = 8

// Handle runs DESIGN.md's step 2 for one message. Messages of one chat are handled one at a
// time, in the order their transactions take the conversation's row lock; messages of different
// chats run in parallel (on SQLite they serialise on the database's write lock).
func (e *Engine) Handle(ctx context.Context, in Inbound) (Result, error) {
	start := time.Now()
	now := e.now()
	in = cleanInbound(in)
	if in.At.IsZero() {
		in.At = now
	}
	var res Result
	var err error
	for attempt := 0; ; attempt++ {
		res, err = e.handleOnce(ctx, in, now)
		if res.reserved > 0 {
			if err == nil {
				e.Outlet.Deliver(in.Channel, res.handed, res.Replies)
			} else {
				e.Outlet.Release(in.Channel, res.reserved)
			}
			res.handed, res.reserved = nil, 0
		}
		if err == nil || !models.IsBusy(err) || attempt >= maxBusyRetries || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	if errors.Is(err, errDuplicate) {
		e.Metrics.duplicate(in.Channel)
		return Result{Duplicate: true}, nil
	}
	if err != nil && !errors.Is(err, errPanic) && e.unavailable(ctx, err) {
		// Nothing was committed and the database is away: the message must come again (the
		// channel does not confirm it), and is answered then. No apology: it would need the
		// database too, and the answer itself follows once it is back.
		e.Metrics.notCommitted(in.Channel)
		e.log().Warn("message not handled: the database is unavailable; it will be handled when it is back",
			"channel", in.Channel, "chat", MaskID(in.ChatID), "external_id", in.ExternalID, "err", err)
		return Result{}, fmt.Errorf("%w: %w", ErrNotCommitted, err)
	}
	if err != nil {
		e.log().Error("handle inbound failed", "channel", in.Channel, "chat", MaskID(in.ChatID), "external_id", in.ExternalID, "err", err)
		// The worker still hears from us: a short apology, outside the failed transaction, and
		// not under ctx, which may be what ended it (a deadline).
		lang := e.lang(in)
		apology := Reply{Text: locales.Text(lang, "common.error"), Lang: lang}
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if qerr := models.Enqueue(e.DB.WithContext(actx), []models.Outbox{outboxRow(in.Channel, in.ChatID, apology, now)}); qerr == nil && e.Notify != nil {
			e.Notify(in.Channel)
		}
		return Result{}, err
	}
	e.Metrics.inbound(in.Channel, time.Since(start))
	if e.Notify != nil {
		if res.pending {
			e.Notify(in.Channel)
		}
		for _, ch := range res.noticed {
			if ch != in.Channel || !res.pending {
				e.Notify(ch)
			}
		}
	}
	return res, nil
}

func (e *Engine) handleOnce(ctx context.Context, in Inbound, now time.Time) (res Result, err error) {
	// A flow that panics on some message fails that message only (the transaction is rolled
	// back and the worker gets the apology) rather than the process, which would otherwise meet
	// the same message again after the restart.
	defer func() {
		if p := recover(); p != nil {
			e.log().Error("panic while handling a message", "channel", in.Channel, "chat", MaskID(in.ChatID), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: %v", errPanic, p)
		}
	}()
	var owner int64
	if e.Outlet != nil {
		owner = e.Outlet.Owner()
	}
	t, conv, created, err := models.BeginMessage(ctx, e.DB, models.InboundMessage{Channel: in.Channel,
		ExternalID: in.ExternalID, ChatID: in.ChatID, UserID: in.UserID, Lang: e.lang(in), Now: now, Owner: owner})
	if errors.Is(err, models.ErrDuplicate) {
		return res, errDuplicate
	}
	if err != nil {
		return res, err
	}
	defer t.Rollback() // a no-op once committed; after a panic, ends the transaction
	// Replies are handed straight to the dispatcher unless older ones of the chat are waiting
	// elsewhere (left by a process that died, say): then they queue behind them, in order.
	handOver := owner != 0 && !t.Queued()
	rows, touch, err := e.decide(ctx, t.Tx(), conv, created, in, now, handOver, t.Unreachable(), &res)
	if err == nil {
		if err = t.Commit(ctx, conv, rows, touch); err != nil {
			err = fmt.Errorf("save conversation and replies: %w", err)
		}
	}
	return res, err
}

// decide runs the flows on the message inside its transaction tx, with the chat's conversation
// locked, and returns the outbox rows to add and the contact to touch, recording in res what is
// to happen with the replies once committed.
func (e *Engine) decide(ctx context.Context, tx *models.Tx, conv *models.Conversation, created bool, in Inbound, now time.Time, handOver, unreachable bool, res *Result) ([]models.Outbox, *models.Touch, error) {
	lastInbound, memberBefore := conv.UpdatedAt, conv.MemberID
	// in.Lang only chooses a new conversation's language: an existing one keeps the language the
	// worker chose in it ("english please"), whatever the channel prefers.
	s := &Session{Tx: tx, Conv: conv, In: in, Now: now, New: created}
	_ = models.DecodeJSON(conv.Choices, &s.Offered) // a broken column only means nothing is offered
	res.Lang = conv.Lang
	if in.Kind == KindButton && !offers(s.Offered, in.Value) {
		// A button under an earlier message (a double tap, a keyboard scrolled back to) or
		// forged data: nothing changes and nothing is sent; the channel tells the worker so
		// in the press's own answer, which costs no message.
		res.Stale = true
		return nil, nil, nil
	}
	// A number or label typed in answer to offered choices becomes that choice's value.
	if in.Kind == KindText && in.Value == "" {
		if c, ok := MatchChoice(s.Offered, in.Text); ok {
			s.In.Value = c.Value
		}
	}
	if err := e.Flows.Handle(ctx, s); err != nil {
		return nil, nil, err
	}
	conv.Choices = models.EncodeJSON(mergeChoices(s.Offering(), s.kept))
	conv.UpdatedAt = now
	rows := make([]models.Outbox, 0, len(s.replies)+len(s.notices))
	for _, r := range s.replies {
		rows = append(rows, outboxRow(in.Channel, in.ChatID, r, now))
	}
	if len(rows) > 0 && handOver {
		if lease, owner, ok := e.Outlet.Reserve(in.Channel, len(rows)); ok {
			res.reserved = len(rows)
			until := now.Add(lease)
			for i := range rows {
				rows[i].Status, rows[i].Attempts, rows[i].LockedUntil, rows[i].LockedBy = models.OutboxSending, 1, &until, &owner
			}
		}
	}
	for _, n := range s.notices {
		rows = append(rows, outboxRow(n.channel, n.recipient, n.reply, now))
		if !slices.Contains(res.noticed, n.channel) {
			res.noticed = append(res.noticed, n.channel)
		}
	}
	// The contact's last-inbound time need not be exact to the second: refreshing it once a
	// minute saves a write on most messages. A contact marked unreachable is touched at once:
	// the worker wrote, so messages reach them again.
	var touch *models.Touch
	if !s.forget && (created || unreachable || now.Sub(lastInbound) > time.Minute || conv.MemberID != memberBefore) {
		touch = &models.Touch{Channel: in.Channel, ChatID: in.ChatID, MemberID: conv.MemberID, Now: now}
	}
	// What happens to the replies once committed; Handle reads only res.reserved after a failure.
	if res.reserved > 0 {
		res.handed = rows[:res.reserved]
	} else {
		res.pending = len(s.replies) > 0
	}
	res.Replies = s.replies
	return rows, touch, nil
}

// offers reports whether value is one of the choices last offered.
func offers(offered []Choice, value string) bool {
	for _, c := range offered {
		if c.Value == value {
			return true
		}
	}
	return false
}

func outboxRow(channel, recipient string, r Reply, now time.Time) models.Outbox {
	return models.Outbox{
		Channel:       channel,
		Recipient:     recipient,
		Payload:       models.EncodeJSON(r),
		Status:        models.OutboxPending,
		NextAttemptAt: now,
		Priority:      models.PriorityReply,
		CreatedAt:     now,
	}
}

func (e *Engine) now() time.Time {
	if e.Clock == nil {
		return time.Now()
	}
	return e.Clock.Now()
}

func (e *Engine) log() *slog.Logger {
	if e.Log == nil {
		return slog.Default()
	}
	return e.Log
}
