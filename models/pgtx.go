package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// PipelinedTx is MessageTx on PostgreSQL, with two round trips fewer than a database/sql
// transaction: BEGIN goes to the server in one batch with the dedupe record and the row lock,
// and COMMIT in one batch with the save (saveAndEnqueueSQL). A database/sql transaction spends
// a round trip on each, and on this path, run for every message, round trips are most of the
// database's and the bot's work. Whatever runs between (the flows) runs through Tx(), on the
// same connection, inside the transaction, as usual.
//
// The connection is held from beginPipelined until Commit or Rollback. A connection given back
// with its transaction still open (after a panic, say) is closed by pgx's ResetSession rather
// than reused.
type PipelinedTx struct {
	conn *sql.Conn
	db   *gorm.DB
	open bool // BEGIN sent, neither COMMIT nor ROLLBACK since

	queued, unreachable bool
}

// beginPipelined takes a connection, begins a transaction, records the inbound message and
// locks its chat's conversation, in one round trip. conv is nil when the chat has none yet;
// fresh is false for a message already handled.
func beginPipelined(ctx context.Context, db *gorm.DB, m InboundMessage) (t *PipelinedTx, fresh bool, conv *Conversation, err error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, false, nil, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, false, nil, err
	}
	t = &PipelinedTx{conn: conn}
	err = t.batch(ctx, func(pc *pgx.Conn) error {
		b := &pgx.Batch{}
		b.Queue("BEGIN")
		if m.ExternalID != "" {
			b.Queue(pgSQL(markInboundSQL), m.Channel, m.ExternalID, m.Now)
		}
		b.Queue(pgSQL(lockConversationSQL), m.Channel, m.ChatID)
		b.Queue(pgSQL(chatStandingSQL), m.Channel, m.ChatID, m.Owner, m.Channel, m.ChatID)
		t.open = true
		br := pc.SendBatch(ctx, b)
		_, err := br.Exec()
		fresh = true
		if err == nil && m.ExternalID != "" {
			var tag pgconn.CommandTag
			tag, err = br.Exec()
			fresh = tag.RowsAffected() == 1
		}
		if err == nil {
			var rows pgx.Rows
			if rows, err = br.Query(); err == nil {
				if rows.Next() {
					conv, err = scanConversation(rows.Scan)
				}
				rows.Close()
				if rerr := rows.Err(); err == nil {
					err = rerr
				}
			}
		}
		if err == nil {
			err = br.QueryRow().Scan(&t.queued, &t.unreachable)
			t.queued = t.queued && m.Owner != 0
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		t.Rollback()
		return nil, false, nil, fmt.Errorf("dedupe and lock: %w", err)
	}
	t.db = db.Session(&gorm.Session{Context: ctx, NewDB: true})
	t.db.Statement.ConnPool = pinnedConn{conn}
	return t, fresh, conv, nil
}

// Tx is the transaction, for what the flows read and write.
func (t *PipelinedTx) Tx() *Tx { return &Tx{g: t.db} }

// Queued implements MessageTx.
func (t *PipelinedTx) Queued() bool { return t.queued }

// Unreachable implements MessageTx.
func (t *PipelinedTx) Unreachable() bool { return t.unreachable }

// Commit saves the conversation, enqueues the replies and touches the contact in one
// statement, sent with COMMIT in one round trip. The transaction is over whatever it returns
// (rolled back on an error) and the connection given back.
func (t *PipelinedTx) Commit(ctx context.Context, c *Conversation, rows []Outbox, touch *Touch) error {
	err := checkNoDedupeKey(rows)
	if err == nil {
		q, args := saveAndEnqueueSQL(c, rows, touch)
		err = t.batch(ctx, func(pc *pgx.Conn) error {
			b := &pgx.Batch{}
			b.Queue(pgSQL(q), args...)
			b.Queue("COMMIT")
			br := pc.SendBatch(ctx, b)
			var err error
			if len(rows) > 0 {
				var ids []int64
				var res pgx.Rows
				if res, err = br.Query(); err == nil {
					ids = make([]int64, 0, len(rows))
					for res.Next() {
						var id int64
						if err = res.Scan(&id); err != nil {
							break
						}
						ids = append(ids, id)
					}
					res.Close()
					if err == nil {
						err = res.Err()
					}
					if err == nil {
						err = setIDs(rows, ids)
					}
				}
			} else {
				_, err = br.Exec()
			}
			if err == nil {
				_, err = br.Exec() // COMMIT
				if err == nil {
					t.open = false
				}
			}
			if cerr := br.Close(); err == nil {
				err = cerr
			}
			return err
		})
	}
	t.Rollback() // after a COMMIT only gives the connection back
	return err
}

// Rollback ends the transaction, if still open, and gives the connection back. It may be
// called more than once.
func (t *PipelinedTx) Rollback() {
	if t.conn == nil {
		return
	}
	if t.open {
		// Not the caller's context: it may be why the transaction failed.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if _, err := t.conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			// In an unknown state: make sure it is closed, not reused.
			_ = t.conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		cancel()
		t.open = false
	}
	_ = t.conn.Close()
	t.conn = nil
}

// batch runs fn on the pgx connection under the pooled one.
func (t *PipelinedTx) batch(ctx context.Context, fn func(*pgx.Conn) error) error {
	return t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("PipelinedTx: not a pgx connection")
		}
		return fn(c.Conn())
	})
}

// pinnedConn is a held connection as GORM's connection pool for statements inside a
// PipelinedTx. It has Commit and Rollback so that GORM takes it for a transaction (a nested
// Transaction then uses a savepoint), and no BeginTx, so nothing begins another transaction
// on it. Committing or rolling back goes through the PipelinedTx.
type pinnedConn struct{ c *sql.Conn }

var (
	_ gorm.ConnPool    = pinnedConn{}
	_ gorm.TxCommitter = pinnedConn{}
)

func (p pinnedConn) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return p.c.PrepareContext(ctx, q)
}

func (p pinnedConn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.c.ExecContext(ctx, q, args...)
}

func (p pinnedConn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return p.c.QueryContext(ctx, q, args...)
}

func (p pinnedConn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return p.c.QueryRowContext(ctx, q, args...)
}

var errPinned = errors.New("a PipelinedTx ends with Commit or Rollback")

func (pinnedConn) Commit() error   { return errPinned }
func (pinnedConn) Rollback() error { return errPinned }
