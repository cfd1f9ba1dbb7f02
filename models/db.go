package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"bpubot/models/internal/handle"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DBConfig says which database to open.
type DBConfig struct {
	Driver       string // SQLite or Postgres
	Path         string // SQLite file
	URL          string // PostgreSQL URL
	Password     string // PostgreSQL password, from the environment only
	MaxOpenConns int
}

// DB is bpubot's database, SQLite or PostgreSQL: a pool of connections. Other packages hold it
// and hand it to models' functions; what those read and write, and how, stays in models.
type DB struct{ g *gorm.DB }

// Tx is a transaction on the database: models' functions given one run inside it. The one
// every inbound message is handled in comes from BeginMessage (MessageTx.Tx).
type Tx struct{ g *gorm.DB }

// Conn is what models' functions run on: the database (*DB, each statement on its own) or a
// transaction (*Tx). Only models implements it.
type Conn interface{ orm() *gorm.DB }

func (db *DB) orm() *gorm.DB { return db.g }
func (tx *Tx) orm() *gorm.DB { return tx.g }

func init() { handle.Gorm = func(c any) *gorm.DB { return c.(Conn).orm() } }

// WithContext returns db with every statement bound to ctx.
func (db *DB) WithContext(ctx context.Context) *DB { return &DB{g: db.g.WithContext(ctx)} }

// Transaction runs fn in a transaction, committed when fn returns nil and rolled back
// otherwise. Given a *DB from WithContext, it runs under that context.
func (db *DB) Transaction(fn func(tx *Tx) error) error {
	return db.g.Transaction(func(g *gorm.DB) error { return fn(&Tx{g: g}) })
}

// Open connects to the database and sets it up for many concurrent users: on SQLite WAL,
// a busy timeout, foreign keys and transactions that take the write lock when they begin (so
// two handlers never deadlock upgrading a read lock); on PostgreSQL a connection pool.
func Open(ctx context.Context, cfg DBConfig) (*DB, error) {
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	var (
		db  *gorm.DB
		err error
	)
	switch cfg.Driver {
	case SQLite, "":
		if err := createPrivate(sqlitePath(cfg.Path)); err != nil {
			return nil, fmt.Errorf("database.path: %w", err)
		}
		db, err = gorm.Open(sqlite.Open(SQLiteDSN(cfg.Path)), gcfg)
	case Postgres:
		dsn, derr := postgresDSN(cfg.URL, cfg.Password)
		if derr != nil {
			return nil, derr
		}
		db, err = gorm.Open(postgres.Open(dsn), gcfg)
	default:
		return nil, fmt.Errorf("database.driver: unknown driver %q (want sqlite or postgres)", cfg.Driver)
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	maxOpen := cfg.MaxOpenConns
	if maxOpen <= 0 {
		maxOpen = 20
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxOpen)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return &DB{g: db}, nil
}

// createPrivate creates the SQLite file, readable and writable by its owner only (it holds
// personal data; SQLite gives its -wal and -shm files the same mode), unless it exists.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

func sqlitePath(path string) string {
	if path == "" {
		return "bpubot.db"
	}
	return path
}

// LooseFileMode returns the mode of a file holding secrets or personal data when others than
// its owner may read or write it (group or world bits set); ok is false when the mode is safe
// or the file is missing.
func LooseFileMode(path string) (mode fs.FileMode, ok bool) {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return 0, false
	}
	return fi.Mode().Perm(), true
}

// SQLiteDSN is the connection string for a SQLite file with the pragmas bpubot relies on.
// Foreign keys must be on for whatsmeow's session store; the pure-Go driver reads _pragma.
func SQLiteDSN(path string) string {
	return "file:" + sqlitePath(path) + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

func postgresDSN(raw, password string) (string, error) {
	if raw == "" {
		return "", errors.New("database.url: required when database.driver is postgres")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("database.url: want postgres://user@host:port/dbname, got %q", redactURL(raw))
	}
	if password != "" && u.User != nil {
		u.User = url.UserPassword(u.User.Username(), password)
	}
	return u.String(), nil
}

func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return raw
}

