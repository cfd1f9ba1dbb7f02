package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"bpubot/bot"
	"bpubot/bot/jobs"
	"bpubot/models"

	"github.com/spf13/cobra"
)

// channelService is an enabled channel: what the dispatcher sends through, and what runs
// until ctx ends (polling, a websocket), returning once its in-flight messages are handled.
type channelService struct {
	Channel bot.Channel
	Run     func(ctx context.Context) error
}

// channelSetup builds one channel from the config, or returns nil when it is disabled. Each
// channel's file adds its setup to channelSetups in an init function.
type channelSetup func(ctx context.Context, a *app, srv *bot.Server) (*channelService, error)

var channelSetups []channelSetup

func newServeCmd(root *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the enabled channels, the outbox dispatcher and the HTTP server",
		Long:  "Run every channel enabled in the config (Telegram, WhatsApp), the outbox dispatcher, and an HTTP server with /healthz, /readyz, /metrics and the Telegram webhook. SIGINT or SIGTERM stops taking messages, finishes what is in flight, sends what the dispatcher has claimed, and exits.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := root.load()
			if err != nil {
				return err
			}
			return serve(cmd.Context(), cfg)
		},
	}
}

func serve(ctx context.Context, cfg Config) error {
	if err := waitForDatabase(ctx, cfg, newLogger(cfg.Log, os.Stderr)); err != nil {
		return err
	}
	a, err := newApp(ctx, cfg, os.Stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	if pct, set := serveGCPercent(); set {
		debug.SetGCPercent(pct)
		a.log.Info("garbage collector target raised for serving; set GOGC to choose another", "gogc", pct)
	}
	srv := bot.NewServer(a.db, a.metrics)
	a.routePaymentsWebhook(srv)
	a.staffService().MountAPI(srv.Mux) // the admin API, /api/broadcasts
	if err := a.mountConsole(srv); err != nil {
		return err
	}

	var services []*channelService
	for _, setup := range channelSetups {
		svc, err := setup(ctx, a, srv)
		if err != nil {
			return err
		}
		if svc != nil {
			a.dispatcher.Register(svc.Channel)
			services = append(services, svc)
		}
	}
	if len(services) == 0 {
		a.log.Warn("no channel is enabled: set telegram.enabled or whatsapp.enabled; serving HTTP and the dispatcher only")
	}

	limits := cfg.HTTP.limits()
	ln, err := bot.Listen(cfg.HTTP.Addr, limits)
	if err != nil {
		return fmt.Errorf("http.addr: %w", err)
	}
	httpSrv := srv.HTTPServer(limits)
	httpErr := make(chan error, 1)
	go func() { httpErr <- httpSrv.Serve(ln) }()
	a.log.Info("serving", "http", ln.Addr().String(), "channels", len(services))

	// Channels stop taking messages when ctx ends; the dispatcher outlives them so the replies
	// to messages still in flight are sent.
	dispatchCtx, stopDispatch := context.WithCancel(context.WithoutCancel(ctx))
	dispatchDone := make(chan struct{})
	go func() { a.dispatcher.Run(dispatchCtx); close(dispatchDone) }()

	// Channels also stop when one of them or the HTTP server fails, not only at a signal.
	runCtx, stopChannels := context.WithCancel(ctx)
	defer stopChannels()
	// Jobs (pruning, and whatever else is registered) run until the channels have stopped.
	js := a.jobs
	js.AddPrune(&jobs.PruneWorker{DB: a.db, Retention: a.cfg.Dispatcher.Retention, Log: a.log})
	js.AddStaff(a.staffService())
	a.registerReminders(js)
	if err := js.Start(dispatchCtx); err != nil {
		stopDispatch()
		<-dispatchDone
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := js.Stop(sctx); err != nil {
			a.log.Warn("jobs did not stop cleanly", "err", err)
		}
	}()

	var wg sync.WaitGroup
	errs := make(chan error, len(services))
	for _, svc := range services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := svc.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s: %w", svc.Channel.Name(), err)
			}
		}()
	}

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-httpErr:
	case runErr = <-errs:
	}
	a.log.Info("shutting down")
	stopChannels()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	_ = httpSrv.Shutdown(shutdownCtx)
	wg.Wait()
	for _, svc := range services {
		_, _ = a.dispatcher.DrainOnce(shutdownCtx, svc.Channel.Name())
	}
	stopDispatch()
	<-dispatchDone
	if errors.Is(runErr, http.ErrServerClosed) {
		runErr = nil
	}
	return runErr
}

// serveGCPercent is the garbage collector's target for `serve` when GOGC is not set. The live
// heap of a serving bot is small (tens of MB), so Go's default of 100 collects a few times a
// second under load; 400 spends about a tenth less CPU per message for roughly 100 MB more
// memory (measured with `bpubot loadtest telegram`). A GOGC in the environment always wins.
func serveGCPercent() (int, bool) {
	if _, set := os.LookupEnv("GOGC"); set {
		return 0, false
	}
	return 400, true
}

// waitForDatabase returns once the configured database answers, trying again with growing
// waits (up to 30s) while it is unreachable: a bot started before its database, or during an
// outage, comes up when the database does instead of exiting (and being restarted in a loop).
// A mistake in the configuration still stops it at once.
func waitForDatabase(ctx context.Context, cfg Config, log *slog.Logger) error {
	var wait time.Duration
	for {
		db, err := models.Open(ctx, dbConfig(cfg))
		if err == nil {
			return models.Close(db)
		}
		if !models.IsUnavailable(err) {
			return err
		}
		wait = min(max(2*wait, time.Second), 30*time.Second)
		log.Warn("the database is not reachable yet; waiting for it", "retry_in", wait, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}
