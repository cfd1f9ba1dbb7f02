package models_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"bpubot/models"
	"bpubot/models/modeltest"
)

// TestAdvisoryLock: a lock held by one process is refused to another (TryLock) or waited for
// (WaitLock, WithLock) until released; a lost session shows in Alive. On SQLite every lock is
// free: one process uses a database file.
func TestAdvisoryLock(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		// A key of its own: advisory locks are shared by the whole database, which other tests
		// use too.
		l := models.AdvisoryLock{Name: "test", Key: 1<<40 + rand.Int64N(1<<30)}
		first, ok, err := models.TryLock(ctx, db, l)
		if err != nil || !ok {
			t.Fatalf("first: %v, %v", ok, err)
		}
		if err := first.Alive(ctx); err != nil {
			t.Fatal(err)
		}
		second, ok, err := models.TryLock(ctx, db, l)
		if err != nil {
			t.Fatal(err)
		}
		if !models.IsPostgres(db) {
			if !ok {
				t.Fatal("SQLite: a lock was refused")
			}
			second.Release()
			first.Release()
			return
		}
		if ok {
			second.Release()
			t.Fatal("a held lock was taken twice")
		}
		got := make(chan error, 1)
		go func() {
			got <- models.WithLock(ctx, db, l, func() error { return nil })
		}()
		modeltest.Eventually(t, "PostgreSQL to show WithLock waiting for the lock", func() bool {
			select {
			case err := <-got:
				t.Fatalf("WithLock ran while the lock was held (%v)", err)
			default:
			}
			var waiting int64
			if err := models.Gorm(db).Raw(`SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
				AND ((classid::bigint << 32) | objid::bigint) = ?`, l.Key).Scan(&waiting).Error; err != nil {
				t.Fatal(err)
			}
			return waiting > 0
		})
		select {
		case err := <-got:
			t.Fatalf("WithLock ran while the lock was held (%v)", err)
		default:
		}
		first.Release()
		first.Release() // twice is harmless
		if err := <-got; err != nil {
			t.Fatal(err)
		}

		// The holder's session dies: Alive says so, and the lock is free.
		held, err := models.WaitLock(ctx, db, l)
		if err != nil {
			t.Fatal(err)
		}
		defer held.Release()
		modeltest.KillLockHolder(t, db, l.Key)
		if err := held.Alive(ctx); err == nil {
			t.Fatal("a lost lock is alive")
		}
		// The backend ends a moment after it is told to, and its locks with it.
		modeltest.Eventually(t, "the killed holder's lock to go", func() bool {
			var held int64
			if err := models.Gorm(db).Raw(`SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'
				AND ((classid::bigint << 32) | objid::bigint) = ?`, l.Key).Scan(&held).Error; err != nil {
				t.Fatal(err)
			}
			return held == 0
		})
		again, ok, err := models.TryLock(ctx, db, l)
		if err != nil || !ok {
			t.Fatalf("after the holder died: %v, %v", ok, err)
		}
		again.Release()
	})
}
