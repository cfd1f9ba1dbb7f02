// Package whatsapp is bpubot's WhatsApp channel, over go.mau.fi/whatsmeow: a linked device of a
// partner's phone number, the way WhatsApp Web is. It turns incoming chats into bot.Inbound
// messages for the engine and sends the outbox through the dispatcher, with the care an
// unofficial client needs so the number is not banned: replies go promptly, anything else only
// to workers who wrote first, slowly, and everything stops when WhatsApp objects.
//
// The files: client.go is the narrow interface over whatsmeow (meow.go the real one), convert.go
// reads WhatsApp messages, inbound.go hands them to the engine in order per chat, send.go sends,
// connection.go keeps the connection (lock.go makes sure one process holds it), pause.go and
// state.go record what happened, pair.go links a number, store.go is the session store.
package whatsapp

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"bpubot/bot"
	"bpubot/models"

	"github.com/prometheus/client_golang/prometheus"
)

// Name is the channel's name in conversations and the outbox.
const Name = "whatsapp"

// Config is what an operator may tune (config.example.yaml, section whatsapp).
type Config struct {
	// BulkPerMinute is how many messages the worker did not just ask for may go out a minute.
	BulkPerMinute float64
	// BulkJitter is up to how much random time is added to each gap between bulk messages.
	BulkJitter time.Duration
	// ReplyInterval is the least time between two messages to one chat.
	ReplyInterval time.Duration
	// RestrictionPause is how long outbound pauses after error 463, and after a temporary ban
	// or reach-out timelock whose end WhatsApp did not say.
	RestrictionPause time.Duration
	// RecentChat: under a reach-out timelock (no new chats), a chat whose worker wrote within
	// this long still gets messages; WhatsApp refuses only chats without recent messages.
	RecentChat time.Duration
	// LockRetry is how often a standby process tries to take the connection over (PostgreSQL).
	LockRetry time.Duration
}

// DefaultConfig is the safe default: three bulk messages a minute.
func DefaultConfig() Config {
	return Config{BulkPerMinute: 3, BulkJitter: 10 * time.Second, ReplyInterval: time.Second,
		RestrictionPause: 24 * time.Hour, RecentChat: 24 * time.Hour, LockRetry: 15 * time.Second}
}

// Handler handles one inbound message: the *bot.Engine.
type Handler = bot.Handler

// Channel is the WhatsApp channel: a bot.Channel for the dispatcher, and Run, which holds the
// connection and feeds incoming messages to the engine.
type Channel struct {
	cfg       Config
	db        *models.DB
	handler   Handler
	connector Connector
	lock      Lock
	clock     bot.Clock
	log       *slog.Logger
	notify    func(channel string)
	metrics   *metrics
	// backoff is the wait before reconnect attempt n; tests shorten it.
	backoff func(n int) time.Duration
	// grace is how long shutdown waits for the replies to go out; tests, with no dispatcher
	// running, need none.
	grace time.Duration

	queues *bot.ChatQueues
	// handleCtx is Run's context without its cancellation: a message taken is handled to the
	// end even when shutdown begins. runCtx is Run's own: a message the database cannot take
	// is tried again until it ends (and then left unacknowledged, for WhatsApp to deliver
	// again).
	handleCtx, runCtx context.Context

	mu      sync.Mutex
	state   State
	detail  string
	changed chan struct{} // closed and replaced at every state change
	holding bool          // this process holds the connection lock
	stopped bool          // stopped until restarted: stream replaced, client outdated
	current *session      // the logged-in session, nil when there is none
	pause   Pause
	onWA    map[string]onWhatsApp
}

var (
	_ bot.Channel = (*Channel)(nil)
	_ bot.Limited = (*Channel)(nil)
	_ bot.Standby = (*Channel)(nil)
)

// Option configures a Channel.
type Option func(*Channel)

// WithConfig sets the tunables; zero fields keep their defaults.
func WithConfig(cfg Config) Option {
	return func(c *Channel) {
		def := DefaultConfig()
		if cfg.BulkPerMinute <= 0 {
			cfg.BulkPerMinute = def.BulkPerMinute
		}
		if cfg.ReplyInterval < 0 {
			cfg.ReplyInterval = def.ReplyInterval
		}
		if cfg.BulkJitter < 0 {
			cfg.BulkJitter = def.BulkJitter
		}
		if cfg.RestrictionPause <= 0 {
			cfg.RestrictionPause = def.RestrictionPause
		}
		if cfg.LockRetry <= 0 {
			cfg.LockRetry = def.LockRetry
		}
		if cfg.RecentChat <= 0 {
			cfg.RecentChat = def.RecentChat
		}
		c.cfg = cfg
	}
}

