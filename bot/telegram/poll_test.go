package telegram_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/telegram"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// stuck is a handler that takes updates and holds them until released: a process busy with
// them, or one about to die with them.
type stuck struct {
	got     chan bot.Inbound
	release chan struct{}
}

func newStuck() *stuck { return &stuck{got: make(chan bot.Inbound, 16), release: make(chan struct{})} }

func (s *stuck) Handle(_ context.Context, in bot.Inbound) (bot.Result, error) {
	s.got <- in
	<-s.release
	return bot.Result{}, nil
}

// runChannel runs a polling channel with handler h against api until the test ends.
func runChannel(t *testing.T, api *fakeapi.Server, h telegram.Handler) context.CancelFunc {
	t.Helper()
	ch, err := telegram.New(telegram.Config{Token: fakeapi.Token, ServerURL: api.URL}, h,
		telegram.WithLogger(quiet), telegram.WithPollTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = ch.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(waitTimeout):
			t.Error("Run did not return after cancel")
		}
	})
	return cancel
}

func received(t *testing.T, s *stuck) bot.Inbound {
	t.Helper()
	select {
	case in := <-s.got:
		return in
	case <-time.After(waitTimeout):
		t.Fatal("the update never reached the handler")
		return bot.Inbound{}
	}
}

// An update is confirmed to Telegram (by a later getUpdates offset) only once it is handled.
func TestPollingConfirmsHandledUpdatesOnly(t *testing.T) {
	api := fakeapi.New(fakeapi.Options{})
	defer api.Close()
	h := newStuck()
	runChannel(t, api, h)
	u := api.User(700200300, "Rina")
	id := u.Text("daftar")
	received(t, h)
	polls := api.Polls()
	// While the update is in the engine the bot asks for nothing more, which would confirm it.
	time.Sleep(50 * time.Millisecond) // lets a wrong poll happen; the test does not rely on time
	if api.Confirmed(id) || api.Polls() != polls {
		t.Fatalf("update %d confirmed (%v) or polled past (%d polls, was %d) while still being handled", id, api.Confirmed(id), api.Polls(), polls)
	}
	close(h.release)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := api.Wait(ctx, func() bool { return api.Confirmed(id) }); err != nil {
		t.Fatalf("update %d not confirmed after it was handled: %v", id, err)
	}
}

// A process that dies holding an update (here: one stuck in it) has not confirmed it, so the
// next process gets it from Telegram and the worker is answered.
func TestPollingRedeliversWhatADyingProcessHeld(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		api := fakeapi.New(fakeapi.Options{})
		defer api.Close()
		dying := newStuck()
		runChannel(t, api, dying)
		u := api.User(700200301, "Joko")
		u.Text("/start")
		received(t, dying)
		defer close(dying.release)

		// The next process, with the real engine.
		h := start(t, db, setup{api: api})
		w := &user{User: u, h: h}
		w.expect(say("menu.greeting"))
	})
}

// Failed polls (a 502, then a 429 with retry_after) are retried; /readyz says polling is
// failing meanwhile; updates are handled once Telegram answers again.
func TestPollingThroughFailures(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		api := fakeapi.New(fakeapi.Options{})
		defer api.Close()
		var mu sync.Mutex
		failures := []*fakeapi.Error{
			{Code: 502, Description: "Bad Gateway"},
			{Code: 502, Description: "Bad Gateway"},
			{Code: 429, Description: "Too Many Requests: retry after 1", RetryAfter: 1},
		}
		api.Fail(func(c fakeapi.Call) *fakeapi.Error {
			mu.Lock()
			defer mu.Unlock()
			if c.Method != "getUpdates" || len(failures) == 0 {
				return nil
			}
			e := failures[0]
			failures = failures[1:]
			return e
		})
		h := start(t, db, setup{api: api}) // returns at the first poll that got through
		if n := api.Calls("getUpdates"); n < 4 {
			t.Fatalf("%d getUpdates calls, want the 3 failed ones and a good one", n)
		}
		if err := h.ch.Ready(context.Background()); err == nil {
			t.Error("ready right after failed polls")
		}
		u := h.user(700200302, "Sari")
		u.Text("/start")
		u.expect(say("menu.greeting"))
	})
}

// A message stuck in the database (its conversation locked by someone else) fails after the
// handling timeout with an apology, instead of holding up the poll and every other worker.
func TestStuckMessageTimesOut(t *testing.T) {
	if !slices.Contains(modeltest.Dialects(), models.Postgres) {
		t.Skip("PostgreSQL only (row locks): set " + modeltest.PostgresURLEnv)
	}
	db := modeltest.MustOpen(t, models.Postgres)
	h := start(t, db, setup{handle: 300 * time.Millisecond})
	a := h.user(700200303, "Asep")
	a.Text("/start")
	a.expect(say("menu.greeting"))

	// Another message of Asep's, stuck in its transaction, holds his conversation.
	lock, conv, _, err := models.BeginMessage(context.Background(), db, models.InboundMessage{Channel: telegram.Name, ChatID: "700200303", Now: time.Now()})
	if err != nil || conv.ID == 0 {
		t.Fatalf("lock: %v", err)
	}
	defer lock.Rollback()
	a.Text("daftar")
	b := h.user(700200304, "Budi")
	b.Text("/start")
	a.expect(say("common.error"))
	b.expect(say("menu.greeting"))

	// Once the lock goes, Asep carries on where he was.
	lock.Rollback()
	a.Text("daftar")
	a.expect(say("signup.ask_consent"))
}
