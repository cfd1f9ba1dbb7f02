// Package telegram is bpubot's Telegram channel, over github.com/go-telegram/bot. It turns
// updates into bot.Inbound messages for the engine, one chat at a time in order, and sends the
// outbox through the dispatcher under Telegram's limits.
//
// Updates come by long polling (one process) or through a webhook (several processes behind
// HTTPS; the route checks Telegram's secret token itself). Choices are inline keyboards whose
// callback data is the choice's value; a pressed button is answered and its message edited to
// show the pick, keyboard gone. The phone question offers Telegram's "share my number" button.
//
// The files: convert.go reads updates and renders replies, inbound.go hands updates to the
// engine (bot.ChatQueues keeps each chat's order), poll.go is long polling (a batch confirmed
// only once handled), webhook.go is the webhook route, send.go sends and
// errors.go maps Bot API errors to the dispatcher's, commands.go registers the command menu,
// transport.go sends the library's request bodies with a Content-Length.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bpubot/bot"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/prometheus/client_golang/prometheus"
)

// Name is the channel's name in conversations and the outbox.
const Name = "telegram"

// How updates arrive.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// WebhookPath is the route of the webhook on bpubot's HTTP server; the public webhook URL must
// reach it.
const WebhookPath = "/telegram/webhook"

// DefaultServerURL is the public Bot API.
const DefaultServerURL = "https://api.telegram.org"

// Config is what the operator sets (config.example.yaml, section telegram).
type Config struct {
	Token     string
	ServerURL string // the Bot API, or a self-hosted telegram-bot-api server; default the public one
	Mode      string // ModePolling (default) or ModeWebhook
	// WebhookURL is the public URL Telegram posts updates to; WebhookSecret the token it sends
	// along, without which the route answers 401.
	WebhookURL    string
	WebhookSecret string
	// RateLimit is how many messages a second may go out over the whole bot; default 25
	// (Telegram allows about 30).
	RateLimit float64
}

// Handler handles one inbound message: the *bot.Engine.
type Handler = bot.Handler

// Channel is the Telegram channel: a bot.Channel for the dispatcher, and Run, which takes
// updates and hands them to the engine.
type Channel struct {
	cfg      Config
	api      *tgbot.Bot
	handler  Handler
	log      *slog.Logger
	limits   bot.Limits
	handlers chan struct{} // one per message in the engine at once
	client   *http.Client
	// pollTimeout is how long one getUpdates may wait for updates.
	pollTimeout time.Duration
	// handleTimeout bounds the engine's handling of one update.
	handleTimeout time.Duration
	queueSize     int
	// retry is the wait before start-up call n is tried again (getMe, setWebhook).
	retry func(n int) time.Duration

	limiter atomic.Pointer[bot.Limiter] // the dispatcher's, for the calls that are not messages

	staff     bot.StaffDesk // what staff send goes here (WithStaffDesk); nil for none
	staffChat int64         // the staff group's chat id

	queues  *bot.ChatQueues
	parts   partsSent
	floods  floods
	metrics *metrics

	mu      sync.Mutex
	started bool      // getMe answered (and, for webhooks, setWebhook)
	pollErr time.Time // the last failed getUpdates
	lastErr error
}

var (
	_ bot.Channel     = (*Channel)(nil)
	_ bot.Limited     = (*Channel)(nil)
	_ bot.LimiterUser = (*Channel)(nil)
)

// Option configures a Channel.
type Option func(*Channel)

// WithLogger sets the logger.
func WithLogger(log *slog.Logger) Option { return func(c *Channel) { c.log = log } }

// WithHTTPClient sets the client for Bot API calls; its timeout must be longer than a long
// poll (50 seconds). It is used as it is: its transport gets go-telegram/bot's request bodies
// as they come, piped and of unknown length (the channel's own client gets them buffered:
// transport.go).
func WithHTTPClient(client *http.Client) Option { return func(c *Channel) { c.client = client } }