// WithClock sets the clock pauses are measured by.
func WithClock(clock bot.Clock) Option { return func(c *Channel) { c.clock = clock } }

// WithLogger sets the logger.
func WithLogger(log *slog.Logger) Option { return func(c *Channel) { c.log = log } }

// WithNotify sets the dispatcher's wake-up, called when the channel can send again.
func WithNotify(notify func(channel string)) Option { return func(c *Channel) { c.notify = notify } }

// WithMetrics registers the channel's metrics (state, pauses, ignored messages) in reg.
func WithMetrics(reg prometheus.Registerer) Option {
	return func(c *Channel) { c.metrics = newMetrics(reg) }
}

// WithLock sets who may hold the connection; by default NewLock on the database.
func WithLock(l Lock) Option { return func(c *Channel) { c.lock = l } }

// New makes the channel. db is the bot's database (opt-in checks, pauses, state), handler the
// engine, connector the session store's (Store.Connector) or a fake.
func New(db *models.DB, handler Handler, connector Connector, opts ...Option) *Channel {
	c := &Channel{
		cfg: DefaultConfig(), db: db, handler: handler, connector: connector,
		clock: bot.SystemClock{}, log: slog.Default(), backoff: bot.Backoff, grace: shutdownGrace,
		changed: make(chan struct{}), onWA: map[string]onWhatsApp{},
		handleCtx: context.Background(), runCtx: context.Background(),
	}
	for _, o := range opts {
		o(c)
	}
	if c.metrics == nil {
		c.metrics = newMetrics(nil)
	}
	if c.lock == nil {
		c.lock = NewLock(db, c.cfg.LockRetry)
	}
	c.queues = bot.NewChatQueues(256, 32) // more at once would wait for a database connection
	return c
}

// Name implements bot.Channel.
func (c *Channel) Name() string { return Name }

// Limits implements bot.Limited: replies go promptly, a short interval apart per chat; bulk
// messages a few a minute over the whole number, each gap a little different.
func (c *Channel) Limits() bot.Limits {
	return bot.Limits{
		PerChatInterval: c.cfg.ReplyInterval,
		BulkInterval:    time.Duration(float64(time.Minute) / c.cfg.BulkPerMinute),
		BulkJitter:      c.cfg.BulkJitter,
		MaxText:         maxMergedText,
	}
}

// maxMergedText is the longest message replies to one inbound message are merged into. WhatsApp
// takes far longer texts, but on a small screen a longer one is a wall of text.
const maxMergedText = 4096

// Standby implements bot.Standby: only a logged-in connection sends.
func (c *Channel) Standby() bool { return c.connected() == nil }

// connected returns the logged-in session, or nil.
func (c *Channel) connected() *session {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != StateConnected {
		return nil
	}
	return c.current
}

// State returns the connection's state and its detail (why, until when).
func (c *Channel) State() (State, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state, c.detail
}

// Ready is the /readyz check: nil while connected or standing by for another process; else
// the state's text, which says what to do (`bpubot whatsapp pair` after a logout).
func (c *Channel) Ready(context.Context) error {
	st, detail := c.State()
	if st.Healthy() {
		return nil
	}
	return &stateError{state: st, detail: detail}
}

// setState moves to a new state: the row `bpubot whatsapp status` reads, metric, log. It is
// called from Run's goroutine only, so the recorded row follows the states in order.
func (c *Channel) setState(s State, detail string) {
	c.mu.Lock()
	same := c.state == s && c.detail == detail
	holding := c.holding
	c.mu.Unlock()
	if same {
		return
	}
	if holding {
		if err := writeState(c.handleCtx, c.db, s, detail, c.now()); err != nil {
			c.log.Warn("whatsapp: record state failed", "err", err)
		}
	}
	c.metrics.setState(s)
	c.mu.Lock()
	c.state, c.detail = s, detail
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()

	text := s.Text("en", detail)
	switch s {
	case StateConnected, StateStandby, StateConnecting, StateStopped:
		c.log.Info("whatsapp: "+text, "state", s.String())
	case StateNotPaired:
		c.log.Warn("whatsapp: "+text, "state", s.String())
	default:
		c.log.Error("whatsapp: "+text, "state", s.String())
	}
}

// stateChanged returns the current state and a channel closed at the next change.
func (c *Channel) stateChanged() (State, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state, c.changed
}

func (c *Channel) now() time.Time { return c.clock.Now() }
