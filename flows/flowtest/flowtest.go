// Package flowtest wires a real engine, router and dispatcher over a test database, for tests
// of channels and flows.
package flowtest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/payments"
	"bpubot/flows"
	"bpubot/flows/coverage"
	"bpubot/flows/tariff"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// Key is the fixed NIK encryption key of tests.
const Key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now implements bot.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Start is the default test time: 22 November 2026, 10:00 WIB.
var Start = time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)

// Sealer is the sealer of Key.
func Sealer(tb testing.TB) *models.Sealer {
	tb.Helper()
	key, err := models.ParseKey(Key)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := models.NewSealer(key)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// Router is the production router with the default config and tariff.
func Router(tb testing.TB) *flows.Router {
	return &flows.Router{Config: flows.DefaultConfig(), Sealer: Sealer(tb), Tariff: tariff.Default()}
}

// Engine wires an engine and a dispatcher on db. clock may be nil for the real clock.
func Engine(tb testing.TB, db *models.DB, clock bot.Clock) (*bot.Engine, *bot.Dispatcher) {
	tb.Helper()
	if clock == nil {
		clock = bot.SystemClock{}
	}
	d := &bot.Dispatcher{DB: db, Clock: clock, Poll: 20 * time.Millisecond}
	e := &bot.Engine{DB: db, Flows: Router(tb), Clock: clock, Notify: d.Notify}
	return e, d
}

// AddPartner stores a partner for tests of partner codes and deep links.
func AddPartner(tb testing.TB, db *models.DB, code, name string, sponsored, gov bool) *models.Partner {
	tb.Helper()
	p := &models.Partner{Code: code, Name: name, Sponsored: sponsored, GovSponsored: gov, Active: true, CreatedAt: time.Now()}
	modeltest.Insert(tb, db, p)
	return p
}

// PayUntil records, for every enrollment on db, a verified payment from staff of each month from
// the one it began in to until's (as an import would), paid at, and keeps paid_until.
func PayUntil(tb testing.TB, db *models.DB, until, at time.Time) {
	tb.Helper()
	recs := modeltest.Rows[models.Enrollment](tb, db, "")
	ids := make([]int64, len(recs))
	for i, e := range recs {
		ids[i] = e.ID
	}
	cov, err := models.LoadCoverages(db, ids)
	if err != nil {
		tb.Fatal(err)
	}
	rules := coverage.Default()
	var ps []models.Payment
	for i := range cov {
		rec := &cov[i]
		first, last := tariff.MonthOf(rec.Enrollment.CreatedAt), tariff.MonthOf(until)
		for _, p := range rec.Payments {
			if p.Verified {
				first = max(first, payments.YearMonth(p.LastMonth)+1)
			}
		}
		if last < first {
			continue
		}
		q, err := rules.Expected(payments.EnrollmentOf(rec), first, int(last-first)+1)
		if err != nil {
			tb.Fatal(err)
		}
		ps = append(ps, models.Payment{MemberID: rec.Enrollment.MemberID, EnrollmentID: rec.Enrollment.ID,
			FirstMonth: payments.MonthNumber(first), LastMonth: payments.MonthNumber(last), Amount: q.Total, PaidAt: at,
			Source: models.PaymentStaff, Reference: fmt.Sprintf("test:%d:%s", rec.Enrollment.ID, last), Verified: true, CreatedAt: at})
	}
	if err := db.Transaction(func(tx *models.Tx) error {
		if _, err := models.InsertPayments(tx, ps); err != nil {
			return err
		}
		return models.SetPaidUntil(tx, ids, coverage.WIB)
	}); err != nil {
		tb.Fatal(err)
	}
}
