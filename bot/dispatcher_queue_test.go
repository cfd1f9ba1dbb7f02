package bot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// recorder is a channel with limits that records what it sent and reports each send on a
// channel; fail, when set, decides a send's error.
type recorder struct {
	limits bot.Limits
	fail   func(bot.Outgoing) error
	sends  chan bot.Outgoing

	mu   sync.Mutex
	sent []string
}

func newRecorder(l bot.Limits) *recorder {
	return &recorder{limits: l, sends: make(chan bot.Outgoing, 100)}
}

func (r *recorder) Name() string       { return "test" }
func (r *recorder) Limits() bot.Limits { return r.limits }

func (r *recorder) Send(_ context.Context, msg bot.Outgoing) error {
	if r.fail != nil {
		if err := r.fail(msg); err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.sent = append(r.sent, msg.Reply.Text)
	r.mu.Unlock()
	r.sends <- msg
	return nil
}

func (r *recorder) texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sent...)
}

// await returns the next send, failing the test if none comes (a guard against a hang only).
func (r *recorder) await(t *testing.T) string {
	t.Helper()
	select {
	case m := <-r.sends:
		return m.Reply.Text
	case <-time.After(20 * time.Second):
		t.Fatal("nothing was sent")
		return ""
	}
}

func rowOf(t *testing.T, db *models.DB, text string) models.Outbox {
	t.Helper()
	return modeltest.One[models.Outbox](t, db, "payload = ?", models.EncodeJSON(bot.Reply{Text: text}))
}

// TestDispatcherChatIntervalHoldsNoOne: a chat waiting for its per-chat interval keeps
// neither other chats' messages nor the claiming of new ones waiting; on shutdown its message
// goes back to the queue unspent.
func TestDispatcherChatIntervalHoldsNoOne(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		ch := newRecorder(bot.Limits{PerChatInterval: time.Hour})
		d := &bot.Dispatcher{DB: db, Clock: clock, Poll: time.Hour}
		d.Register(ch)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { d.Run(ctx); close(done) }()

		enqueue(t, db, clock.Now(), "a", "a-1", "a-2") // a-2 must wait an hour after a-1
		d.Notify("test")
		if got := ch.await(t); got != "a-1" {
			t.Fatalf("sent %q first", got)
		}
		enqueue(t, db, clock.Now(), "b", "b-1") // claimed while a-2 waits
		d.Notify("test")
		if got := ch.await(t); got != "b-1" {
			t.Fatalf("sent %q, want b-1", got)
		}

		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatal("Run did not return")
		}
		if got := ch.texts(); len(got) != 2 {
			t.Fatalf("sent %v", got)
		}
		if row := rowOf(t, db, "a-2"); row.Status != models.OutboxPending || row.Attempts != 0 {
			t.Fatalf("a-2 after shutdown: %s, %d attempts; want pending, none spent", row.Status, row.Attempts)
		}
	})
}

// TestDispatcherLaterRowsWaitForEarlierOnes: a reply queued while an earlier message to the
// same chat waits out a retry_after does not overtake it.
func TestDispatcherLaterRowsWaitForEarlierOnes(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		ch := newRecorder(bot.Limits{})
		refused := false
		ch.fail = func(m bot.Outgoing) error {
			if m.Reply.Text == "first" && !refused {
				refused = true
				return &bot.RetryAfterError{After: 30 * time.Second}
			}
			return nil
		}
		d := &bot.Dispatcher{DB: db, Clock: clock}
		d.Register(ch)
		enqueue(t, db, clock.Now(), "a", "first")
		drain(t, d)
		enqueue(t, db, clock.Now(), "a", "second") // due now, but behind "first"
		enqueue(t, db, clock.Now(), "b", "other")  // another chat is not held
		drain(t, d)
		if got := ch.texts(); len(got) != 1 || got[0] != "other" {
			t.Fatalf("sent %v during the retry_after, want only the other chat's", got)
		}
		if row := rowOf(t, db, "second"); row.Status != models.OutboxPending || row.Attempts != 0 {
			t.Fatalf("second: %s, %d attempts", row.Status, row.Attempts)
		}
		clock.Advance(time.Minute)
		drain(t, d)
		if got := ch.texts(); len(got) != 3 || got[1] != "first" || got[2] != "second" {
			t.Fatalf("sent %v, want first then second after the wait", got)
		}
	})
}

// TestDispatcherGlobalPausePutsBack: while the whole channel waits out a retry_after, claimed
// rows go back to the queue at once instead of holding the dispatcher for the pause.
func TestDispatcherGlobalPausePutsBack(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		ch := newRecorder(bot.Limits{})
		ch.fail = func(m bot.Outgoing) error {
			if m.Reply.Text == "flood" {
				return &bot.RetryAfterError{After: time.Hour, Global: true}
			}
			return nil
		}
		d := &bot.Dispatcher{DB: db, Clock: clock}
		d.Register(ch)
		enqueue(t, db, clock.Now(), "a", "flood")
		drain(t, d)
		enqueue(t, db, clock.Now(), "b", "b-1")
		drain(t, d) // returns although the pause lasts an hour
		if got := ch.texts(); len(got) != 0 {
			t.Fatalf("sent %v during a global pause", got)
		}
		row := rowOf(t, db, "b-1")
		if row.Status != models.OutboxPending || row.Attempts != 0 || !row.NextAttemptAt.After(clock.Now().Add(50*time.Minute)) {
			t.Fatalf("b-1 during the pause: %+v", row)
		}
	})
}