// WithLimits replaces the sending limits Config implies (tests).
func WithLimits(l bot.Limits) Option { return func(c *Channel) { c.limits = l } }

// WithHandlers sets how many messages may be in the engine at once (default 32), and how many
// may wait for it (queued; default 4,096) before taking more updates waits.
func WithHandlers(running, queued int) Option {
	return func(c *Channel) {
		if running > 0 {
			c.handlers = make(chan struct{}, running)
		}
		if queued > 0 {
			c.queueSize = queued
		}
	}
}

// WithMetrics registers the channel's metrics (updates by kind, refused webhook requests) in reg.
func WithMetrics(reg prometheus.Registerer) Option {
	return func(c *Channel) { c.metrics = newMetrics(reg) }
}

// WithHandleTimeout bounds the engine's handling of one update (default 30s).
func WithHandleTimeout(d time.Duration) Option { return func(c *Channel) { c.handleTimeout = d } }

// WithPollTimeout sets how long one getUpdates waits for updates (default 50s).
func WithPollTimeout(d time.Duration) Option { return func(c *Channel) { c.pollTimeout = d } }

// New makes the channel; it calls Telegram only in Run. handler is the engine.
func New(cfg Config, handler Handler, opts ...Option) (*Channel, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("telegram: no bot token")
	}
	if cfg.ServerURL == "" {
		cfg.ServerURL = DefaultServerURL
	}
	cfg.ServerURL = strings.TrimRight(cfg.ServerURL, "/")
	switch cfg.Mode {
	case "":
		cfg.Mode = ModePolling
	case ModePolling:
	case ModeWebhook:
		if cfg.WebhookURL == "" || cfg.WebhookSecret == "" {
			return nil, errors.New("telegram: webhook mode needs a webhook URL and secret")
		}
	default:
		return nil, fmt.Errorf("telegram: unknown mode %q", cfg.Mode)
	}
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = 25
	}
	c := &Channel{
		cfg: cfg, handler: handler, log: slog.Default(),
		// Telegram: about 30 messages a second over the bot, about one a second per chat, 20 a
		// minute in a group (the staff group).
		limits: bot.Limits{PerSecond: cfg.RateLimit, Burst: max(1, min(5, int(cfg.RateLimit))), PerChatInterval: time.Second,
			GroupInterval: 3 * time.Second},
		handlers:      make(chan struct{}, 32),
		pollTimeout:   50 * time.Second,
		handleTimeout: 30 * time.Second,
		queueSize:     4096,
		retry:         bot.Backoff,
	}
	for _, o := range opts {
		o(c)
	}
	if c.limits.MaxText == 0 {
		c.limits.MaxText = maxTextLen // replies to one message go as one, when they fit
	}
	if c.metrics == nil {
		c.metrics = newMetrics(nil)
	}
	var apiClient tgbot.HttpClient
	if c.client != nil {
		apiClient = c.client // one given by WithHTTPClient is used as it is
	} else {
		c.client = &http.Client{
			Timeout: c.pollTimeout + 15*time.Second,
			Transport: &http.Transport{
				Proxy:               http.ProxyFromEnvironment,
				DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
				TLSHandshakeTimeout: 10 * time.Second,
				MaxIdleConns:        256,
				// The default keeps 2 idle connections per host: under load every send above
				// that would open (and leave in TIME_WAIT) a new one to the one Bot API host.
				MaxIdleConnsPerHost: 128,
				IdleConnTimeout:     90 * time.Second,
			},
		}
		// Request bodies go with a Content-Length rather than chunked (transport.go).
		apiClient = bufferedClient{client: c.client}
	}
	// A chat's job is the engine (at most cap(handlers) at once) and, for a button press, two
	// Bot API calls after it: more workers than engine slots keep the engine busy meanwhile.
	c.queues = bot.NewChatQueues(c.queueSize, 4*cap(c.handlers))
	api, err := tgbot.New(cfg.Token,
		tgbot.WithServerURL(cfg.ServerURL),
		tgbot.WithSkipGetMe(), // called in Run, with retries, where readiness can report it
		tgbot.WithHTTPClient(c.pollTimeout, apiClient),
		// Updates come through poll.go's loop or the webhook route, not the library's.
		tgbot.WithDefaultHandler(func(context.Context, *tgbot.Bot, *models.Update) {}),
		tgbot.WithErrorsHandler(func(err error) { c.log.Warn("telegram: " + err.Error()) }),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	c.api = api
	return c, nil
}

