package telegram_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"bpubot/bot/telegram"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/models/modeltest"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// notCommitted waits until the engine has failed at least n times for want of the database.
func (h *harness) notCommitted(n float64) {
	h.t.Helper()
	modeltest.Eventually(h.t, fmt.Sprintf("the engine to fail %v times for want of the database", n), func() bool {
		return testutil.ToFloat64(h.engine.Metrics.NotCommitted.WithLabelValues(telegram.Name)) >= n
	})
}

// A message that arrives while the database is down is neither confirmed to Telegram nor
// dropped: polling waits, tries it again, and answers it once the database is back.
func TestPollingHoldsMessagesThroughADatabaseOutage(t *testing.T) {
	db, outage := modeltest.OpenBehindOutage(t)
	h := start(t, db, setup{})
	u := h.user(700300400, "Wati")
	u.Text("/start")
	u.expect(say("menu.greeting"))

	outage.Down()
	id := u.Text("iuran")
	h.notCommitted(2) // tried, and tried again
	if h.api.Confirmed(id) {
		t.Fatal("a message the database never took was confirmed to Telegram")
	}
	outage.Up()
	u.expect(say("premium.ask_occupation"))
	h.wait("the message to be confirmed", func() bool { return h.api.Confirmed(id) })
	if n := len(u.Messages()); n != 2 {
		t.Errorf("%d messages to the worker, want the greeting and one answer (no apology)", n)
	}
}

// A process that stops during an outage leaves the message it could not commit unconfirmed,
// so the next start gets it again and answers it.
func TestPollingShutdownDuringOutageKeepsTheMessage(t *testing.T) {
	db, outage := modeltest.OpenBehindOutage(t)
	api := fakeapi.New(fakeapi.Options{})
	defer api.Close()
	first := start(t, db, setup{api: api})
	u := first.user(700300401, "Budi")
	outage.Down()
	id := u.Text("/start")
	first.notCommitted(1)
	first.stop()
	if api.Confirmed(id) {
		t.Fatal("a message never committed was confirmed at shutdown")
	}
	outage.Up()
	second := start(t, db, setup{api: api})
	w := &user{User: u.User, h: second}
	w.expect(say("menu.greeting"))
}

// In webhook mode an update the database could not take is answered 503, so Telegram sends it
// again; the second delivery is handled and answered once.
func TestWebhookAnswers503WhileTheDatabaseIsDown(t *testing.T) {
	db, outage := modeltest.OpenBehindOutage(t)
	h := start(t, db, setup{webhook: true, handle: 300 * time.Millisecond})
	u := h.user(700300402, "Sri")
	outage.Down()
	_, body := u.TextUpdate("/start")
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	status, err := h.api.PostWebhook(ctx, h.hook, webhookSecret, body)
	if err != nil || status != http.StatusServiceUnavailable {
		t.Fatalf("webhook during the outage: %d %v, want 503", status, err)
	}
	outage.Up()
	if status, err := h.api.PostWebhook(ctx, h.hook, webhookSecret, body); err != nil || status != http.StatusOK {
		t.Fatalf("webhook redelivery: %d %v, want 200", status, err)
	}
	u.expect(say("menu.greeting"))
	if n := len(u.Messages()); n != 1 {
		t.Errorf("%d messages, want exactly the greeting", n)
	}
}
