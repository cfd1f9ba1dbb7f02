package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupCommand: a sign-up in progress is in the backup, which opens as a database of its
// own (the conversation resumes from it), and a second backup to the same file is refused.
func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	lines := strings.Split(signup, "\n")
	runCLI(t, dir, strings.Join(lines[:5], "\n")+"\n", "chat", "--user", "budi")
	backup := filepath.Join(t.TempDir(), "copy.db")
	if out := runCLI(t, dir, "", "backup", backup); !strings.Contains(out, backup) {
		t.Fatalf("backup said:\n%s", out)
	}
	if out, err := runCLIErr(t, dir, "", "backup", backup); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("a second backup to the same file: %v\n%s", err, out)
	}
	t.Setenv("BPUBOT_DATABASE_PATH", backup)
	if out := runCLI(t, t.TempDir(), "", "chat", "--user", "budi"); !strings.Contains(out, "Selamat datang kembali") {
		t.Fatalf("the conversation did not resume from the backup:\n%s", out)
	}
}

func TestHealthcheck(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080/healthz",
		"0.0.0.0:8080":   "http://127.0.0.1:8080/healthz",
		":9000":          "http://127.0.0.1:9000/healthz",
		"[::]:8080":      "http://127.0.0.1:8080/healthz",
		"bot.local:8080": "http://bot.local:8080/healthz",
	} {
		if got := healthURL(addr); got != want {
			t.Errorf("healthURL(%q) = %q, want %q", addr, got, want)
		}
	}
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	url := srv.URL + "/healthz"
	if err := checkHealth(context.Background(), url); err != nil {
		t.Fatal(err)
	}
	status = http.StatusServiceUnavailable
	if err := checkHealth(context.Background(), url); err == nil {
		t.Fatal("a 503 passed the health check")
	}
	srv.Close()
	if err := checkHealth(context.Background(), url); err == nil {
		t.Fatal("a server that is gone passed the health check")
	}
}
