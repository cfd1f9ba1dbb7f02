package main

import (
	"context"
	"net"
	"regexp"
	"slices"
	"time"

	"bpubot/bot"
	"bpubot/bot/staff"
	"bpubot/bot/web"
	"bpubot/models"
)

// ConsoleConfig configures the staff web console at /console on the HTTP server.
type ConsoleConfig struct {
	Enabled bool `yaml:"enabled"`
	// SecureCookie: the session cookie goes over HTTPS only.
	SecureCookie         bool          `yaml:"secure_cookie"`
	SessionLifetime      time.Duration `yaml:"session_lifetime"`
	SessionIdle          time.Duration `yaml:"session_idle"`
	LoginFailures        int           `yaml:"login_failures"`
	LoginAddressFailures int           `yaml:"login_address_failures"`
	LoginWindow          time.Duration `yaml:"login_window"`
	TelegramBot          string        `yaml:"telegram_bot"`
	WhatsAppNumber       string        `yaml:"whatsapp_number"`
}

func defaultConsoleConfig() ConsoleConfig {
	d := web.DefaultConfig()
	return ConsoleConfig{Enabled: true, SecureCookie: d.SecureCookie, SessionLifetime: d.SessionLifetime, SessionIdle: d.SessionIdle,
		LoginFailures: d.LoginFailures, LoginAddressFailures: d.LoginAddressFailures, LoginWindow: d.LoginWindow}
}

var (
	telegramUsername = regexp.MustCompile(`^@?[A-Za-z][A-Za-z0-9_]{3,31}$`)
	whatsappNumber   = regexp.MustCompile(`^\+?[1-9][0-9]{7,14}$`)
)

func (c ConsoleConfig) validate(bad func(key, format string, args ...any)) {
	if c.SessionLifetime < 5*time.Minute || c.SessionLifetime > 30*24*time.Hour {
		bad("console.session_lifetime", "must be between 5m and 720h, got %s", c.SessionLifetime)
	}
	if c.SessionIdle < time.Minute || c.SessionIdle > c.SessionLifetime {
		bad("console.session_idle", "must be between 1m and console.session_lifetime, got %s", c.SessionIdle)
	}
	if c.LoginFailures < 1 || c.LoginFailures > 100 {
		bad("console.login_failures", "must be between 1 and 100, got %d", c.LoginFailures)
	}
	if c.LoginAddressFailures < c.LoginFailures || c.LoginAddressFailures > 10000 {
		bad("console.login_address_failures", "must be between console.login_failures and 10000, got %d", c.LoginAddressFailures)
	}
	if c.LoginWindow < time.Minute || c.LoginWindow > 24*time.Hour {
		bad("console.login_window", "must be between 1m and 24h, got %s", c.LoginWindow)
	}
	if c.TelegramBot != "" && !telegramUsername.MatchString(c.TelegramBot) {
		bad("console.telegram_bot", "want the bot's username (e.g. bpu_bantuan_bot), got %q", c.TelegramBot)
	}
	if c.WhatsAppNumber != "" && !whatsappNumber.MatchString(c.WhatsAppNumber) {
		bad("console.whatsapp_number", "want the number in international form (e.g. +6281234567890), got %q", c.WhatsAppNumber)
	}
}

// mountConsole adds the staff console to the HTTP server, on the app's staff service.
func (a *app) mountConsole(srv *bot.Server) error {
	cc := a.cfg.Console
	if !cc.Enabled {
		return nil
	}
	cfg := web.Config{SecureCookie: cc.SecureCookie, SessionLifetime: cc.SessionLifetime, SessionIdle: cc.SessionIdle,
		LoginFailures: cc.LoginFailures, LoginAddressFailures: cc.LoginAddressFailures, LoginWindow: cc.LoginWindow,
		TelegramBot: cc.TelegramBot, WhatsAppNumber: cc.WhatsAppNumber, Lang: a.cfg.Conversation.DefaultLang}
	c, err := web.New(a.staffService(), a.rules.Tariff, cfg, a.log)
	if err != nil {
		return err
	}
	c.Mount(srv.Mux)
	a.log.Info("staff console", "url", consoleURL(a.cfg.HTTP.Addr), "secure_cookie", cc.SecureCookie)
	if ss, err := a.staffService().ListStaff(context.Background(), staff.Operator()); err == nil && !slices.ContainsFunc(ss, canLogIn) {
		a.log.Warn(`nobody can log in to the staff console yet: add an admin with bpubot staff add NAME --role admin --password`)
	}
	return nil
}

func canLogIn(s models.Staff) bool { return s.PasswordHash != "" && !s.Disabled }

// consoleURL is where a browser on this machine finds the console.
func consoleURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + web.Prefix + "/"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + web.Prefix + "/"
}
