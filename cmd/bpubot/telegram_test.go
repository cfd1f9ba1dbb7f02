package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bpubot/bot/telegram"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/flows/flowtest"
	"bpubot/locales"
)

func TestTelegramConfigChecks(t *testing.T) {
	valid := func() Config {
		c := DefaultConfig()
		c.Telegram.Enabled = true
		c.Telegram.Token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
		return c
	}
	tests := []struct {
		name   string
		change func(*Config)
		bad    string // the key named in the error; "" for valid
	}{
		{"polling", func(*Config) {}, ""},
		{"webhook", func(c *Config) {
			c.Telegram.Mode, c.Telegram.WebhookURL, c.Telegram.WebhookSecret = "webhook", "https://bot.example.org/telegram/webhook", "0123456789abcdef_-XYZ"
		}, ""},
		{"webhook on 8443", func(c *Config) {
			c.Telegram.Mode, c.Telegram.WebhookURL, c.Telegram.WebhookSecret = "webhook", "https://bot.example.org:8443/telegram/webhook", "0123456789abcdef"
		}, ""},
		{"malformed token", func(c *Config) { c.Telegram.Token = "not a token" }, "telegram.token"},
		{"webhook port Telegram does not post to", func(c *Config) {
			c.Telegram.Mode, c.Telegram.WebhookURL, c.Telegram.WebhookSecret = "webhook", "https://bot.example.org:8080/hook", "0123456789abcdef"
		}, "telegram.webhook_url"},
		{"plain http webhook", func(c *Config) {
			c.Telegram.Mode, c.Telegram.WebhookURL, c.Telegram.WebhookSecret = "webhook", "http://bot.example.org/hook", "0123456789abcdef"
		}, "telegram.webhook_url"},
		{"secret with characters Telegram refuses", func(c *Config) {
			c.Telegram.Mode, c.Telegram.WebhookURL, c.Telegram.WebhookSecret = "webhook", "https://bot.example.org/hook", "0123456789abcdef!"
		}, "telegram.webhook_secret"},
		{"short secret", func(c *Config) {
			c.Telegram.Mode, c.Telegram.WebhookURL, c.Telegram.WebhookSecret = "webhook", "https://bot.example.org/hook", "short"
		}, "telegram.webhook_secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.bad == "" && err != nil:
				t.Fatalf("valid config refused: %v", err)
			case tt.bad != "" && (err == nil || !strings.Contains(err.Error(), tt.bad+":")):
				t.Fatalf("error %v, want one naming %s", err, tt.bad)
			}
		})
	}
}

// serveTelegram runs `bpubot serve` with the Telegram channel against a fake Bot API on a fresh
// SQLite database, until the test ends.
func serveTelegram(t *testing.T, api *fakeapi.Server, mode string) (addr string) {
	t.Helper()
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.Database.Path = filepath.Join(dir, "bpubot.db")
	cfg.Security.SecretKey = flowtest.Key
	cfg.Log.Level = "error"
	addr, err := fakeapi.BotAddr()
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTP.Addr = addr
	cfg.Telegram = TelegramConfig{Enabled: true, Token: api.Token, ServerURL: api.URL, Mode: mode, RateLimit: 25}
	if mode == telegram.ModeWebhook {
		cfg.Telegram.WebhookURL, cfg.Telegram.WebhookSecret = "http://"+addr+telegram.WebhookPath, "0123456789abcdef"
	}
	startServe(t, cfg)
	wait(t, api, func() bool { hook, _ := api.Webhook(); return api.Polls() > 0 || hook != "" })
	return addr
}

func wait(t *testing.T, api *fakeapi.Server, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := api.Wait(ctx, cond); err != nil {
		t.Fatalf("waiting: %v", err)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServeTelegram: with telegram.enabled, serve answers on Telegram and reports the channel
// in /readyz and /metrics.
func TestServeTelegram(t *testing.T) {
	api := fakeapi.New(fakeapi.Options{})
	defer api.Close()
	addr := serveTelegram(t, api, telegram.ModePolling)
	u := api.User(77, "Budi")
	u.Text("/start")
	wait(t, api, func() bool { return len(u.Messages()) > 0 })
	if got := u.Messages()[0].Text; !strings.Contains(got, locales.Text("id", "menu.prompt")) {
		t.Fatalf("reply %q", got)
	}
	code, body := get(t, "http://"+addr+"/readyz")
	var checks map[string]string
	if err := json.Unmarshal([]byte(body), &checks); err != nil || code != http.StatusOK || checks["telegram"] != "ok" {
		t.Fatalf("/readyz: %d %s", code, body)
	}
	// The second reply goes out after the first one's send was counted.
	u.Text("menu")
	wait(t, api, func() bool { return len(u.Messages()) > 1 })
	_, metrics := get(t, "http://"+addr+"/metrics")
	if !strings.Contains(metrics, `bpubot_replies_sent_total{channel="telegram"} 1`) && !strings.Contains(metrics, `bpubot_replies_sent_total{channel="telegram"} 2`) {
		t.Errorf("/metrics counts no Telegram reply sent:\n%s", metrics)
	}
	if !strings.Contains(metrics, `bpubot_telegram_updates_total{kind="start"} 1`) {
		t.Errorf("/metrics does not count the /start update:\n%s", metrics)
	}
}

// TestServeTelegramWebhook: in webhook mode serve mounts the route, which refuses requests
// without the secret token.
func TestServeTelegramWebhook(t *testing.T) {
	api := fakeapi.New(fakeapi.Options{})
	defer api.Close()
	addr := serveTelegram(t, api, telegram.ModeWebhook)
	hook, secret := api.Webhook()
	if hook != "http://"+addr+telegram.WebhookPath || secret != "0123456789abcdef" {
		t.Fatalf("setWebhook(%q, %q)", hook, secret)
	}
	u := api.User(78, "Siti")
	_, body := u.TextUpdate("/start")
	if code, _ := api.PostWebhook(context.Background(), hook, "", body); code != http.StatusUnauthorized {
		t.Fatalf("no secret: %d", code)
	}
	if _, metrics := get(t, "http://"+addr+"/metrics"); !strings.Contains(metrics, `bpubot_telegram_webhook_refused_total{reason="secret"} 1`) {
		t.Errorf("refused request not counted")
	}
	if code, _ := api.PostWebhook(context.Background(), hook, secret, body); code != http.StatusOK {
		t.Fatalf("with the secret: %d", code)
	}
	wait(t, api, func() bool { return len(u.Messages()) > 0 })
}
