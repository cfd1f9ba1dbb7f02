//go:build loadtest

// The load test is left out of the production binary, with the fake Bot API it runs against:
// build with -tags loadtest to have it (README, "Load test").

package main

import (
	"bufio"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/bot/telegram"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/bot/telegram/loadtest"

	"github.com/spf13/cobra"
)

func init() {
	extraCommands = append(extraCommands, newLoadtestCmd)
}

// telegramLoad is what `bpubot loadtest telegram` is told.
type telegramLoad struct {
	opts       loadtest.Options
	rateLimit  float64
	mode       string
	cpuProfile string
	verbose    bool
	echo       bool // only the transport: a bot that echoes, touching no database
	vsEcho     bool // an echo run first, then the real one, and the ratio
}

func newLoadtestCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "loadtest",
		Short: "Measure bpubot under load, against a fake messaging platform",
	}
	var lt telegramLoad
	tg := &cobra.Command{
		Use:   "telegram",
		Short: "Run simulated workers through the Telegram sign-up against `bpubot serve` and a fake Bot API",
		Long: "Start a fake Telegram Bot API in this process, run `bpubot serve` on the configured database (SQLite or\n" +
			"PostgreSQL, as for serve) with only the Telegram channel, connected to the fake, and send --users workers\n" +
			"through the whole sign-up, --concurrency at a time. Each worker answers a question --think after it arrives.\n" +
			"Prints inbound messages/s, reply latency percentiles (update handed over → first reply at the fake), errors,\n" +
			"and the most messages the fake received in any one-second window.\n\n" +
			"The fake stands in for Telegram, so --rate-limit sets both telegram.rate_limit and the limit the fake\n" +
			"enforces (it answers 429 beyond it). Every run adds its workers to the database: use a scratch one.",
		Example: "  bpubot loadtest telegram --users 2000 --concurrency 1000\n" +
			"  BPUBOT_DATABASE_DRIVER=postgres BPUBOT_DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest?sslmode=disable \\\n" +
			"    bpubot loadtest telegram --users 6000 --concurrency 1500 --rate-limit 3000",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := root.load()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if !lt.vsEcho {
				_, err := runTelegramLoad(cmd.Context(), cfg, lt, out)
				return err
			}
			echo := lt
			echo.echo = true
			echoRep, err := runTelegramLoad(cmd.Context(), cfg, echo, out)
			if err != nil {
				return err
			}
			fmt.Fprintln(out)
			rep, err := runTelegramLoad(cmd.Context(), cfg, lt, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "\nvs echo          bpubot %.0f msg/s = %.2f of the transport's %.0f msg/s; p99 %s (echo %s)\n",
				rep.InboundPerSec, rep.InboundPerSec/echoRep.InboundPerSec, echoRep.InboundPerSec,
				rep.P99.Round(100*time.Microsecond), echoRep.P99.Round(100*time.Microsecond))
			return nil
		},
	}
	f := tg.Flags()
	f.IntVar(&lt.opts.Users, "users", 1000, "workers that sign up")
	f.IntVar(&lt.opts.Concurrency, "concurrency", 500, "workers signing up at once")
	f.DurationVar(&lt.opts.Think, "think", time.Second, "a worker answers a question between 1 and 2 times this after it arrives (Telegram allows a chat about one message a second)")
	f.DurationVar(&lt.opts.StepTimeout, "step-timeout", 30*time.Second, "waiting for a reply longer than this counts as an error")
	f.DurationVar(&lt.opts.Ramp, "ramp", 0, "spread the first --concurrency workers' start over this time (0: all within the first 2×think, so the steps come in waves)")
	f.Float64Var(&lt.rateLimit, "rate-limit", 2000, "outbound messages/s: telegram.rate_limit for the run, and the fake's own limit")
	f.StringVar(&lt.mode, "mode", telegram.ModePolling, "how updates reach the bot: polling or webhook")
	f.StringVar(&lt.cpuProfile, "cpuprofile", "", "write a CPU profile of the run (bot, fake and workers together) to this file")
	f.BoolVar(&lt.verbose, "verbose", false, "show the bot's info logs")
	f.BoolVar(&lt.echo, "echo", false, "instead of bpubot, a bot that answers every message with its own text through the same Telegram channel and limits, touching no database: the transport's ceiling on this machine (polling only)")
	f.BoolVar(&lt.vsEcho, "vs-echo", false, "run --echo first, then bpubot, and print bpubot's msg/s as a ratio of the echo's")
	cmd.AddCommand(tg, newFakeAPICmd())
	return cmd
}

