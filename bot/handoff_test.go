package bot_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// echoFlows answers every message with its text; "fail" says something, then fails.
type echoFlows struct{}

func (echoFlows) Handle(_ context.Context, s *bot.Session) error {
	s.Say(bot.Reply{Text: "re: " + s.In.Text})
	if s.In.Text == "fail" {
		return errors.New("boom")
	}
	return nil
}

// handoffRig is an engine whose replies go straight to a running dispatcher. The dispatcher
// never polls and is never notified, so whatever reaches the channel came through the hand-over.
type handoffRig struct {
	db     *models.DB
	ch     *recorder
	d      *bot.Dispatcher
	e      *bot.Engine
	cancel context.CancelFunc
	done   chan struct{}
}

func newHandoffRig(t *testing.T, db *models.DB, maxInFlight int) *handoffRig {
	clock := flowtest.NewClock(flowtest.Start)
	r := &handoffRig{db: db, ch: newRecorder(bot.Limits{}), done: make(chan struct{})}
	r.d = &bot.Dispatcher{DB: db, Clock: clock, Poll: time.Hour, MaxInFlight: maxInFlight}
	r.d.Register(r.ch)
	r.e = &bot.Engine{DB: db, Flows: echoFlows{}, Clock: clock, Outlet: r.d}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.d.Run(ctx); close(r.done) }()
	awaitHandoffs(t, r.d) // Run has started
	t.Cleanup(r.stop)
	return r
}

// awaitHandoffs returns once the dispatcher takes hand-overs.
func awaitHandoffs(t *testing.T, d *bot.Dispatcher) {
	t.Helper()
	modeltest.Eventually(t, "the dispatcher to take hand-overs", func() bool {
		_, _, ok := d.Reserve("test", 1)
		if ok {
			d.Release("test", 1)
		}
		return ok
	})
}

func (r *handoffRig) stop() {
	r.cancel()
	<-r.done
}

func (r *handoffRig) handle(t *testing.T, chat, id, body string) error {
	t.Helper()
	_, err := r.e.Handle(context.Background(), text(chat, id, body))
	return err
}

// TestRepliesHandedToDispatcher: replies reach the channel without a claim, once each, in
// order per chat, and end up marked sent with one attempt.
func TestRepliesHandedToDispatcher(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		r := newHandoffRig(t, db, 0)
		want := map[string]bool{}
		for i := range 3 {
			for _, chat := range []string{"a", "b"} {
				body := fmt.Sprintf("%s%d", chat, i)
				if err := r.handle(t, chat, body, body); err != nil {
					t.Fatal(err)
				}
				want["re: "+body] = true
			}
		}
		last := map[string]int{}
		for range 6 {
			got := r.ch.await(t)
			if !want[got] {
				t.Fatalf("unexpected or repeated send %q", got)
			}
			delete(want, got)
			var chat string
			var n int
			if _, err := fmt.Sscanf(got, "re: %1s%d", &chat, &n); err != nil {
				t.Fatal(err)
			}
			if prev, seen := last[chat]; seen && n <= prev {
				t.Fatalf("chat %s: %q sent after message %d", chat, got, prev)
			}
			last[chat] = n
		}
		r.stop() // flushes what was sent
		rows := modeltest.Rows[models.Outbox](t, db, "")
		for _, row := range rows {
			if row.Status != models.OutboxSent || row.Attempts != 1 {
				t.Fatalf("row %d: %s after %d attempts, want sent after 1", row.ID, row.Status, row.Attempts)
			}
		}
		if len(rows) != 6 {
			t.Fatalf("%d outbox rows, want 6", len(rows))
		}
	})
}

// TestHandoffRollbackReleasesRoom: a message whose flow fails gives its reservation back, so a
// dispatcher with room for one reply still takes the next message's reply directly.
func TestHandoffRollbackReleasesRoom(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		r := newHandoffRig(t, db, 1)
		for i := range 3 {
			if err := r.handle(t, "a", fmt.Sprint("f", i), "fail"); err == nil {
				t.Fatal("want the flow's error")
			}
		}
		// Another chat: chat a's next reply would rightly queue behind its apologies.
		if err := r.handle(t, "b", "ok", "ok"); err != nil {
			t.Fatal(err)
		}
		if got := r.ch.await(t); got != "re: ok" {
			t.Fatalf("sent %q", got)
		}
		// The apologies went in pending, for the claim loop, which this rig never wakes.
		pending := modeltest.Count[models.Outbox](t, db, "status = ?", models.OutboxPending)
		if pending != 3 {
			t.Fatalf("%d pending rows, want the 3 apologies", pending)
		}
	})
}

