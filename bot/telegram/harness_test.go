package telegram_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/telegram"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/flows/flowtest"
	"bpubot/locales"
	"bpubot/models"
)

// waitTimeout only guards against a hang: every wait ends as soon as its condition holds.
const waitTimeout = 20 * time.Second

// webhookSecret is the secret token of the webhook tests.
const webhookSecret = "test-secret-0123456789"

var quiet = slog.New(slog.DiscardHandler)

// harness is the real engine, router and dispatcher on a test database, the real
// go-telegram/bot client, and the fake Bot API in place of Telegram.
type harness struct {
	t      *testing.T
	db     *models.DB
	api    *fakeapi.Server
	ch     *telegram.Channel
	engine *bot.Engine
	disp   *bot.Dispatcher
	// hook is the bot's webhook URL in webhook mode.
	hook string
	// stop ends the channel and the dispatcher, as a shutdown does (also at the test's end).
	stop func()
	// committed receives the channel name after every engine commit that queued replies,
	// when the test dispatches by hand.
	committed chan string
}

type setup struct {
	webhook bool
	clock   bot.Clock       // nil: flowtest's fixed clock
	manual  bool            // no dispatcher loop: the test calls DrainOnce
	staff   int64           // the staff group's chat id (telegram.staff_chat_id); 0 for none
	api     *fakeapi.Server // a fake Bot API the test made (and closes); nil for a new one
	handle  time.Duration   // telegram.WithHandleTimeout; 0 for the default
	// desk, when set, is given the staff's commands (telegram.WithStaffDesk with staff); it is
	// called with the dispatcher, so it can wake it.
	desk func(d *bot.Dispatcher) bot.StaffDesk
}

func start(t *testing.T, db *models.DB, s setup) *harness {
	t.Helper()
	api := s.api
	if api == nil {
		api = fakeapi.New(fakeapi.Options{})
	}
	clock := s.clock
	if clock == nil {
		clock = flowtest.NewClock(flowtest.Start)
	}
	e, d := flowtest.Engine(t, db, clock)
	e.Metrics = bot.NewMetrics()
	if s.staff != 0 {
		router := flowtest.Router(t)
		router.Config.StaffChannel, router.Config.StaffChat, router.Config.StaffLang = telegram.Name, strconv.FormatInt(s.staff, 10), "id"
		e.Flows = router
	}
	h := &harness{t: t, db: db, api: api, engine: e, disp: d, committed: make(chan string, 64)}
	cfg := telegram.Config{Token: fakeapi.Token, ServerURL: api.URL}
	var srv *bot.Server
	var hs *httptest.Server
	if s.webhook {
		srv = bot.NewServer(db, nil)
		hs = httptest.NewServer(srv.Mux)
		h.hook = hs.URL + telegram.WebhookPath
		cfg.Mode, cfg.WebhookURL, cfg.WebhookSecret = telegram.ModeWebhook, h.hook, webhookSecret
	}
	// Tests send as fast as the fake takes: the limits have tests of their own.
	opts := []telegram.Option{telegram.WithLimits(bot.Limits{}), telegram.WithLogger(quiet), telegram.WithPollTimeout(10 * time.Second)}
	if s.handle > 0 {
		opts = append(opts, telegram.WithHandleTimeout(s.handle))
	}
	if s.desk != nil {
		opts = append(opts, telegram.WithStaffDesk(s.desk(d), s.staff))
	}
	ch, err := telegram.New(cfg, e, opts...)
	if err != nil {
		t.Fatal(err)
	}
	h.ch = ch
	if srv != nil {
		srv.Mux.Handle("POST "+telegram.WebhookPath, ch.WebhookHandler())
	}
	d.Register(ch)
	d.Log = quiet
	e.Log = quiet
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan error, 1)
	go func() { runDone <- ch.Run(ctx) }()
	dispDone := make(chan struct{})
	if s.manual {
		e.Notify = func(channel string) { h.committed <- channel }
		close(dispDone)
	} else {
		go func() { d.Run(ctx); close(dispDone) }()
	}
	h.stop = sync.OnceFunc(func() {
		cancel()
		guard := time.After(waitTimeout)
		select {
		case err := <-runDone:
			if err != nil && err != context.Canceled {
				t.Errorf("Run: %v", err)
			}
		case <-guard:
			t.Error("Run did not return after cancel")
		}
		select {
		case <-dispDone:
		case <-guard:
			t.Error("dispatcher did not stop")
		}
		if hs != nil {
			hs.Close()
		}
		if s.api == nil {
			api.Close()
		}
	})
	t.Cleanup(h.stop)
	if s.webhook {
		h.wait("the webhook to be set", func() bool { u, _ := api.Webhook(); return u != "" })
	} else {
		h.wait("the bot to poll", func() bool { return api.Polls() > 0 })
	}
	return h
}

// wait returns once cond holds, re-checking at every change the fake API records.
func (h *harness) wait(what string, cond func() bool) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := h.api.Wait(ctx, cond); err != nil {
		h.t.Fatalf("waiting for %s: %v", what, err)
	}
}

// drain sends what the engine queued, for tests that dispatch by hand: it waits for the
// engine's commit, then sends until nothing is due.
func (h *harness) drain() {
	h.t.Helper()
	select {
	case <-h.committed:
	case <-time.After(waitTimeout):
		h.t.Fatal("the engine queued nothing")
	}
	for {
		n, err := h.disp.DrainOnce(context.Background(), telegram.Name)
		if err != nil {
			h.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// user is a worker in a private chat with the bot.
type user struct {
	*fakeapi.User
	h    *harness
	seen int // messages from the bot already read
}

func (h *harness) user(id int64, name string) *user {
	return &user{User: h.api.User(id, name), h: h}
}

// next waits for the bot's next message.
func (u *user) next() fakeapi.Message {
	u.h.t.Helper()
	var msgs []fakeapi.Message
	u.h.wait("a message to "+u.FirstName, func() bool {
		msgs = u.Messages()
		return len(msgs) > u.seen
	})
	u.seen++
	return msgs[u.seen-1]
}

// expect waits for the bot's next message and checks it contains each of want, in order.
func (u *user) expect(want ...string) fakeapi.Message {
	u.h.t.Helper()
	m := u.next()
	rest := m.Text
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			u.h.t.Fatalf("%s got %q\nwant it to contain %q", u.FirstName, m.Text, w)
		}
		rest = rest[i+len(w):]
	}
	return m
}

// press presses the button with callback data data under m, which must be there.
func (u *user) press(m fakeapi.Message, data string) {
	u.h.t.Helper()
	if !m.HasData(data) {
		u.h.t.Fatalf("no button %q under %q (buttons %v)", data, m.Text, m.Buttons)
	}
	u.Press(m, data)
}

// edited waits until m has been edited and returns it as it is now.
func (u *user) edited(m fakeapi.Message) fakeapi.Message {
	u.h.t.Helper()
	var got fakeapi.Message
	u.h.wait("the pressed message to be edited", func() bool {
		for _, x := range u.Messages() {
			if x.ID == m.ID && x.Edited {
				got = x
				return true
			}
		}
		return false
	})
	return got
}

// say is the fixed start of a message in Indonesian, up to its first placeholder or line
// break: what a test looks for in the bot's messages.
func say(key string) string {
	s := locales.Text("id", key)
	s, _, _ = strings.Cut(s, "{")
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}
