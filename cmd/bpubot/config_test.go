package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNoConfigRunsDefaults(t *testing.T) {
	cfg, err := LoadConfig("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database.Driver != "sqlite" || cfg.Database.Path != "bpubot.db" {
		t.Fatalf("defaults: %+v", cfg.Database)
	}
}

// The example file documents the defaults: loading it changes nothing, and every key in it
// has a comment above it.
func TestExampleConfigIsTheDefaults(t *testing.T) {
	cfg, err := LoadConfig("../../config.example.yaml", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, DefaultConfig()) {
		t.Fatalf("config.example.yaml differs from DefaultConfig:\n%+v\n%+v", cfg, DefaultConfig())
	}
	raw, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || !strings.Contains(trimmed, ":") {
			continue
		}
		if i == 0 || !strings.HasPrefix(strings.TrimSpace(lines[i-1]), "#") {
			t.Errorf("line %d %q has no comment above it", i+1, trimmed)
		}
	}
}

func TestEnvironmentOverrides(t *testing.T) {
	cfg, err := LoadConfig(writeFile(t, "database:\n  driver: sqlite\nconversation:\n  max_failures: 5\n"), env(map[string]string{
		"BPUBOT_DATABASE_DRIVER":           "postgres",
		"BPUBOT_DATABASE_URL":              "postgres://bpubot@db/bpubot",
		"BPUBOT_DATABASE_PASSWORD":         "s3cret",
		"BPUBOT_CONVERSATION_IDLE_TIMEOUT": "2h",
		"BPUBOT_SECRET_KEY":                strings.Repeat("ab", 32),
		"BPUBOT_TELEGRAM_RATE_LIMIT":       "12.5",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database.Driver != "postgres" || cfg.Database.Password != "s3cret" || cfg.Conversation.IdleTimeout != 2*time.Hour ||
		cfg.Conversation.MaxFailures != 5 || cfg.Security.SecretKey == "" || cfg.Telegram.RateLimit != 12.5 {
		t.Fatalf("overrides not applied: %+v", cfg)
	}
}

func TestInvalidValuesNameTheKey(t *testing.T) {
	tests := []struct {
		name, file string
		env        map[string]string
		key        string
	}{
		{"driver", "database:\n  driver: mysql\n", nil, "database.driver"},
		{"unknown key", "database:\n  drivr: sqlite\n", nil, "drivr"},
		{"idle", "", map[string]string{"BPUBOT_CONVERSATION_IDLE_TIMEOUT": "soon"}, "conversation.idle_timeout"},
		{"failures", "conversation:\n  max_failures: 0\n", nil, "conversation.max_failures"},
		{"ages", "conversation:\n  min_age: 60\n  max_age: 20\n", nil, "conversation.min_age"},
		{"lang", "conversation:\n  default_lang: fr\n", nil, "conversation.default_lang"},
		{"zone", "conversation:\n  time_zone: Mars/Olympus\n", nil, "conversation.time_zone"},
		{"office days", "conversation:\n  office_days: someday\n", nil, "conversation.office_days"},
		{"office open", "", map[string]string{"BPUBOT_CONVERSATION_OFFICE_OPEN": "8am"}, "conversation.office_open"},
		{"office close", "conversation:\n  office_close: \"07:00\"\n", nil, "conversation.office_close"},
		{"log", "log:\n  level: loud\n", nil, "log.level"},
		{"secret in file", "database:\n  password: hunter2\n", nil, "database.password"},
		{"token in file", "telegram:\n  token: 123:abc\n", nil, "telegram.token"},
		{"telegram without token", "telegram:\n  enabled: true\n", nil, "telegram.token"},
		{"webhook without secret", "telegram:\n  enabled: true\n  mode: webhook\n  webhook_url: https://bot.example.org/telegram/webhook\n", map[string]string{"BPUBOT_TELEGRAM_TOKEN": "1:x"}, "telegram.webhook_secret"},
		{"bool", "", map[string]string{"BPUBOT_TELEGRAM_ENABLED": "yes please"}, "telegram.enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.file != "" {
				path = writeFile(t, tt.file)
			}
			_, err := LoadConfig(path, env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Fatalf("error %v does not name %s", err, tt.key)
			}
		})
	}
}