// Name implements bot.Channel.
func (c *Channel) Name() string { return Name }

// UseLimiter implements bot.LimiterUser: edits of pressed messages wait for the limiter that
// paces the messages, so a burst of presses cannot send past the limits.
func (c *Channel) UseLimiter(l *bot.Limiter) { c.limiter.Store(l) }

// Limits implements bot.Limited: the configured rate over the whole bot, in small bursts, and a
// second between two messages to one chat. Replies already go before bulk messages in the outbox.
func (c *Channel) Limits() bot.Limits { return c.limits }

// Run checks the token (getMe), registers the command menu, then takes updates until ctx ends:
// by long polling, or, in webhook mode, by setting the webhook and serving WebhookHandler's
// requests. It returns once the updates it took are handled. Start-up calls are retried with
// backoff while Telegram cannot be reached; a refused token ends Run with an error.
func (c *Channel) Run(ctx context.Context) error {
	defer c.queues.Close()
	if err := c.retrying(ctx, "getMe", func() error { _, err := c.api.GetMe(ctx); return err }); err != nil {
		return err
	}
	c.setCommands(ctx)
	switch c.cfg.Mode {
	case ModeWebhook:
		err := c.retrying(ctx, "setWebhook", func() error {
			_, err := c.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
				URL: c.cfg.WebhookURL, SecretToken: c.cfg.WebhookSecret,
				AllowedUpdates: []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery},
			})
			return err
		})
		if err != nil {
			return err
		}
		c.setStarted(nil)
		c.log.Info("telegram: webhook set", "url", c.cfg.WebhookURL)
		<-ctx.Done()
	default:
		// getUpdates is refused while a webhook is set, by an earlier webhook deployment say.
		if err := c.retrying(ctx, "deleteWebhook", func() error {
			_, err := c.api.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{})
			return err
		}); err != nil {
			return err
		}
		c.setStarted(nil)
		c.log.Info("telegram: polling for updates", "server", c.cfg.ServerURL)
		c.poll(ctx)
	}
	return nil
}

// retrying calls fn until it succeeds, ctx ends, or Telegram refuses the token.
func (c *Channel) retrying(ctx context.Context, what string, fn func() error) error {
	for n := 1; ; n++ {
		err := fn()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.setStarted(fmt.Errorf("%s: %w", what, err))
		if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) {
			return fmt.Errorf("telegram: %s: the bot token was refused (check BPUBOT_TELEGRAM_TOKEN and telegram.server_url): %w", what, err)
		}
		wait := c.retry(n)
		c.log.Warn("telegram: call failed, will retry", "call", what, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

func (c *Channel) setStarted(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lastErr = err
	if err == nil {
		c.started = true
	}
}

// Ready reports whether the channel is connected: the token was accepted (and the webhook set)
// and no poll has failed in the last 15 seconds. It is the /readyz check.
func (c *Channel) Ready(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case !c.started && c.lastErr != nil:
		return fmt.Errorf("not connected: %w", c.lastErr)
	case !c.started:
		return errors.New("starting")
	case c.cfg.Mode == ModePolling && time.Since(c.pollErr) < 15*time.Second:
		return fmt.Errorf("polling failing: %w", c.lastErr)
	}
	return nil
}
