package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"bpubot/bot"
	"bpubot/bot/jobs"
	"bpubot/bot/staff"
	"bpubot/bot/telegram"
	"bpubot/flows"
	"bpubot/flows/coverage"
	"bpubot/flows/intent"
	"bpubot/flows/tariff"
	"bpubot/models"
)

// app is everything a subcommand needs, wired from the config.
type app struct {
	cfg        Config
	log        *slog.Logger
	db         *models.DB
	sealer     *models.Sealer
	rules      coverage.Rules
	router     *flows.Router
	engine     *bot.Engine
	dispatcher *bot.Dispatcher
	metrics    *bot.Metrics
	// jobs is the job runner: `serve` registers its workers and starts it; a command that
	// only queues jobs inserts through it without starting it.
	jobs *jobs.Jobs
	// staff is the staff service (staff.go: staffService).
	staff *staff.Service
}

func newLogger(cfg LogConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDB opens and migrates the configured database.
func openDB(ctx context.Context, cfg Config, log *slog.Logger) (*models.DB, error) {
	db, err := models.Open(ctx, dbConfig(cfg))
	if err != nil {
		return nil, err
	}
	applied, err := migrateAll(ctx, db)
	if err != nil {
		_ = models.Close(db)
		return nil, err
	}
	for _, name := range applied {
		log.Info("migration applied", "name", name)
	}
	if models.Dialect(db) == models.SQLite {
		warnLooseMode(log, "database.path", sqliteFile(cfg))
	}
	return db, nil
}

// migrateAll applies bpubot's migrations, then River's (the job runner's tables).
func migrateAll(ctx context.Context, db *models.DB) ([]string, error) {
	applied, err := models.Migrate(ctx, db)
	if err != nil {
		return applied, err
	}
	river, err := jobs.Migrate(ctx, db)
	return append(applied, river...), err
}

// warnLooseMode warns when a file holding personal data or a key can be read by others than
// its owner: bpubot creates them 0600, so a looser mode was set by hand or by a copy.
func warnLooseMode(log *slog.Logger, key, path string) {
	if mode, loose := models.LooseFileMode(path); loose {
		log.Warn("file readable by others than its owner: it holds personal data or a key; chmod 600 it",
			"key", key, "file", path, "mode", mode.String())
	}
}

func sqliteFile(cfg Config) string {
	if cfg.Database.Path == "" {
		return "bpubot.db"
	}
	return cfg.Database.Path
}

func dbConfig(cfg Config) models.DBConfig {
	return models.DBConfig{
		Driver: cfg.Database.Driver, Path: cfg.Database.Path, URL: cfg.Database.URL,
		Password: cfg.Database.Password, MaxOpenConns: cfg.Database.MaxOpenConns,
	}
}

// loadSealer builds the NIK sealer from BPUBOT_SECRET_KEY, or from a development key file that
// is created on first use, with a warning: such a key protects nothing if the file leaks with
// the database.
func loadSealer(cfg SecurityConfig, log *slog.Logger) (*models.Sealer, error) {
	raw := cfg.SecretKey
	if raw == "" {
		b, err := os.ReadFile(cfg.DevKeyFile)
		switch {
		case err == nil:
			raw = string(b)
		case errors.Is(err, fs.ErrNotExist):
			raw = models.NewKey()
			if werr := os.WriteFile(cfg.DevKeyFile, []byte(raw+"\n"), 0o600); werr != nil {
				return nil, fmt.Errorf("security.dev_key_file: %w", werr)
			}
			log.Warn("BPUBOT_SECRET_KEY is not set: generated a development key; set BPUBOT_SECRET_KEY (64 hex characters) in production", "file", cfg.DevKeyFile)
		default:
			return nil, fmt.Errorf("security.dev_key_file: %w", err)
		}
		if cfg.SecretKey == "" && err == nil {
			log.Warn("BPUBOT_SECRET_KEY is not set: using the development key file; do not use it in production", "file", cfg.DevKeyFile)
		}
	}
	if cfg.SecretKey == "" {
		warnLooseMode(log, "security.dev_key_file", cfg.DevKeyFile)
	}
	key, err := models.ParseKey(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("BPUBOT_SECRET_KEY: %w", err)
	}
	return models.NewSealer(key)
}

// loadTariff returns the tariff of tariff.file, or the embedded one.
func loadTariff(cfg Config) (*tariff.Tariff, error) {
	if cfg.Tariff.File == "" {
		return tariff.Default(), nil
	}
	tf, err := tariff.Load(cfg.Tariff.File)
	if err != nil {
		return nil, fmt.Errorf("tariff.file: %w", err)
	}
	return tf, nil
}

// openData opens (and migrates) the database with what reads its data: the NIK sealer and
// the coverage rules (tariff and holidays).
func openData(ctx context.Context, cfg Config, log *slog.Logger) (*models.DB, *models.Sealer, coverage.Rules, error) {
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return nil, nil, coverage.Rules{}, err
	}
	sealer, err := loadSealer(cfg.Security, log)
	if err == nil {
		var rules coverage.Rules
		if rules, err = loadRules(cfg); err == nil {
			return db, sealer, rules, nil
		}
	}
	_ = models.Close(db)
	return nil, nil, coverage.Rules{}, err
}

