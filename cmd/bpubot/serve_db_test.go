package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"bpubot/models"
	"bpubot/models/modeltest"
)

// logCount counts log records whose message contains a word.
type logCount struct {
	mu    sync.Mutex
	word  string
	count int
}

func (l *logCount) Enabled(context.Context, slog.Level) bool { return true }
func (l *logCount) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if strings.Contains(r.Message, l.word) {
		l.count++
	}
	return nil
}
func (l *logCount) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logCount) WithGroup(string) slog.Handler      { return l }
func (l *logCount) n() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count
}

// serve started while PostgreSQL is down waits for it, and goes on once it is up.
func TestServeWaitsForTheDatabase(t *testing.T) {
	dbCfg, outage := modeltest.PostgresBehindOutage(t)
	outage.Down()
	cfg := DefaultConfig()
	cfg.Database.Driver, cfg.Database.URL = models.Postgres, dbCfg.URL
	warned := &logCount{word: "not reachable"}
	done := make(chan error, 1)
	go func() { done <- waitForDatabase(context.Background(), cfg, slog.New(warned)) }()
	deadline := time.Now().Add(20 * time.Second)
	for warned.n() == 0 {
		select {
		case err := <-done:
			t.Fatalf("returned %v with the database down", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no warning while the database is down")
		}
		time.Sleep(10 * time.Millisecond)
	}
	outage.Up()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("still waiting after the database came up")
	}
}

// A configuration mistake is not waited out.
func TestServeDoesNotWaitOutABadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Database.Driver, cfg.Database.URL = models.Postgres, "mysql://nope"
	if err := waitForDatabase(context.Background(), cfg, slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("a bad URL was accepted")
	}
}

// A development key file others can read is used, with a warning saying so.
func TestLooseKeyFileIsWarnedAbout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bpubot.dev.key")
	if err := os.WriteFile(path, []byte(models.NewKey()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	warned := &logCount{word: "readable by others"}
	if _, err := loadSealer(SecurityConfig{DevKeyFile: path}, slog.New(warned)); err != nil {
		t.Fatal(err)
	}
	if warned.n() != 1 {
		t.Errorf("%d warnings about the key file's mode, want 1", warned.n())
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	warned.count = 0
	if _, err := loadSealer(SecurityConfig{DevKeyFile: path}, slog.New(warned)); err != nil || warned.n() != 0 {
		t.Errorf("a 0600 key file: %v, %d warnings", err, warned.n())
	}
}
