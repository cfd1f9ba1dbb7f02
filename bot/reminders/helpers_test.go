package reminders_test

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/payments"
	"bpubot/bot/reminders"
	"bpubot/flows"
	"bpubot/flows/coverage"
	"bpubot/flows/flowtest"
	"bpubot/flows/reminder"
	"bpubot/flows/tariff"
	"bpubot/models"
	"bpubot/models/modeltest"
)

func ym(y int, m time.Month) tariff.YearMonth { return tariff.NewYearMonth(y, m) }

// wita is a moment in Makassar time, where the worker of the year lives.
func wita(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, coverage.WITA)
}

// received is a message the fake Telegram got.
type received struct {
	At      time.Time
	Chat    string
	Text    string
	Choices []bot.Choice
}

// phone is a channel named telegram that records what it is sent, at the clock's time.
type phone struct {
	clock *flowtest.Clock
	mu    sync.Mutex
	got   []received
}

func (p *phone) Name() string { return "telegram" }

func (p *phone) Send(_ context.Context, msg bot.Outgoing) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = append(p.got, received{At: p.clock.Now(), Chat: msg.Recipient, Text: msg.Reply.Text, Choices: msg.Reply.Choices})
	return nil
}

func (p *phone) messages() []received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]received(nil), p.got...)
}

// runner is one bpubot process: its own connections to the database, an engine and a
// dispatcher with the fake Telegram, and the reminder service.
type runner struct {
	db     *models.DB
	engine *bot.Engine
	disp   *bot.Dispatcher
	phone  *phone
	svc    *reminders.Service
}

func newRunner(t testing.TB, db *models.DB, clock *flowtest.Clock) *runner {
	t.Helper()
	engine, disp := flowtest.Engine(t, db, clock)
	ph := &phone{clock: clock}
	disp.Register(ph)
	svc := &reminders.Service{DB: db, Rules: coverage.Default(), Schedule: reminder.DefaultSchedule(),
		Flows: engine.Flows.(*flows.Router), Channels: []reminders.Channel{{Name: "telegram"}}, Clock: clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return &runner{db: db, engine: engine, disp: disp, phone: ph, svc: svc}
}

// remind plans and sends what is due at the clock's time.
func (r *runner) remind(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	now := r.svc.Now()
	due, err := r.svc.Plan(ctx, now)
	if err != nil {
		t.Fatalf("plan at %s: %v", now, err)
	}
	if _, err := r.svc.Send(ctx, due, now); err != nil {
		t.Fatalf("send at %s: %v", now, err)
	}
}

// deliver sends what the outbox holds, through this runner's dispatcher. (Its dispatcher does
// not Run: two of them draining at once would take each other's rows for a dead process's.)
func (r *runner) deliver(t testing.TB) {
	t.Helper()
	for {
		n, err := r.disp.DrainOnce(context.Background(), "telegram")
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

var seq atomic.Int64

// say is the worker writing (a button value in brackets: "[sudah_bayar]") to the bot.
func (r *runner) say(t testing.TB, chat, text string) []bot.Reply {
	t.Helper()
	in := bot.Inbound{Channel: "telegram", ChatID: chat, UserID: chat, ExternalID: fmt.Sprint("u", seq.Add(1)), Kind: bot.KindText, Text: text}
	if v, ok := strings.CutPrefix(text, "["); ok {
		in.Kind, in.Value, in.Text = bot.KindButton, strings.TrimSuffix(v, "]"), ""
	}
	res, err := r.engine.Handle(context.Background(), in)
	if err != nil {
		t.Fatalf("handle %q: %v", text, err)
	}
	r.deliver(t)
	return res.Replies
}

// enrolled registers a worker (province code, enrolled at) with a Telegram chat they wrote
// from, and returns the member and enrollment ids.
func enrolled(t testing.TB, db *models.DB, nik, province, chat string, at time.Time) (int64, int64) {
	t.Helper()
	s := flowtest.Sealer(t)
	m := models.Member{NIKHash: s.Hash(nik), NIKEnc: s.Seal(nik), FullName: "Pekerja " + nik[12:], Occupation: "pedagang",
		ProvinceCode: province, Phone: "+6281234567" + nik[13:], Lang: "id", CreatedAt: at, UpdatedAt: at}
	c := models.Consent{Version: "2026-01", GivenAt: at, Channel: "telegram"}
	e := models.Enrollment{Package: string(tariff.PackageJKKJKM), DeclaredIncome: 1_000_000, PaymentMonths: 1,
		Status: models.EnrollmentPendingPayment, Channel: "telegram", CreatedAt: at, UpdatedAt: at}
	if ok, err := models.Register(db, &m, &c, &e); err != nil || !ok {
		t.Fatalf("register %s: %v %v", nik, ok, err)
	}
	if chat != "" {
		if err := models.TouchContact(db, "telegram", chat, &m.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	return m.ID, e.ID
}

// pay records a verified payment of months first to last, made at at, as an import would.
func pay(t testing.TB, db *models.DB, member, enrollment int64, first, last tariff.YearMonth, at time.Time) {
	t.Helper()
	rec, err := models.LoadCoverage(db, member)
	if err != nil {
		t.Fatal(err)
	}
	q, err := coverage.Default().Expected(payments.EnrollmentOf(rec), first, int(last-first)+1)
	if err != nil {
		t.Fatal(err)
	}
	p := models.Payment{MemberID: member, EnrollmentID: enrollment, FirstMonth: payments.MonthNumber(first),
		LastMonth: payments.MonthNumber(last), Amount: q.Total, PaidAt: at, Source: models.PaymentImport,
		Reference: fmt.Sprintf("pay:%d:%s", enrollment, first), Verified: true, CreatedAt: at}
	if err := db.Transaction(func(tx *models.Tx) error {
		if _, err := models.InsertPayments(tx, []models.Payment{p}); err != nil {
			return err
		}
		return models.SetPaidUntil(tx, []int64{enrollment}, coverage.WIB)
	}); err != nil {
		t.Fatal(err)
	}
}

// sentRows lists reminders_sent as "day stage month", in order.
func sentRows(t testing.TB, db *models.DB) []string {
	t.Helper()
	rows := modeltest.Rows[models.ReminderSent](t, db, "")
	slices.SortFunc(rows, func(a, b models.ReminderSent) int { return cmp.Or(a.Day-b.Day, int(a.MemberID-b.MemberID)) })
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%d %s %d", r.Day, r.Stage, r.Month)
	}
	return out
}