func newApp(ctx context.Context, cfg Config, logOut io.Writer) (*app, error) {
	log := newLogger(cfg.Log, logOut)
	db, sealer, rules, err := openData(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	tf := rules.Tariff
	fc := flows.DefaultConfig()
	fc.ConsentVersion, fc.IdleTimeout, fc.MaxFailures = cfg.Conversation.ConsentVersion, cfg.Conversation.IdleTimeout, cfg.Conversation.MaxFailures
	fc.MinAge, fc.MaxAge, fc.StaffLang = cfg.Conversation.MinAge, cfg.Conversation.MaxAge, cfg.Conversation.DefaultLang
	fc.Location = cfg.Conversation.location()
	if fc.OfficeHours, err = cfg.Conversation.officeHours(); err != nil {
		_ = models.Close(db)
		return nil, fmt.Errorf("conversation.office_%w", err)
	}
	schedule, err := cfg.Reminders.schedule()
	if err != nil {
		_ = models.Close(db)
		return nil, fmt.Errorf("reminders: %w", err)
	}
	router := &flows.Router{
		Config:   fc,
		Sealer:   sealer,
		Tariff:   tf,
		Rules:    rules,
		Schedule: schedule,
		// Trained here (tens of milliseconds) rather than while the first worker waits.
		Intent: intent.Default(),
	}
	if cfg.Telegram.StaffChatID != 0 {
		if cfg.Telegram.Enabled {
			router.Config.StaffChannel, router.Config.StaffChat = telegram.Name, strconv.FormatInt(cfg.Telegram.StaffChatID, 10)
		} else {
			log.Warn("telegram.staff_chat_id is set but telegram.enabled is not: no handoff notices are sent")
		}
	}
	metrics := bot.NewMetrics()
	dispatcher := &bot.Dispatcher{
		DB: db, Log: log, Metrics: metrics, RetryFor: cfg.Dispatcher.RetryFor,
		BatchSize: cfg.Dispatcher.BatchSize, Poll: cfg.Dispatcher.PollInterval, Workers: cfg.Dispatcher.Workers,
	}
	engine := &bot.Engine{DB: db, Flows: router, Log: log, Metrics: metrics, Notify: dispatcher.Notify, Outlet: dispatcher,
		DefaultLang: cfg.Conversation.DefaultLang}
	return &app{cfg: cfg, log: log, db: db, sealer: sealer, rules: rules, router: router, engine: engine, dispatcher: dispatcher,
		metrics: metrics, jobs: jobs.New(db, jobs.Config{Logger: log})}, nil
}

func (a *app) Close() error { return models.Close(a.db) }
