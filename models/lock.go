package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math/rand/v2"
	"time"
)

// AdvisoryLock is a PostgreSQL advisory lock, by name. Every lock bpubot takes is one of the
// variables below, so no two uses share a key by accident; add new ones there. The keys are
// those earlier releases used, so a process of an older release and one of this release still
// exclude each other during an upgrade.
//
// On SQLite there is nothing to lock: one process runs per database file, and taking a lock
// always succeeds at once.
type AdvisoryLock struct {
	Name string
	Key  int64
}

// The advisory locks bpubot takes.
var (
	// LockMigrations is held while migrations run (and while records of the migration runner
	// before goose are carried over), so processes starting at once apply each migration once.
	LockMigrations = AdvisoryLock{"migrations", 7172001}
	// LockWhatsApp is held by the one process that may connect to WhatsApp: two connections
	// with the same session keys knock each other off.
	LockWhatsApp = AdvisoryLock{"whatsapp connection", 7172004}
	// LockWhatsAppStore serialises the upgrade of whatsmeow's session store tables, which takes
	// no lock of its own.
	LockWhatsAppStore = AdvisoryLock{"whatsapp session store upgrade", 7172005}
	// LockPayments serialises recording payments, held by the transaction that records them
	// (LockTx), so two imports (or an import and the webhook) cannot both pay the same month.
	LockPayments = AdvisoryLock{"payments", 7172006}
)

// ownerLockClass is the upper half of every OwnerLock key.
const ownerLockClass = "7172"

// OwnerLock is the lock a dispatcher process holds for as long as it lives under owner, an id
// from NewOwner: the rows it claimed are its own until its database session ends.
func OwnerLock(owner int64) AdvisoryLock { return AdvisoryLock{"outbox owner", owner} }

// NewOwner makes a dispatcher owner id: ownerLockClass in the upper 32 bits (how pg_locks
// shows the upper half of a key), a random number in the lower.
func NewOwner() int64 { return 7172<<32 | int64(rand.Uint32()|1) }

func (l AdvisoryLock) String() string { return fmt.Sprintf("%s (advisory lock %d)", l.Name, l.Key) }

// HeldLock is an advisory lock this process holds. It lives in a database session, so it is
// held on a connection of its own, taken out of the pool until Release; PostgreSQL releases it
// by itself when that session ends (the process died, the connection broke).
type HeldLock struct {
	lock AdvisoryLock
	conn *sql.Conn // nil on SQLite
}

// TryLock takes l if no other session holds it; ok is false when one does.
func TryLock(ctx context.Context, db *DB, l AdvisoryLock) (h *HeldLock, ok bool, err error) {
	if !IsPostgres(db) {
		return &HeldLock{lock: l}, true, nil
	}
	conn, err := SQLDB(db).Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, l.Key).Scan(&ok); err != nil || !ok {
		_ = conn.Close()
		return nil, false, err
	}
	return &HeldLock{lock: l, conn: conn}, true, nil
}

// WaitLock takes l, waiting for as long as another session holds it or until ctx ends.
func WaitLock(ctx context.Context, db *DB, l AdvisoryLock) (*HeldLock, error) {
	if !IsPostgres(db) {
		return &HeldLock{lock: l}, nil
	}
	conn, err := SQLDB(db).Conn(ctx)
	if err != nil {
		return nil, err
	}
	if err := lockConn(ctx, conn, l); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return &HeldLock{lock: l, conn: conn}, nil
}

// WithLock runs fn holding l, waiting for it first.
func WithLock(ctx context.Context, db *DB, l AdvisoryLock, fn func() error) error {
	h, err := WaitLock(ctx, db, l)
	if err != nil {
		return fmt.Errorf("%s: %w", l, err)
	}
	defer h.Release()
	return fn()
}

// LockTx takes l until tx ends, waiting for it: a transaction-level advisory lock, given back
// by the commit or rollback. On SQLite the transaction's write lock already excludes the others.
func LockTx(tx *Tx, l AdvisoryLock) error {
	if !isPostgres(tx.g) {
		return nil
	}
	return tx.g.Exec(`SELECT pg_advisory_xact_lock(?)`, l.Key).Error
}

// Alive checks that the session holding the lock is still there; after an error the lock is
// gone with it, and another process may be taking it.
func (h *HeldLock) Alive(ctx context.Context) error {
	if h.conn == nil {
		return nil
	}
	return h.conn.PingContext(ctx)
}

// Release gives the lock back and the connection to the pool. A connection that could not
// unlock is thrown away instead, so no pooled session keeps the lock.
func (h *HeldLock) Release() {
	if h.conn == nil {
		return
	}
	// Not the caller's context: it may have ended, and the lock must go anyway.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := unlockConn(ctx, h.conn, h.lock); err != nil {
		_ = h.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = h.conn.Close()
	h.conn = nil
}

// lockConn takes l in conn's session, waiting for it (PostgreSQL only).
func lockConn(ctx context.Context, conn *sql.Conn, l AdvisoryLock) error {
	_, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, l.Key)
	return err
}

// unlockConn gives back l taken in conn's session (PostgreSQL only).
func unlockConn(ctx context.Context, conn *sql.Conn, l AdvisoryLock) error {
	_, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, l.Key)
	return err
}
