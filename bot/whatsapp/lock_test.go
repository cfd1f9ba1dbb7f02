package whatsapp

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"bpubot/models"
	"bpubot/models/modeltest"
)

// testLock is a connection lock of its own for one test: advisory locks are shared by the
// whole database, which other tests and a running bpubot may be using too.
func testLock(db *models.DB, key int64) *dbLock {
	return &dbLock{db: db, lock: models.AdvisoryLock{Name: "test whatsapp connection", Key: key}, retry: 10 * time.Millisecond, check: 10 * time.Millisecond}
}

func randomLockKey() int64 { return 1<<40 + rand.Int64N(1<<30) }

func TestLockPassesToAnotherProcessWhenTheHolderDies(t *testing.T) {
	if !hasPostgres() {
		t.Skip(modeltest.PostgresURLEnv + " not set")
	}
	ctx := context.Background()
	key := randomLockKey()
	first, second := modeltest.MustOpen(t, models.Postgres), modeltest.MustOpen(t, models.Postgres)
	lostA, releaseA, err := testLock(first, key).Acquire(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer releaseA()

	waiting := make(chan struct{}, 100)
	got := make(chan func(), 1)
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_, release, err := testLock(second, key).Acquire(bctx, func() { waiting <- struct{}{} })
		if err == nil {
			got <- release
		}
	}()
	select {
	case <-waiting: // the second process stands by
	case <-time.After(guard):
		t.Fatal("the second process did not try")
	}
	if release, ok, err := testLock(second, key).TryAcquire(ctx); err != nil || ok {
		release()
		t.Fatalf("taken twice (%v)", err)
	}

	// The holder's database session dies, as when its process is killed.
	modeltest.KillLockHolder(t, second, key)
	select {
	case <-lostA:
	case <-time.After(guard):
		t.Fatal("the holder did not notice it lost the lock")
	}
	select {
	case release := <-got:
		release()
	case <-time.After(guard):
		t.Fatal("the second process did not take over")
	}
}

// TestStandbyProcessTakesOver runs two channels on one PostgreSQL database: one connects, the
// other stands by (ready, sending nothing) and connects when the first stops.
func TestStandbyProcessTakesOver(t *testing.T) {
	if !hasPostgres() {
		t.Skip(modeltest.PostgresURLEnv + " not set")
	}
	db := modeltest.MustOpen(t, models.Postgres)
	key := randomLockKey()
	a := newHarness(t, db, withLock(testLock(db, key)))
	b := newHarness(t, db, withLock(testLock(db, key)))
	a.start()
	a.connect()
	b.start()
	b.waitState(StateStandby)
	if err := b.ch.Ready(context.Background()); err != nil {
		t.Fatalf("standby not ready: %v", err)
	}
	if !b.ch.Standby() {
		t.Fatal("the standby process would send")
	}
	select {
	case n := <-b.cli.connects:
		t.Fatalf("standby connected (#%d)", n)
	default:
	}

	a.stop()
	b.connect()
	if !a.ch.Standby() {
		t.Fatal("the stopped process would still send")
	}
}
