package modeltest

import (
	"strings"
	"testing"

	"bpubot/models"
	"bpubot/models/internal/handle"

	"gorm.io/gorm"
)

// Tests look at what landed in the database, and set up states no models function makes,
// through these: conditions in GORM's form ("recipient = ? AND status <> ?", args), rows as
// models' structs. T is a models struct; its table is the struct's.

// Count counts the rows of T matching where ("" for all).
func Count[T any](tb testing.TB, c models.Conn, where string, args ...any) int64 {
	tb.Helper()
	var n int64
	if err := query(handle.Gorm(c).Model(new(T)), where, args).Count(&n).Error; err != nil {
		tb.Fatalf("count %T: %v", *new(T), err)
	}
	return n
}

// Rows returns the rows of T matching where ("" for all), by primary key.
func Rows[T any](tb testing.TB, c models.Conn, where string, args ...any) []T {
	tb.Helper()
	g := handle.Gorm(c)
	var rows []T
	if err := query(g, where, args).Order(primaryKey[T](g)).Find(&rows).Error; err != nil {
		tb.Fatalf("rows of %T: %v", *new(T), err)
	}
	return rows
}

// One returns the row of T matching where ("" for any), failing the test when there is none.
func One[T any](tb testing.TB, c models.Conn, where string, args ...any) T {
	tb.Helper()
	g := handle.Gorm(c)
	var row T
	if err := query(g, where, args).Order(primaryKey[T](g)).Take(&row).Error; err != nil {
		tb.Fatalf("%T where %q %v: %v", row, where, args, err)
	}
	return row
}

// Scan runs a query of one row and reads it into a T (a struct by column names, or a single
// value).
func Scan[T any](tb testing.TB, c models.Conn, q string, args ...any) T {
	tb.Helper()
	var v T
	if err := handle.Gorm(c).Raw(q, args...).Scan(&v).Error; err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return v
}

// Insert stores rows (pointers to models structs, or to slices of them, in batches) as they
// are, setting their ids.
func Insert(tb testing.TB, c models.Conn, rows ...any) {
	tb.Helper()
	for _, r := range rows {
		if err := handle.Gorm(c).CreateInBatches(r, 1000).Error; err != nil {
			tb.Fatalf("insert %T: %v", r, err)
		}
	}
}

// Exec runs a statement that sets up a state no models function makes (a row made old, a
// flag set by hand).
func Exec(tb testing.TB, c models.Conn, q string, args ...any) {
	tb.Helper()
	if err := handle.Gorm(c).Exec(q, args...).Error; err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
}

func query(g *gorm.DB, where string, args []any) *gorm.DB {
	if where == "" {
		return g
	}
	return g.Where(where, args...)
}

// primaryKey is T's primary key columns, for a stable order.
func primaryKey[T any](g *gorm.DB) string {
	stmt := &gorm.Statement{DB: g}
	if err := stmt.Parse(new(T)); err != nil || stmt.Schema == nil {
		return ""
	}
	var cols []string
	for _, f := range stmt.Schema.PrimaryFields {
		cols = append(cols, f.DBName)
	}
	return strings.Join(cols, ", ")
}

// KillLockHolder ends the PostgreSQL session that holds advisory lock key, as when the process
// holding it is killed: the lock goes with the session (a moment later; see pg_locks).
func KillLockHolder(tb testing.TB, c models.Conn, key int64) {
	tb.Helper()
	Exec(tb, c, `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND ((classid::bigint << 32) | objid::bigint) = ?`, key)
}

// Tables lists the tables of the test's database (on PostgreSQL, of its own schema), by name.
func Tables(tb testing.TB, c models.Conn) []string {
	tb.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if models.IsPostgres(c) {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	return Scan[[]string](tb, c, q)
}
