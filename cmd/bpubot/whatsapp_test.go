package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"bpubot/bot"
	"bpubot/flows/flowtest"
)

func TestWhatsAppSettingsNameTheKey(t *testing.T) {
	for key, value := range map[string]string{
		"whatsapp.bulk_jitter":       "-1s",
		"whatsapp.reply_interval":    "2m",
		"whatsapp.restriction_pause": "10m",
		"whatsapp.lock_retry":        "1ms",
		"whatsapp.bulk_per_minute":   "0",
	} {
		name := "BPUBOT_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
		_, err := LoadConfig("", env(map[string]string{name: value}))
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%s: error %v does not name %s", name, value, err, key)
		}
	}
}

func TestWhatsAppStatusOnAFreshDatabase(t *testing.T) {
	out := runCLI(t, t.TempDir(), "", "whatsapp", "status")
	if !strings.Contains(out, "bpubot whatsapp pair") {
		t.Fatalf("status:\n%s", out)
	}
}

// TestWhatsAppInServe wires the channel as `bpubot serve` does: nothing when disabled; when
// enabled, a channel for the dispatcher and a /readyz entry saying a number must be paired.
func TestWhatsAppInServe(t *testing.T) {
	ctx := context.Background()
	cfg := DefaultConfig()
	cfg.Security.SecretKey = flowtest.Key
	cfg.Database.Path = filepath.Join(t.TempDir(), "bpubot.db")
	a, err := newApp(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := bot.NewServer(a.db, a.metrics)
	if svc, err := setupWhatsApp(ctx, a, srv); svc != nil || err != nil {
		t.Fatalf("disabled: %v %v", svc, err)
	}

	a.cfg.WhatsApp.Enabled = true
	svc, err := setupWhatsApp(ctx, a, srv)
	if err != nil || svc == nil || svc.Channel.Name() != "whatsapp" {
		t.Fatalf("enabled: %v %v", svc, err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	rec := httptest.NewRecorder()
	srv.Mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"whatsapp"`) {
		t.Fatalf("/readyz with no number linked: %d %s", rec.Code, rec.Body.String())
	}
}
