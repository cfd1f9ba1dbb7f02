package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// guard is how long a test waits for something that should happen at once; it only fails
// tests that are broken, it never paces them.
const guard = 10 * time.Second

// harness is the WhatsApp channel on the real engine, router and dispatcher over a test
// database, with a fake whatsmeow client.
type harness struct {
	t        testing.TB
	db       *models.DB
	clock    *flowtest.Clock
	engine   *bot.Engine
	disp     *bot.Dispatcher
	cli      *fakeClient
	conn     *fakeConnector
	ch       *Channel
	reg      *prometheus.Registry
	inbounds *recordingHandler
	cancel   context.CancelFunc
	done     chan struct{}
	seq      int
}

type harnessOption func(*harness, *[]Option)

// withClient has the channel use an existing fake client: the same WhatsApp account and
// server, as a process restarting on the same session meets them.
func withClient(cli *fakeClient) harnessOption {
	return func(h *harness, _ *[]Option) { h.cli, h.conn.cli = cli, cli }
}

func withLock(l Lock) harnessOption {
	return func(_ *harness, opts *[]Option) { *opts = append(*opts, WithLock(l)) }
}

func newHarness(t testing.TB, db *models.DB, hopts ...harnessOption) *harness {
	t.Helper()
	clock := flowtest.NewClock(flowtest.Start)
	engine, disp := flowtest.Engine(t, db, clock)
	cli := newFakeClient()
	h := &harness{
		t: t, db: db, clock: clock, engine: engine, disp: disp, cli: cli,
		conn: &fakeConnector{cli: cli}, reg: prometheus.NewRegistry(),
		inbounds: &recordingHandler{inner: engine},
	}
	opts := []Option{
		// A connection lock of the test's own: the real one is shared by every test (and
		// every bpubot) on the same PostgreSQL database. withLock replaces it.
		WithLock(testLock(db, randomLockKey())),
		// No per-chat interval: the sign-up's replies follow each other at once here.
		WithConfig(Config{BulkPerMinute: 3, BulkJitter: 5 * time.Second, ReplyInterval: 0, RestrictionPause: 24 * time.Hour, LockRetry: 10 * time.Millisecond}),
		WithClock(clock), WithMetrics(h.reg), WithNotify(disp.Notify), WithLogger(slog.New(slog.DiscardHandler)),
	}
	for _, o := range hopts {
		o(h, &opts)
	}
	h.ch = New(db, h.inbounds, h.conn, opts...)
	h.ch.backoff = func(int) time.Duration { return time.Millisecond }
	h.ch.grace = 0
	disp.Register(h.ch)
	return h
}

// start runs the channel until the test ends.
func (h *harness) start() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan struct{})
	go func() {
		defer close(h.done)
		if err := h.ch.Run(ctx); err != nil {
			h.t.Errorf("Run: %v", err)
		}
	}()
	h.t.Cleanup(h.stop)
}

func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	select {
	case <-h.done:
	case <-time.After(guard):
		h.t.Error("Run did not return after cancel")
	}
	h.cancel = nil
}

// connect waits for the channel's next Connect and answers it with a login.
func (h *harness) connect() {
	h.t.Helper()
	h.waitConnect()
	h.cli.emit(&events.Connected{})
	h.waitState(StateConnected)
}

func (h *harness) waitConnect() int {
	h.t.Helper()
	select {
	case n := <-h.cli.connects:
		return n
	case <-time.After(guard):
		h.t.Fatal("the channel did not connect")
		return 0
	}
}

func (h *harness) waitState(want State) {
	h.t.Helper()
	waitState(h.t, h.ch, want)
}

func waitState(t testing.TB, ch *Channel, want State) {
	t.Helper()
	deadline := time.After(guard)
	for {
		st, changed := ch.stateChanged()
		if st == want {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("state is %s, want %s", st, want)
		}
	}
}

// send has the worker write text and returns the bot's answers, as WhatsApp would show them.
func (h *harness) send(from types.JID, text string) []string {
	h.t.Helper()
	h.seq++
	id := fmt.Sprintf("3EB0%06d", h.seq)
	h.cli.emit(textEvent(id, from, text))
	h.waitReceipt(types.MessageID(id))
	return h.flush()
}

// waitReceipt waits for the read receipt the channel sends once a message is handled.
func (h *harness) waitReceipt(id types.MessageID) {
	h.t.Helper()
	deadline := time.After(guard)
	for {
		select {
		case got := <-h.cli.receipts:
			if got == id {
				return
			}
		case <-deadline:
			h.t.Fatalf("no read receipt for %s", id)
		}
	}
}

// flush runs the dispatcher until nothing is due and returns the texts it sent.
func (h *harness) flush() []string {
	h.t.Helper()
	var texts []string
	for _, m := range h.flushMessages() {
		texts = append(texts, m.text)
	}
	return texts
}

func (h *harness) flushMessages() []sentMessage {
	h.t.Helper()
	for {
		n, err := h.disp.DrainOnce(context.Background(), Name)
		if err != nil {
			h.t.Fatalf("drain: %v", err)
		}
		if n == 0 {
			break
		}
	}
	var out []sentMessage
	for {
		select {
		case m := <-h.cli.sent:
			out = append(out, m)
		default:
			return out
		}
	}
}

// enqueueBulk puts a reminder-like row in the outbox, as a reminder sweep or broadcast would.
func (h *harness) enqueueBulk(recipient, text string) int64 {
	h.t.Helper()
	now := h.clock.Now()
	row := models.Outbox{Channel: Name, Recipient: recipient, Payload: models.EncodeJSON(bot.Reply{Text: text}),
		Status: models.OutboxPending, NextAttemptAt: now, Priority: models.PriorityBulk, CreatedAt: now}
	if err := models.Enqueue(h.db, []models.Outbox{row}); err != nil {
		h.t.Fatal(err)
	}
	rows := modeltest.Rows[models.Outbox](h.t, h.db, "")
	return rows[len(rows)-1].ID
}

func (h *harness) outbox(id int64) models.Outbox {
	h.t.Helper()
	return modeltest.One[models.Outbox](h.t, h.db, "id = ?", id)
}

// recordingHandler passes messages to the engine and keeps what the channel made of them.
type recordingHandler struct {
	inner Handler
	mu    sync.Mutex
	got   []bot.Inbound
}

func (r *recordingHandler) Handle(ctx context.Context, in bot.Inbound) (bot.Result, error) {
	r.mu.Lock()
	r.got = append(r.got, in)
	r.mu.Unlock()
	return r.inner.Handle(ctx, in)
}

func (r *recordingHandler) last(t *testing.T) bot.Inbound {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.got) == 0 {
		t.Fatal("no message reached the engine")
	}
	return r.got[len(r.got)-1]
}

func (r *recordingHandler) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func joined(texts []string) string { return strings.Join(texts, "\n---\n") }

// metricValue reads a gauge or counter.
func metricValue(t *testing.T, m prometheus.Metric) float64 {
	t.Helper()
	var out dto.Metric
	if err := m.Write(&out); err != nil {
		t.Fatal(err)
	}
	if g := out.GetGauge(); g != nil {
		return g.GetValue()
	}
	return out.GetCounter().GetValue()
}
