package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/flows"
	"bpubot/flows/reminder"

	"gopkg.in/yaml.v3"
)

// Config is every setting of bpubot. config.example.yaml documents each key; every key can be
// overridden by BPUBOT_<SECTION>_<KEY>; keys tagged secret come only from the environment.
type Config struct {
	Database     DatabaseConfig     `yaml:"database"`
	Security     SecurityConfig     `yaml:"security"`
	Conversation ConversationConfig `yaml:"conversation"`
	Tariff       TariffConfig       `yaml:"tariff"`
	Payments     PaymentsConfig     `yaml:"payments"`
	Reminders    RemindersConfig    `yaml:"reminders"`
	Dispatcher   DispatcherConfig   `yaml:"dispatcher"`
	Log          LogConfig          `yaml:"log"`
	HTTP         HTTPConfig         `yaml:"http"`
	Telegram     TelegramConfig     `yaml:"telegram"`
	WhatsApp     WhatsAppConfig     `yaml:"whatsapp"`
	Staff        StaffConfig        `yaml:"staff"`
	Console      ConsoleConfig      `yaml:"console"`
}

// StaffConfig configures what staff do: handoffs and broadcasts.
type StaffConfig struct {
	// HandoffTimeout: a request to talk to a person with no staff answer for this long is
	// closed, and the worker told the bot helps them again.
	HandoffTimeout time.Duration `yaml:"handoff_timeout"`
	// FanOutBatch is how many chats one transaction of a broadcast's fan-out covers.
	FanOutBatch int `yaml:"fan_out_batch"`
}

// HTTPConfig is the address and limits of the health, metrics and webhook server.
type HTTPConfig struct {
	Addr           string        `yaml:"addr"`
	ReadTimeout    time.Duration `yaml:"read_timeout"`
	WriteTimeout   time.Duration `yaml:"write_timeout"`
	IdleTimeout    time.Duration `yaml:"idle_timeout"`
	MaxConnections int           `yaml:"max_connections"`
}

func (h HTTPConfig) limits() bot.HTTPLimits {
	l := bot.DefaultHTTPLimits()
	l.ReadTimeout, l.WriteTimeout, l.IdleTimeout, l.MaxConnections = h.ReadTimeout, h.WriteTimeout, h.IdleTimeout, h.MaxConnections
	return l
}

// TelegramConfig configures the Telegram channel.
type TelegramConfig struct {
	Enabled       bool    `yaml:"enabled"`
	Token         string  `yaml:"token" secret:"true"`
	ServerURL     string  `yaml:"server_url"`
	Mode          string  `yaml:"mode"`
	WebhookURL    string  `yaml:"webhook_url"`
	WebhookSecret string  `yaml:"webhook_secret" secret:"true"`
	RateLimit     float64 `yaml:"rate_limit"`
	StaffChatID   int64   `yaml:"staff_chat_id"`
}

// WhatsAppConfig configures the WhatsApp channel.
type WhatsAppConfig struct {
	Enabled bool `yaml:"enabled"`
	// BulkPerMinute is how many messages a worker did not just ask for (reminders,
	// broadcasts) may go out per minute; replies are not held back by it.
	BulkPerMinute float64 `yaml:"bulk_per_minute"`
	// BulkJitter is up to how much random time is added to each gap between bulk messages.
	BulkJitter time.Duration `yaml:"bulk_jitter"`
	// ReplyInterval is the least time between two messages to one chat.
	ReplyInterval time.Duration `yaml:"reply_interval"`
	// RestrictionPause is how long outbound pauses after error 463 (no new chats for a while)
	// or a temporary ban whose end WhatsApp did not say.
	RestrictionPause time.Duration `yaml:"restriction_pause"`
	// RecentChat: during a reach-out timelock, chats whose worker wrote within this long still
	// get messages.
	RecentChat time.Duration `yaml:"recent_chat"`
	// LockRetry is how often a standby process tries to take the connection over (PostgreSQL).
	LockRetry time.Duration `yaml:"lock_retry"`
}

