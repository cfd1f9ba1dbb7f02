package whatsapp

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"time"

	"bpubot/models"

	"gorm.io/gorm"
)

// ConnectionLockKey is the PostgreSQL advisory lock whose holder owns the WhatsApp connection.
// Two connections with the same session keys replace each other (StreamReplaced), so of
// several bpubot processes on one database exactly one may connect.
const ConnectionLockKey = 7172004

// Lock decides which process holds the WhatsApp connection.
type Lock interface {
	// Acquire waits until this process holds the lock, or ctx ends, calling waiting each time
	// it finds the lock taken. lost is closed if the lock is lost while held (the database
	// connection behind it broke); release gives it up.
	Acquire(ctx context.Context, waiting func()) (lost <-chan struct{}, release func(), err error)
	// TryAcquire takes the lock if it is free, for one-off commands; ok is false when another
	// process holds it.
	TryAcquire(ctx context.Context) (release func(), ok bool, err error)
}

// NewLock returns the lock for db: an advisory lock on PostgreSQL, and on SQLite none at all
// (one process per SQLite file: it is the single-machine setup).
func NewLock(db *gorm.DB, retry time.Duration) Lock {
	if !models.IsPostgres(db) {
		return noLock{}
	}
	if retry <= 0 {
		retry = 15 * time.Second
	}
	return &pgLock{db: models.SQLDB(db), key: ConnectionLockKey, retry: retry, check: retry}
}

type noLock struct{}

func (noLock) Acquire(context.Context, func()) (<-chan struct{}, func(), error) {
	return make(chan struct{}), func() {}, nil
}

func (noLock) TryAcquire(context.Context) (func(), bool, error) { return func() {}, true, nil }

// pgLock is a session advisory lock held on a connection of its own, taken out of the pool for
// as long as it is held. PostgreSQL releases it when that session ends, so when the holder dies
// another process takes it at its next try.
type pgLock struct {
	db    *sql.DB
	key   int64
	retry time.Duration // between tries while another process holds it
	check time.Duration // between checks that the held connection is alive
}

func (l *pgLock) TryAcquire(ctx context.Context) (func(), bool, error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, l.key).Scan(&got); err != nil {
		_ = conn.Close()
		return nil, false, err
	}
	if !got {
		_ = conn.Close()
		return nil, false, nil
	}
	return func() { unlockAndClose(conn, l.key) }, true, nil
}

func (l *pgLock) Acquire(ctx context.Context, waiting func()) (<-chan struct{}, func(), error) {
	for {
		conn, err := l.db.Conn(ctx)
		if err == nil {
			var got bool
			err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, l.key).Scan(&got)
			if err == nil && got {
				return l.watch(conn)
			}
			_ = conn.Close()
			if err == nil && waiting != nil {
				waiting()
			}
		}
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		if !sleep(ctx, l.retry) {
			return nil, nil, ctx.Err()
		}
	}
}

// lockPingTimeout bounds a check of the held connection: a database that does not answer
// within it is taken for gone, lock and all.
const lockPingTimeout = 5 * time.Second

// watch checks the held connection until release, and closes lost if it dies: the lock died
// with it, and another process may be taking over.
func (l *pgLock) watch(conn *sql.Conn) (<-chan struct{}, func(), error) {
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
				err := conn.PingContext(ctx)
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
		unlockAndClose(conn, l.key)
	}
	return lost, release, nil
}

// unlockAndClose gives the lock back and the connection to the pool; a connection that could
// not unlock is thrown away instead, so no pooled session keeps the lock.
func unlockAndClose(conn *sql.Conn, key int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, key); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = conn.Close()
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