func runTelegramLoad(ctx context.Context, cfg Config, lt telegramLoad, out io.Writer) (loadtest.Report, error) {
	if lt.rateLimit < 1 {
		return loadtest.Report{}, errors.New("--rate-limit: at least 1")
	}
	if lt.mode != telegram.ModePolling && lt.mode != telegram.ModeWebhook {
		return loadtest.Report{}, fmt.Errorf("--mode: want polling or webhook, got %q", lt.mode)
	}
	if lt.echo {
		if lt.mode != telegram.ModePolling {
			return loadtest.Report{}, errors.New("--echo runs in polling mode")
		}
		return runEchoLoad(ctx, lt, out)
	}
	api := fakeapi.New(fakeapi.Options{RateLimit: int(lt.rateLimit), DropHistory: true, ChatInterval: time.Second})
	defer api.Close()

	addr, err := fakeapi.BotAddr()
	if err != nil {
		return loadtest.Report{}, err
	}
	cfg.HTTP.Addr = addr
	cfg.WhatsApp.Enabled = false
	cfg.Telegram = TelegramConfig{Enabled: true, Token: api.Token, ServerURL: api.URL, Mode: lt.mode, RateLimit: lt.rateLimit}
	if lt.mode == telegram.ModeWebhook {
		cfg.Telegram.WebhookURL = "http://" + addr + telegram.WebhookPath
		cfg.Telegram.WebhookSecret = randomSecret()
	}
	if !lt.verbose && (cfg.Log.Level == "info" || cfg.Log.Level == "debug") {
		cfg.Log.Level = "warn"
	}

	if lt.cpuProfile != "" {
		f, err := os.Create(lt.cpuProfile)
		if err != nil {
			return loadtest.Report{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return loadtest.Report{}, err
		}
		defer pprof.StopCPUProfile()
	}

	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- serve(serveCtx, cfg) }()
	ready, cancel := context.WithTimeout(ctx, 30*time.Second)
	waited := make(chan error, 1)
	go func() {
		waited <- api.Wait(ready, func() bool {
			hook, _ := api.Webhook()
			return api.Polls() > 0 || hook != ""
		})
	}()
	select {
	case err = <-served:
		cancel()
		return loadtest.Report{}, fmt.Errorf("serve: %w", err)
	case err = <-waited:
		cancel()
		if err != nil {
			return loadtest.Report{}, fmt.Errorf("the bot did not connect to the fake Bot API: %w", err)
		}
	}

	fmt.Fprintf(out, "loadtest: %d workers, %d at once, think %s, ramp %s, %s, %s database, outbound limit %.0f/s\n",
		lt.opts.Users, lt.opts.Concurrency, lt.opts.Think, lt.opts.Ramp, lt.mode, cfg.Database.Driver, lt.rateLimit)
	lt.opts.Progress = out
	rep, runErr := loadtest.Run(ctx, api, lt.opts)
	botMetrics := scrapeMetrics("http://"+addr+"/metrics", "bpubot_send_errors_total", "bpubot_inbound_duplicates_total", "bpubot_handle_seconds_sum", "bpubot_handle_seconds_count")
	stop()
	if err := <-served; err != nil {
		return rep, fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(out)
	rep.Print(out)
	if len(botMetrics) > 0 {
		fmt.Fprintf(out, "bot metrics      %s\n", strings.Join(botMetrics, "  "))
	}
	return rep, runErr
}

// runEchoLoad runs the workers against the Telegram channel alone: polling the fake, a handler
// that answers every message at once with its own text under the same limits, no engine, no
// database, no outbox. What it reaches is the transport's ceiling on this machine (the fake,
// the go-telegram client, the workers), against which bpubot's own run is measured.
func runEchoLoad(ctx context.Context, lt telegramLoad, out io.Writer) (loadtest.Report, error) {
	api := fakeapi.New(fakeapi.Options{RateLimit: int(lt.rateLimit), DropHistory: true, ChatInterval: time.Second})
	defer api.Close()
	h := &echoHandler{}
	ch, err := telegram.New(telegram.Config{Token: api.Token, ServerURL: api.URL, RateLimit: lt.rateLimit}, h,
		telegram.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		return loadtest.Report{}, err
	}
	h.ch, h.lim = ch, bot.NewLimiter(ch.Limits())
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = ch.Run(runCtx) }()
	ready, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := api.Wait(ready, func() bool { return api.Polls() > 0 }); err != nil {
		return loadtest.Report{}, fmt.Errorf("the echo bot did not connect to the fake Bot API: %w", err)
	}
	fmt.Fprintf(out, "loadtest (echo): %d workers, %d at once, think %s, ramp %s, polling, no database, outbound limit %.0f/s\n",
		lt.opts.Users, lt.opts.Concurrency, lt.opts.Think, lt.opts.Ramp, lt.rateLimit)
	o := lt.opts
	o.Progress, o.AnyReply = out, true
	rep, err := loadtest.Run(ctx, api, o)
	fmt.Fprintln(out)
	rep.Print(out)
	return rep, err
}

// echoHandler answers each message with its own text, straight through the channel.
type echoHandler struct {
	ch  *telegram.Channel
	lim *bot.Limiter
}

func (h *echoHandler) Handle(ctx context.Context, in bot.Inbound) (bot.Result, error) {
	text := cmp.Or(in.Text, in.Value, "ok")
	if err := h.lim.Wait(ctx, in.ChatID, false); err != nil {
		return bot.Result{}, err
	}
	r := bot.Reply{Text: "echo: " + text}
	return bot.Result{Replies: []bot.Reply{r}}, h.ch.Send(ctx, bot.Outgoing{Recipient: in.ChatID, Reply: r})
}

func randomSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// scrapeMetrics returns the lines of the named metrics from a Prometheus endpoint.
func scrapeMetrics(url string, names ...string) []string {
	resp, err := http.Get(url)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var lines []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		for _, n := range names {
			if strings.HasPrefix(sc.Text(), n) {
				lines = append(lines, sc.Text())
			}
		}
	}
	return lines
}
