package whatsapp

import (
	"context"
	"time"

	"bpubot/models"
)

// Lock decides which process holds the WhatsApp connection. Two connections with the same
// session keys replace each other (StreamReplaced), so of several bpubot processes on one
// database exactly one may connect.
type Lock interface {
	// Acquire waits until this process holds the lock, or ctx ends, calling waiting each time
	// it finds the lock taken. lost is closed if the lock is lost while held (the database
	// connection behind it broke); release gives it up.
	Acquire(ctx context.Context, waiting func()) (lost <-chan struct{}, release func(), err error)
	// TryAcquire takes the lock if it is free, for one-off commands; ok is false when another
	// process holds it.
	TryAcquire(ctx context.Context) (release func(), ok bool, err error)
}

// NewLock returns the lock for db: models.LockWhatsApp, a PostgreSQL advisory lock (on SQLite,
// which one process uses at a time, always free).
func NewLock(db *models.DB, retry time.Duration) Lock {
	if retry <= 0 {
		retry = 15 * time.Second
	}
	return &dbLock{db: db, lock: models.LockWhatsApp, retry: retry, check: retry}
}

// dbLock is an advisory lock held in a database session of its own. PostgreSQL releases it
// when that session ends, so when the holder dies another process takes it at its next try.
type dbLock struct {
	db    *models.DB
	lock  models.AdvisoryLock
	retry time.Duration // between tries while another process holds it
	check time.Duration // between checks that the held session is alive
}

func (l *dbLock) TryAcquire(ctx context.Context) (func(), bool, error) {
	h, ok, err := models.TryLock(ctx, l.db, l.lock)
	if err != nil || !ok {
		return nil, false, err
	}
	return h.Release, true, nil
}

func (l *dbLock) Acquire(ctx context.Context, waiting func()) (<-chan struct{}, func(), error) {
	for {
		h, ok, err := models.TryLock(ctx, l.db, l.lock)
		if err == nil && ok {
			return l.watch(h)
		}
		if err == nil && waiting != nil {
			waiting()
		}
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		if !sleep(ctx, l.retry) {
			return nil, nil, ctx.Err()
		}
	}
}

// lockPingTimeout bounds a check of the held session: a database that does not answer within
// it is taken for gone, lock and all.
const lockPingTimeout = 5 * time.Second

// watch checks the held session until release, and closes lost if it dies: the lock died with
// it, and another process may be taking over.
func (l *dbLock) watch(h *models.HeldLock) (<-chan struct{}, func(), error) {
	lost := make(chan struct{})
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(l.check)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), lockPingTimeout)
				err := h.Alive(ctx)
				cancel()
				if err != nil {
					close(lost)
					return
				}
			}
		}
	}()
	release := func() {
		close(stop)
		<-done
		h.Release()
	}
	return lost, release, nil
}

// sleep waits d or until ctx ends, and reports whether the whole d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