// DatabaseConfig says where data lives.
type DatabaseConfig struct {
	Driver       string `yaml:"driver"`
	Path         string `yaml:"path"`
	URL          string `yaml:"url"`
	Password     string `yaml:"password" secret:"true"`
	MaxOpenConns int    `yaml:"max_open_conns"`
}

// SecurityConfig holds the key that encrypts NIKs.
type SecurityConfig struct {
	SecretKey  string `yaml:"secret_key" secret:"true" env:"BPUBOT_SECRET_KEY"`
	DevKeyFile string `yaml:"dev_key_file"`
}

// ConversationConfig holds the rules of conversations.
type ConversationConfig struct {
	IdleTimeout    time.Duration `yaml:"idle_timeout"`
	MaxFailures    int           `yaml:"max_failures"`
	ConsentVersion string        `yaml:"consent_version"`
	MinAge         int           `yaml:"min_age"`
	MaxAge         int           `yaml:"max_age"`
	DefaultLang    string        `yaml:"default_lang"`
	TimeZone       string        `yaml:"time_zone"`
	// OfficeDays, OfficeOpen and OfficeClose are when staff answer requests to talk to a
	// person, in TimeZone: a worker is told whether they are at work now.
	OfficeDays  string `yaml:"office_days"`
	OfficeOpen  string `yaml:"office_open"`
	OfficeClose string `yaml:"office_close"`
}

// TariffConfig points at a replacement tariff file.
type TariffConfig struct {
	File string `yaml:"file"`
}

// PaymentsConfig configures how payments come in and when premiums are due.
type PaymentsConfig struct {
	// HolidaysFile replaces the embedded national holidays and cuti bersama (due dates move
	// to the next working day).
	HolidaysFile string `yaml:"holidays_file"`
	// WebhookSecret signs requests of the payment provider to POST /api/payments; empty turns
	// the route off.
	WebhookSecret string `yaml:"webhook_secret" secret:"true"`
	// WebhookWindow is how far a request's timestamp may be from now.
	WebhookWindow time.Duration `yaml:"webhook_window"`
	// WebhookMaxBody is the largest request body accepted, in bytes.
	WebhookMaxBody int64 `yaml:"webhook_max_body"`
}

// RemindersConfig is when premium reminders go out (flows/reminder.Schedule) and to whom.
type RemindersConfig struct {
	Enabled            bool          `yaml:"enabled"`
	PlanEvery          time.Duration `yaml:"plan_every"`
	SendFrom           string        `yaml:"send_from"`
	SendUntil          string        `yaml:"send_until"`
	BeforeDays         int           `yaml:"before_days"`
	AfterDays          int           `yaml:"after_days"`
	ReportPause        time.Duration `yaml:"report_pause"`
	FirstPaymentMonths int           `yaml:"first_payment_months"`
	// WhatsAppWroteWithin: WhatsApp reminders go only to workers who wrote within this long.
	WhatsAppWroteWithin time.Duration `yaml:"whatsapp_wrote_within"`
}

// schedule reads the reminder schedule; an error names the key it is about first.
func (r RemindersConfig) schedule() (reminder.Schedule, error) {
	from, err := clockOfDay(r.SendFrom)
	if err != nil {
		return reminder.Schedule{}, fmt.Errorf("send_from: %w", err)
	}
	until, err := clockOfDay(r.SendUntil)
	if err != nil {
		return reminder.Schedule{}, fmt.Errorf("send_until: %w", err)
	}
	s := reminder.Schedule{BeforeDays: r.BeforeDays, AfterDays: r.AfterDays, SendFrom: from, SendUntil: until,
		ReportPause: r.ReportPause, FirstPaymentMonths: r.FirstPaymentMonths}
	return s, s.Validate()
}

