package bot_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"bpubot/bot"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// flaky fails with ErrNotCommitted a number of times, then succeeds.
type flaky struct {
	fail  int32
	calls atomic.Int32
}

func (f *flaky) Handle(context.Context, bot.Inbound) (bot.Result, error) {
	if f.calls.Add(1) <= f.fail {
		return bot.Result{}, bot.ErrNotCommitted
	}
	return bot.Result{Replies: []bot.Reply{{Text: "ok"}}}, nil
}

// The waits between tries (100ms, then 200ms) pass on synctest's clock.
func TestHandleCommittedTriesAgainUntilCommitted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{fail: 2}
		res, err := bot.HandleCommitted(context.Background(), f, bot.Inbound{}, 0)
		if err != nil || len(res.Replies) != 1 || f.calls.Load() != 3 {
			t.Fatalf("got %v, %v after %d calls; want the result after 3", res, err, f.calls.Load())
		}
	})
}

func TestHandleCommittedGivesUpWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := &flaky{fail: 1 << 30}
	if _, err := bot.HandleCommitted(ctx, f, bot.Inbound{}, 0); !errors.Is(err, bot.ErrNotCommitted) {
		t.Fatalf("got %v, want ErrNotCommitted", err)
	}
	if f.calls.Load() != 1 {
		t.Errorf("%d tries after the context ended, want the one already started", f.calls.Load())
	}
}

// While the database is away, Handle says the message was not committed and queues no
// apology; once it is back the same message is handled and answered once.
func TestHandleWhileTheDatabaseIsDown(t *testing.T) {
	db, outage := modeltest.OpenBehindOutage(t)
	e, _ := flowtest.Engine(t, db, nil)
	e.Log = slog.New(slog.DiscardHandler)
	in := text("c1", "m1", "halo")

	outage.Down()
	if _, err := e.Handle(context.Background(), in); !errors.Is(err, bot.ErrNotCommitted) {
		t.Fatalf("Handle with the database down: %v, want ErrNotCommitted", err)
	}
	outage.Up()
	res, err := e.Handle(context.Background(), in)
	if err != nil || res.Duplicate {
		t.Fatalf("Handle once the database is back: %+v, %v", res, err)
	}
	if n := countOutbox(t, db, "c1"); n != int64(len(res.Replies)) {
		t.Errorf("%d outbox rows, want only the %d replies (no apology)", n, len(res.Replies))
	}
}

// A NUL or another control character in what a worker typed (PostgreSQL refuses NUL in text)
// is dropped on the way in: the message is handled, and a request for a person is kept.
func TestControlCharactersAreDroppedOnTheWayIn(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, nil)
		e.Log = slog.New(slog.DiscardHandler)
		if _, err := e.Handle(context.Background(), text("c2", "m1", "halo")); err != nil {
			t.Fatal(err)
		}
		for i, body := range []string{"saya mau\x00 bicara sama petugas", "tolong\x1b[31m \u202epetugas"} {
			if _, err := e.Handle(context.Background(), text("c2", fmt.Sprint("m", i+2), body)); err != nil {
				t.Fatalf("%q: %v", body, err)
			}
		}
		if modeltest.Count[models.HandoffRequest](t, db, "chat_id = ?", "c2") == 0 {
			t.Error("the request for a person was lost")
		}
	})
}

// A worker marked unreachable (the platform refused a message to them) who writes again is
// reachable again at once, even within the minute the contact's touch is otherwise spared.
func TestWritingAgainLiftsUnreachable(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		clock := flowtest.NewClock(flowtest.Start)
		e, _ := flowtest.Engine(t, db, clock)
		e.Log = slog.New(slog.DiscardHandler)
		if _, err := e.Handle(context.Background(), text("c3", "m1", "halo")); err != nil {
			t.Fatal(err)
		}
		if err := models.MarkUnreachable(db, "test", "c3", "blocked", clock.Now()); err != nil {
			t.Fatal(err)
		}
		clock.Advance(10 * time.Second)
		if _, err := e.Handle(context.Background(), text("c3", "m2", "menu")); err != nil {
			t.Fatal(err)
		}
		if st, err := models.ContactStandingOf(db, "test", "c3"); err != nil || st.Unreachable {
			t.Fatalf("standing after the worker wrote again: %+v, %v", st, err)
		}
	})
}