// Dialect names the database behind c: SQLite or Postgres.
func Dialect(c Conn) string { return dialect(c.orm()) }

// IsPostgres reports whether c is PostgreSQL.
func IsPostgres(c Conn) bool { return isPostgres(c.orm()) }

func dialect(g *gorm.DB) string {
	if g.Dialector.Name() == "postgres" {
		return Postgres
	}
	return SQLite
}

func isPostgres(g *gorm.DB) bool { return dialect(g) == Postgres }

// SQLDB returns the database/sql pool under db, for libraries that bring their own SQL and
// take a *sql.DB: whatsmeow's session store, a job queue's driver.
func SQLDB(db *DB) *sql.DB { return sqlDB(db.g) }

func sqlDB(g *gorm.DB) *sql.DB {
	s, _ := g.DB()
	return s
}

// SQLTx returns the database/sql transaction under tx, for a library that writes in the same
// transaction and takes a *sql.Tx (the job queue's InsertTx); ok is false for a message's
// pipelined transaction, which has none.
func SQLTx(tx *Tx) (t *sql.Tx, ok bool) {
	t, ok = tx.g.Statement.ConnPool.(*sql.Tx)
	return t, ok
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return sqlDB(db.g).PingContext(ctx) }

// Close closes the pool.
func Close(db *DB) error { return sqlDB(db.g).Close() }

// IsBusy reports whether err is a transient lock conflict worth retrying the transaction for:
// SQLite's busy/locked errors or PostgreSQL's serialization and deadlock failures.
func IsBusy(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked") ||
		strings.Contains(msg, "SQLSTATE 40001") || strings.Contains(msg, "SQLSTATE 40P01")
}

// IsUnavailable reports whether err says the database could not be reached or went away in
// the middle (refused or broken connection, server shutting down or starting, too many
// connections, disk full): the work failed for now, not for good, and is worth doing again once
// the database is back. A statement the database refused (a constraint, a syntax error) is not.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		// Time ran out: the database may be down or a lock may be held; only asking it tells.
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01-57P03: admin or crash shutdown, cannot connect
		// now; 53: insufficient resources (disk full, out of memory, too many connections).
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") || strings.HasPrefix(pgErr.Code, "53")
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	msg := err.Error()
	for _, s := range unavailableMessages {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// unavailableMessages are the words of connection failures that reach us only as text (pgx's
// closed connection, SQLite's I/O and disk-full errors).
var unavailableMessages = []string{"conn closed", "connection refused", "connection reset", "broken pipe",
	"SQLITE_IOERR", "disk I/O error", "SQLITE_FULL", "database or disk is full", "SQLITE_CANTOPEN"}

// pgPlaceholders caches hot queries rewritten from ? to PostgreSQL's $1, $2 ...
var pgPlaceholders sync.Map

// hotQuery runs a query on tx's own connection (the *sql.Tx inside a transaction) without
// GORM's statement building, for the few statements on the path of every message. q uses ?
// placeholders and must not contain a ? anywhere else (in a literal, say).
func hotQuery(tx *gorm.DB, q string, args ...any) (*sql.Rows, error) {
	return tx.Statement.ConnPool.QueryContext(hotContext(tx), hotSQL(tx, q), args...)
}

// hotExec is hotQuery for a statement that returns no rows.
func hotExec(tx *gorm.DB, q string, args ...any) error {
	_, err := tx.Statement.ConnPool.ExecContext(hotContext(tx), hotSQL(tx, q), args...)
	return err
}

func hotContext(tx *gorm.DB) context.Context {
	if tx.Statement.Context != nil {
		return tx.Statement.Context
	}
	return context.Background()
}

func hotSQL(tx *gorm.DB, q string) string {
	if isPostgres(tx) {
		return pgSQL(q)
	}
	return q
}

// pgSQL rewrites q's ? placeholders to PostgreSQL's $1, $2 ..., once per distinct q.
func pgSQL(q string) string {
	if cached, ok := pgPlaceholders.Load(q); ok {
		return cached.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	pgPlaceholders.Store(q, b.String())
	return b.String()
}
