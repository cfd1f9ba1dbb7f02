// Package flowtest wires a real engine, router and dispatcher over a test database, for tests
// of channels and flows.
package flowtest

import (
	"sync"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/flows"
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