// clockOfDay reads a time of day, 00:00 to 24:00.
func clockOfDay(s string) (time.Duration, error) {
	var h, m int
	if n, err := fmt.Sscanf(strings.TrimSpace(s), "%d:%d", &h, &m); err != nil || n != 2 || h < 0 || m < 0 || m > 59 || h*60+m > 24*60 {
		return 0, fmt.Errorf("want a time of day like 08:00, got %q", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

// DispatcherConfig tunes the outbox dispatcher.
type DispatcherConfig struct {
	PollInterval time.Duration `yaml:"poll_interval"`
	RetryFor     time.Duration `yaml:"retry_for"`
	BatchSize    int           `yaml:"batch_size"`
	Workers      int           `yaml:"workers"`
	Retention    time.Duration `yaml:"retention"`
}

// LogConfig sets logging.
type LogConfig struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// DefaultConfig runs the console on SQLite with no file at all.
func DefaultConfig() Config {
	return Config{
		Database: DatabaseConfig{Driver: "sqlite", Path: "bpubot.db", MaxOpenConns: 20},
		Security: SecurityConfig{DevKeyFile: "bpubot.dev.key"},
		Conversation: ConversationConfig{IdleTimeout: 24 * time.Hour, MaxFailures: 3, ConsentVersion: "2026-01", MinAge: 15,
			MaxAge: 90, DefaultLang: "id", TimeZone: "Asia/Jakarta", OfficeDays: "mon-fri", OfficeOpen: "08:00", OfficeClose: "16:00"},
		Payments: PaymentsConfig{WebhookWindow: 5 * time.Minute, WebhookMaxBody: 64 << 10},
		Reminders: RemindersConfig{Enabled: true, PlanEvery: 10 * time.Minute, SendFrom: "08:00", SendUntil: "20:00", BeforeDays: 3,
			AfterDays: 3, ReportPause: 7 * 24 * time.Hour, FirstPaymentMonths: 2, WhatsAppWroteWithin: 30 * 24 * time.Hour},
		Dispatcher: DispatcherConfig{PollInterval: time.Second, RetryFor: 24 * time.Hour, BatchSize: 200, Workers: 32, Retention: 30 * 24 * time.Hour},
		Log:        LogConfig{Level: "info", Format: "text"},
		HTTP: HTTPConfig{Addr: "127.0.0.1:8080", ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
			IdleTimeout: 60 * time.Second, MaxConnections: 1024},
		Telegram: TelegramConfig{ServerURL: "https://api.telegram.org", Mode: "polling", RateLimit: 25},
		Staff:    StaffConfig{HandoffTimeout: 24 * time.Hour, FanOutBatch: 1000},
		Console:  defaultConsoleConfig(),
		WhatsApp: WhatsAppConfig{BulkPerMinute: 3, BulkJitter: 10 * time.Second, ReplyInterval: time.Second,
			RestrictionPause: 24 * time.Hour, RecentChat: 24 * time.Hour, LockRetry: 15 * time.Second},
	}
}

// LoadConfig reads path (optional), then the environment, then checks every value.
func LoadConfig(path string, getenv func(string) string) (Config, error) {
	cfg := DefaultConfig()
	if path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("read config: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil && !errors.Is(err, errEmptyDocument(err)) {
			return cfg, fmt.Errorf("config %s: %w", path, err)
		}
		if err := rejectSecretsInFile(raw); err != nil {
			return cfg, fmt.Errorf("config %s: %w", path, err)
		}
	}
	if err := applyEnv(reflect.ValueOf(&cfg).Elem(), "BPUBOT", getenv); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// errEmptyDocument lets an empty file mean "all defaults".
func errEmptyDocument(err error) error {
	if err != nil && err.Error() == "EOF" {
		return err
	}
	return errors.New("not empty")
}

// rejectSecretsInFile refuses a config file that holds a secret: secrets live in the
// environment only, never in a file that gets copied around.
func rejectSecretsInFile(raw []byte) error {
	var tree map[string]map[string]any
	if err := yaml.Unmarshal(raw, &tree); err != nil {
		return nil // the typed decode has already reported the shape
	}
	return walkFields(reflect.TypeOf(Config{}), func(section, key string, f reflect.StructField) error {
		if f.Tag.Get("secret") != "true" {
			return nil
		}
		if v, ok := tree[section][key]; ok && v != nil && fmt.Sprint(v) != "" {
			return fmt.Errorf("%s.%s: secrets are read from the environment only (%s), not from the config file", section, key, envName(section, key, f))
		}
		return nil
	})
}

func walkFields(t reflect.Type, fn func(section, key string, f reflect.StructField) error) error {
	for i := range t.NumField() {
		sec := t.Field(i)
		secName := yamlName(sec)
		for j := range sec.Type.NumField() {
			f := sec.Type.Field(j)
			if err := fn(secName, yamlName(f), f); err != nil {
				return err
			}
		}
	}
	return nil
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

func envName(section, key string, f reflect.StructField) string {
	if e := f.Tag.Get("env"); e != "" {
		return e
	}
	return "BPUBOT_" + strings.ToUpper(section) + "_" + strings.ToUpper(key)
}

// applyEnv overrides every key from BPUBOT_<SECTION>_<KEY> when that variable is set.
//
// github.com/caarlos0/env would take each name from an env tag beside every yaml tag (the same
// name twice, for some fifty keys) or from the Go field's name (WhatsApp → WHATS_APP), and its
// errors name Go fields, not keys. This walk, shorter than those tags, derives each name from
// the yaml key, names the key in every error, and shares walkFields with the check that keeps
// secrets out of config files.
func applyEnv(v reflect.Value, _ string, getenv func(string) string) error {
	t := v.Type()
	for i := range t.NumField() {
		sec := t.Field(i)
		secVal := v.Field(i)
		for j := range sec.Type.NumField() {
			f := sec.Type.Field(j)
			name := envName(yamlName(sec), yamlName(f), f)
			raw := getenv(name)
			if raw == "" {
				continue
			}
			if err := setValue(secVal.Field(j), raw); err != nil {
				return fmt.Errorf("%s.%s (from %s): %w", yamlName(sec), yamlName(f), name, err)
			}
		}
	}
	return nil
}

func setValue(field reflect.Value, raw string) error {
	switch field.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("want a duration like 30s or 24h, got %q", raw)
		}
		field.SetInt(int64(d))
		return nil
	}
	switch field.Kind() {
	case reflect.String:
		field.SetString(raw)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("want a whole number, got %q", raw)
		}
		field.SetInt(n)
	case reflect.Float64:
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return fmt.Errorf("want a number, got %q", raw)
		}
		field.SetFloat(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", raw)
		}
		field.SetBool(b)
	default:
		return fmt.Errorf("unsupported setting type %s", field.Kind())
	}
	return nil
}

