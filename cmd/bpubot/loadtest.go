package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"time"

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
			return runTelegramLoad(cmd.Context(), cfg, lt, cmd.OutOrStdout())
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
	cmd.AddCommand(tg, newFakeAPICmd())
	return cmd
}

func runTelegramLoad(ctx context.Context, cfg Config, lt telegramLoad, out io.Writer) error {
	if lt.rateLimit < 1 {
		return errors.New("--rate-limit: at least 1")
	}
	if lt.mode != telegram.ModePolling && lt.mode != telegram.ModeWebhook {
		return fmt.Errorf("--mode: want polling or webhook, got %q", lt.mode)
	}
	api := fakeapi.New(fakeapi.Options{RateLimit: int(lt.rateLimit), DropHistory: true, ChatInterval: time.Second})
	defer api.Close()

	addr, err := freeAddr()
	if err != nil {
		return err
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
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
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
		return fmt.Errorf("serve: %w", err)
	case err = <-waited:
		cancel()
		if err != nil {
			return fmt.Errorf("the bot did not connect to the fake Bot API: %w", err)
		}
	}

	fmt.Fprintf(out, "loadtest: %d workers, %d at once, think %s, ramp %s, %s, %s database, outbound limit %.0f/s\n",
		lt.opts.Users, lt.opts.Concurrency, lt.opts.Think, lt.opts.Ramp, lt.mode, cfg.Database.Driver, lt.rateLimit)
	lt.opts.Progress = out
	rep, runErr := loadtest.Run(ctx, api, lt.opts)
	botMetrics := scrapeMetrics("http://"+addr+"/metrics", "bpubot_send_errors_total", "bpubot_inbound_duplicates_total", "bpubot_handle_seconds_sum", "bpubot_handle_seconds_count")
	stop()
	if err := <-served; err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(out)
	rep.Print(out)
	if len(botMetrics) > 0 {
		fmt.Fprintf(out, "bot metrics      %s\n", strings.Join(botMetrics, "  "))
	}
	return runErr
}

// freeAddr finds a local port for the run's HTTP server (the webhook, /metrics).
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
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