// TestHandoffWhenFullFallsBackToClaim: with no room the reply is queued pending, and the claim
// loop sends it once room frees up.
func TestHandoffWhenFullFallsBackToClaim(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		r := newHandoffRig(t, db, 1)
		r.e.Notify = r.d.Notify
		if _, _, ok := r.d.Reserve("test", 1); !ok {
			t.Fatal("reserve")
		}
		if err := r.handle(t, "a", "1", "hi"); err != nil {
			t.Fatal(err)
		}
		row := modeltest.One[models.Outbox](t, db, "recipient = ?", "a")
		if row.Status != models.OutboxPending || row.Attempts != 0 {
			t.Fatalf("row with no room: %s, %d attempts; want pending, 0", row.Status, row.Attempts)
		}
		r.d.Release("test", 1)
		if got := r.ch.await(t); got != "re: hi" {
			t.Fatalf("sent %q", got)
		}
	})
}

// TestDeliverAfterShutdownPutsBack: rows handed over as the dispatcher stops go back to the
// queue unspent rather than waiting out their lease.
func TestDeliverAfterShutdownPutsBack(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		d := &bot.Dispatcher{DB: db, Clock: clock, Poll: time.Hour}
		d.Register(newRecorder(bot.Limits{}))
		until := clock.Now().Add(time.Minute)
		rows := []models.Outbox{{Channel: "test", Recipient: "a", Payload: models.EncodeJSON(bot.Reply{Text: "late"}),
			Status: models.OutboxSending, Attempts: 1, LockedUntil: &until, NextAttemptAt: clock.Now(), CreatedAt: clock.Now()}}
		tx, conv, _, err := models.BeginMessage(context.Background(), db, models.InboundMessage{Channel: "test", ChatID: "a", Now: clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(context.Background(), conv, rows, nil); err != nil {
			t.Fatal(err)
		}
		d.Deliver("test", rows, nil) // Run never ran (or has returned)
		if row := rowOf(t, db, "late"); row.Status != models.OutboxPending || row.Attempts != 0 || row.LockedUntil != nil {
			t.Fatalf("row: %s, %d attempts, lease %v; want pending, 0, none", row.Status, row.Attempts, row.LockedUntil)
		}
	})
}

// TestHandoffWaitsForPendingRows: while a reply queued pending (here, when there was no room)
// is not claimed yet, later replies are not handed over either, so they cannot overtake it.
func TestHandoffWaitsForPendingRows(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		r := newHandoffRig(t, db, 1)
		r.e.Notify = r.d.Notify
		if _, _, ok := r.d.Reserve("test", 1); !ok { // no room: the next reply goes pending
			t.Fatal("reserve")
		}
		if err := r.handle(t, "a", "1", "first"); err != nil {
			t.Fatal(err)
		}
		r.d.Release("test", 1)
		if _, _, ok := r.d.Reserve("test", 1); ok {
			t.Fatal("a hand-over was allowed while an earlier reply waits in the table")
		}
		if err := r.handle(t, "a", "2", "second"); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"re: first", "re: second"} {
			if got := r.ch.await(t); got != want {
				t.Fatalf("sent %q, want %q", got, want)
			}
		}
		awaitHandoffs(t, r.d) // the loop has caught up
	})
}

// TestTakeoverKeepsOrder: a reply a process claimed and died holding (its owner is gone: no
// lock on PostgreSQL, an earlier run on SQLite) is taken over at once, not when its lease runs
// out, and the chat's next reply waits for it: the worker gets them in order.
func TestTakeoverKeepsOrder(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		now := clock.Now()
		until := now.Add(time.Minute)
		dead := models.NewOwner()
		orphan := models.Outbox{Channel: "test", Recipient: "a", Payload: models.EncodeJSON(bot.Reply{Text: "re: daftar"}),
			Status: models.OutboxSending, Attempts: 1, LockedUntil: &until, LockedBy: &dead, NextAttemptAt: now, CreatedAt: now}
		if err := models.Enqueue(db, []models.Outbox{orphan}); err != nil {
			t.Fatal(err)
		}
		r := newHandoffRig(t, db, 0) // the restarted process, or another one
		r.e.Notify = r.d.Notify
		if err := r.handle(t, "a", "2", "iuran"); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"re: daftar", "re: iuran"} {
			if got := r.ch.await(t); got != want {
				t.Fatalf("sent %q, want %q: the later reply overtook the one left behind", got, want)
			}
		}
	})
}