var (
	telegramToken = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// Validate checks every value and names the key of the first bad one.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{key}, args...)...))
	}
	switch c.Database.Driver {
	case "sqlite":
		if c.Database.Path == "" {
			bad("database.path", "required for sqlite")
		}
	case "postgres":
		if c.Database.URL == "" {
			bad("database.url", "required for postgres")
		}
	default:
		bad("database.driver", "want sqlite or postgres, got %q", c.Database.Driver)
	}
	if c.Database.MaxOpenConns < 1 {
		bad("database.max_open_conns", "must be at least 1")
	}
	if c.Conversation.IdleTimeout < time.Minute {
		bad("conversation.idle_timeout", "must be at least 1m, got %s", c.Conversation.IdleTimeout)
	}
	if c.Conversation.MaxFailures < 1 {
		bad("conversation.max_failures", "must be at least 1")
	}
	if c.Conversation.ConsentVersion == "" {
		bad("conversation.consent_version", "required")
	}
	if c.Conversation.MinAge < 0 || c.Conversation.MaxAge <= c.Conversation.MinAge || c.Conversation.MaxAge > 130 {
		bad("conversation.min_age", "min_age and max_age must satisfy 0 <= min_age < max_age <= 130")
	}
	if c.Conversation.DefaultLang != "id" && c.Conversation.DefaultLang != "en" {
		bad("conversation.default_lang", "want id or en, got %q", c.Conversation.DefaultLang)
	}
	if _, err := time.LoadLocation(c.Conversation.TimeZone); err != nil || c.Conversation.TimeZone == "" {
		bad("conversation.time_zone", "unknown time zone %q", c.Conversation.TimeZone)
	}
	if _, err := c.Conversation.officeHours(); err != nil {
		bad("conversation.office_"+strings.SplitN(err.Error(), ":", 2)[0], "%v", err)
	}
	if s := c.Payments.WebhookSecret; s != "" && len(s) < 32 {
		bad("payments.webhook_secret", "BPUBOT_PAYMENTS_WEBHOOK_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`), got %d", len(s))
	}
	if c.Payments.WebhookWindow < time.Minute || c.Payments.WebhookWindow > 15*time.Minute {
		bad("payments.webhook_window", "must be between 1m and 15m, got %s", c.Payments.WebhookWindow)
	}
	if c.Payments.WebhookMaxBody < 1<<10 || c.Payments.WebhookMaxBody > 1<<20 {
		bad("payments.webhook_max_body", "must be between 1024 and 1048576 bytes, got %d", c.Payments.WebhookMaxBody)
	}
	if _, err := c.Reminders.schedule(); err != nil {
		for _, e := range unjoin(err) {
			bad("reminders."+strings.SplitN(e.Error(), ":", 2)[0], "%s", strings.TrimSpace(strings.SplitN(e.Error(), ":", 2)[1]))
		}
	}
	if c.Reminders.PlanEvery < time.Minute || c.Reminders.PlanEvery > time.Hour {
		bad("reminders.plan_every", "must be between 1m and 1h, got %s", c.Reminders.PlanEvery)
	}
	if c.Reminders.WhatsAppWroteWithin < time.Hour || c.Reminders.WhatsAppWroteWithin > 90*24*time.Hour {
		bad("reminders.whatsapp_wrote_within", "must be between 1h and 2160h (90 days), got %s", c.Reminders.WhatsAppWroteWithin)
	}
	if c.Dispatcher.PollInterval < 10*time.Millisecond {
		bad("dispatcher.poll_interval", "must be at least 10ms")
	}
	if c.Dispatcher.RetryFor < time.Minute {
		bad("dispatcher.retry_for", "must be at least 1m, got %s", c.Dispatcher.RetryFor)
	}
	if c.Dispatcher.BatchSize < 1 {
		bad("dispatcher.batch_size", "must be at least 1")
	}
	if c.Dispatcher.Retention < 24*time.Hour {
		bad("dispatcher.retention", "must be at least 24h, got %s", c.Dispatcher.Retention)
	}
	if c.Dispatcher.Workers < 1 {
		bad("dispatcher.workers", "must be at least 1")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "want debug, info, warn or error, got %q", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		bad("log.format", "want text or json, got %q", c.Log.Format)
	}
	if c.HTTP.Addr == "" {
		bad("http.addr", "required, e.g. 127.0.0.1:8080")
	}
	if c.HTTP.ReadTimeout < time.Second {
		bad("http.read_timeout", "must be at least 1s, got %s", c.HTTP.ReadTimeout)
	}
	if c.HTTP.WriteTimeout < 35*time.Second {
		// The webhook's answer waits for the engine, up to 30s a try.
		bad("http.write_timeout", "must be at least 35s (the webhook waits up to 30s for the engine), got %s", c.HTTP.WriteTimeout)
	}
	if c.HTTP.IdleTimeout < time.Second {
		bad("http.idle_timeout", "must be at least 1s, got %s", c.HTTP.IdleTimeout)
	}
	if c.HTTP.MaxConnections < 16 {
		bad("http.max_connections", "must be at least 16, got %d", c.HTTP.MaxConnections)
	}
	if c.Telegram.Enabled {
		if c.Telegram.Token == "" {
			bad("telegram.token", "required when telegram.enabled: set BPUBOT_TELEGRAM_TOKEN")
		} else if !telegramToken.MatchString(c.Telegram.Token) {
			bad("telegram.token", "BPUBOT_TELEGRAM_TOKEN does not look like a token from @BotFather (123456789:AA…)")
		}
		if u, err := url.Parse(c.Telegram.ServerURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("telegram.server_url", "want an http(s) URL, got %q", c.Telegram.ServerURL)
		}
		switch c.Telegram.Mode {
		case "polling":
		case "webhook":
			if u, err := url.Parse(c.Telegram.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
				bad("telegram.webhook_url", "want the public https URL of the webhook, got %q", c.Telegram.WebhookURL)
			} else if p := u.Port(); p != "" && p != "443" && p != "80" && p != "88" && p != "8443" {
				bad("telegram.webhook_url", "Telegram posts webhooks only to ports 443, 80, 88 or 8443, got %s", p)
			}
			if len(c.Telegram.WebhookSecret) < 16 || !webhookSecret.MatchString(c.Telegram.WebhookSecret) {
				bad("telegram.webhook_secret", "required in webhook mode: 16–256 characters A–Z, a–z, 0–9, _ and - (Telegram's rule): set BPUBOT_TELEGRAM_WEBHOOK_SECRET, e.g. to `openssl rand -hex 32`")
			}
		default:
			bad("telegram.mode", "want polling or webhook, got %q", c.Telegram.Mode)
		}
	}
	if c.Telegram.RateLimit <= 0 {
		bad("telegram.rate_limit", "must be above 0 (messages per second)")
	}
	if c.WhatsApp.BulkPerMinute <= 0 || c.WhatsApp.BulkPerMinute > 60 {
		bad("whatsapp.bulk_per_minute", "must be above 0 and at most 60")
	}
	if c.WhatsApp.BulkJitter < 0 || c.WhatsApp.BulkJitter > 10*time.Minute {
		bad("whatsapp.bulk_jitter", "must be between 0s and 10m, got %s", c.WhatsApp.BulkJitter)
	}
	if c.WhatsApp.ReplyInterval < 0 || c.WhatsApp.ReplyInterval > time.Minute {
		bad("whatsapp.reply_interval", "must be between 0s and 1m, got %s", c.WhatsApp.ReplyInterval)
	}
	if c.WhatsApp.RecentChat < time.Minute || c.WhatsApp.RecentChat > 7*24*time.Hour {
		bad("whatsapp.recent_chat", "must be between 1m and 168h, got %s", c.WhatsApp.RecentChat)
	}
	if c.WhatsApp.RestrictionPause < time.Hour {
		bad("whatsapp.restriction_pause", "must be at least 1h (WhatsApp's restrictions last hours to days), got %s", c.WhatsApp.RestrictionPause)
	}
	if c.WhatsApp.LockRetry < time.Second || c.WhatsApp.LockRetry > 10*time.Minute {
		bad("whatsapp.lock_retry", "must be between 1s and 10m, got %s", c.WhatsApp.LockRetry)
	}
	if c.Staff.HandoffTimeout < time.Hour || c.Staff.HandoffTimeout > 30*24*time.Hour {
		bad("staff.handoff_timeout", "must be between 1h and 720h, got %s", c.Staff.HandoffTimeout)
	}
	if c.Staff.FanOutBatch < 10 || c.Staff.FanOutBatch > 10000 {
		bad("staff.fan_out_batch", "must be between 10 and 10000, got %d", c.Staff.FanOutBatch)
	}
	c.Console.validate(bad)
	return errors.Join(errs...)
}

// unjoin splits an errors.Join.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// officeHours reads the office_* keys; an error names the key it is about first ("days: ...").
func (c ConversationConfig) officeHours() (flows.OfficeHours, error) {
	return flows.ParseOfficeHours(c.OfficeDays, c.OfficeOpen, c.OfficeClose)
}

// location is conversation.time_zone, where staff and workers read dates and times. Validate
// has checked it; an unchecked config gets UTC rather than a nil location.
func (c ConversationConfig) location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}
