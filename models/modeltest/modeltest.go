// Package modeltest gives every test a fresh, migrated database: always SQLite, and PostgreSQL
// too when BPUBOT_TEST_POSTGRES_URL is set (each test in its own schema, dropped afterwards).
package modeltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"bpubot/models"
	"bpubot/models/internal/handle"
)

// PostgresURLEnv names the variable that turns PostgreSQL tests on.
const PostgresURLEnv = "BPUBOT_TEST_POSTGRES_URL"

// Dialects lists the databases tests run on here.
func Dialects() []string {
	if os.Getenv(PostgresURLEnv) != "" {
		return []string{models.SQLite, models.Postgres}
	}
	return []string{models.SQLite}
}

// Each runs fn as a subtest on a fresh database of every available dialect.
func Each(t *testing.T, fn func(t *testing.T, db *models.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, MustOpen(t, d)) })
	}
}

// MustOpen opens a fresh, migrated database of the dialect, closed when the test ends.
func MustOpen(tb testing.TB, dialect string) *models.DB {
	tb.Helper()
	return MustOpenConfig(tb, Config(tb, dialect))
}

// MustOpenConfig opens and migrates the database of cfg (from Config, or PostgresBehindOutage),
// closed when the test ends.
func MustOpenConfig(tb testing.TB, cfg models.DBConfig) *models.DB {
	tb.Helper()
	db, err := models.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open %s: %v", cfg.Driver, err)
	}
	tb.Cleanup(func() { _ = models.Close(db) })
	if _, err := models.Migrate(context.Background(), db); err != nil {
		tb.Fatalf("migrate %s: %v", cfg.Driver, err)
	}
	return db
}

// Config makes the configuration of a fresh database without opening it, so a test can open the
// same database twice (a restart).
func Config(tb testing.TB, dialect string) models.DBConfig {
	tb.Helper()
	switch dialect {
	case models.Postgres:
		raw := os.Getenv(PostgresURLEnv)
		if raw == "" {
			tb.Skip(PostgresURLEnv + " not set")
		}
		schema := "t_" + randomHex(6)
		admin, err := models.Open(context.Background(), models.DBConfig{Driver: models.Postgres, URL: raw, MaxOpenConns: 1})
		if err != nil {
			tb.Fatalf("open postgres: %v", err)
		}
		if err := handle.Gorm(admin).Exec("CREATE SCHEMA " + schema).Error; err != nil {
			tb.Fatalf("create schema: %v", err)
		}
		tb.Cleanup(func() {
			_ = handle.Gorm(admin).Exec("DROP SCHEMA " + schema + " CASCADE").Error
			_ = models.Close(admin)
		})
		u, err := url.Parse(raw)
		if err != nil {
			tb.Fatalf("parse %s: %v", PostgresURLEnv, err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return models.DBConfig{Driver: models.Postgres, URL: u.String(), MaxOpenConns: 30}
	default:
		return models.DBConfig{Driver: models.SQLite, Path: filepath.Join(tb.TempDir(), "bpubot.db"), MaxOpenConns: 8}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
