package models

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

// Migrations are SQL files run by goose (github.com/pressly/goose), one directory per dialect
// with the same file names in both: NNNN_what.sql, starting with `-- +goose Up` and, where the
// change can be undone, a `-- +goose Down` section. A statement with semicolons inside it (a
// function body) goes between `-- +goose StatementBegin` and `-- +goose StatementEnd`. Each
// file runs in a transaction of its own, recorded in goose's version table.
//
//go:embed migrations
var migrationFiles embed.FS

// versionTable is goose's own table of applied versions.
const versionTable = "goose_db_version"

// MigrationState is one migration and whether the database has it.
type MigrationState struct {
	Version   int64
	Name      string // file name
	Applied   bool
	AppliedAt time.Time // zero when pending
}

// MigrationFiles is the directory of one dialect's migrations.
func MigrationFiles(dialect string) (fs.FS, error) {
	switch dialect {
	case SQLite, Postgres:
		return fs.Sub(migrationFiles, "migrations/"+dialect)
	}
	return nil, fmt.Errorf("no migrations for %q", dialect)
}

// Migrate applies every migration the database does not have yet and returns the names of
// those it applied. Processes starting at once on PostgreSQL take turns (LockMigrations).
func Migrate(ctx context.Context, db *DB) ([]string, error) {
	p, err := newMigrator(ctx, db, nil)
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	return resultNames(res), err
}

// MigrateDownTo undoes migrations, newest first, until version is the newest left (0 undoes
// all), and returns the names of those it undid.
func MigrateDownTo(ctx context.Context, db *DB, version int64) ([]string, error) {
	p, err := newMigrator(ctx, db, nil)
	if err != nil {
		return nil, err
	}
	res, err := p.DownTo(ctx, version)
	return resultNames(res), err
}

// MigrationStatus lists every migration, oldest first, with whether it is applied.
func MigrationStatus(ctx context.Context, db *DB) ([]MigrationState, error) {
	p, err := newMigrator(ctx, db, nil)
	if err != nil {
		return nil, err
	}
	list, err := p.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]MigrationState, len(list))
	for i, s := range list {
		out[i] = MigrationState{Version: s.Source.Version, Name: path.Base(s.Source.Path),
			Applied: s.State == goose.StateApplied, AppliedAt: s.AppliedAt}
	}
	return out, nil
}

func resultNames(res []*goose.MigrationResult) []string {
	var names []string
	for _, r := range res {
		names = append(names, path.Base(r.Source.Path))
	}
	return names
}

// newMigrator is a goose provider over db's migrations, or over files when given (tests). It
// first makes sure goose's version table is there, holding LockMigrations
// (prepareVersionTable): goose looks at that table, and creates it when missing, before it
// takes any lock of its own, so two processes starting on a new database would race to create
// it, and one starting on a database of the runner before goose would not see that runner's
// records.
func newMigrator(ctx context.Context, db *DB, files fs.FS) (*goose.Provider, error) {
	dialect := Dialect(db)
	if files == nil {
		var err error
		if files, err = MigrationFiles(dialect); err != nil {
			return nil, err
		}
	}
	gd := goose.DialectSQLite3
	if dialect == Postgres {
		gd = goose.DialectPostgres
	}
	store, err := database.NewStore(gd, versionTable)
	if err != nil {
		return nil, err
	}
	err = WithLock(ctx, db, LockMigrations, func() error {
		conn, err := SQLDB(db).Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return prepareVersionTable(ctx, conn, dialect == Postgres, store)
	})
	if err != nil {
		return nil, fmt.Errorf("migrations version table: %w", err)
	}
	var opts []goose.ProviderOption
	if dialect == Postgres {
		opts = append(opts, goose.WithSessionLocker(migrationLock{}))
	}
	return goose.NewProvider(goose.DialectCustom, SQLDB(db), files,
		// Out of order: a migration added on a branch with a lower number than one already
		// applied (work merged in another order) is applied rather than refused.
		append(opts, goose.WithStore(store), goose.WithDisableGlobalRegistry(true), goose.WithAllowOutofOrder(true))...)
}

// migrationLock is LockMigrations as goose's lock, held on the connection goose migrates on.
type migrationLock struct{}

func (migrationLock) SessionLock(ctx context.Context, conn *sql.Conn) error {
	if err := lockConn(ctx, conn, LockMigrations); err != nil {
		return fmt.Errorf("%s: %w", LockMigrations, err)
	}
	return nil
}

func (migrationLock) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	return unlockConn(ctx, conn, LockMigrations)
}

// prepareVersionTable creates goose's version table when it is missing, and carries a database
// migrated by the runner that came before goose over to goose with no step by hand: that runner
// recorded versions 1 to 4 in schema_migrations, which become rows of goose's version table
// (with their times), in the same transaction. schema_migrations itself is left as it was, so
// a process of the older release restarting during an upgrade still finds its records; nothing
// reads it after this.
func prepareVersionTable(ctx context.Context, conn *sql.Conn, postgres bool, store database.Store) error {
	if has, err := tableExists(ctx, conn, postgres, versionTable); err != nil || has {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if err := store.CreateVersionTable(ctx, tx); err != nil {
		return err
	}
	if err := store.Insert(ctx, tx, database.InsertRequest{Version: 0}); err != nil {
		return err
	}
	legacy, err := tableExists(ctx, tx, postgres, "schema_migrations")
	if err != nil {
		return err
	}
	if legacy {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+versionTable+` (version_id, is_applied, tstamp)
			SELECT version, TRUE, applied_at FROM schema_migrations ORDER BY version`); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// tableExists reports whether the table is in the database (on PostgreSQL: in the search path).
func tableExists(ctx context.Context, q database.DBTxConn, postgres bool, name string) (bool, error) {
	query := `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?`
	if postgres {
		query = `SELECT to_regclass($1) IS NOT NULL`
	}
	var ok bool
	err := q.QueryRowContext(ctx, query, name).Scan(&ok)
	return ok, err
}
