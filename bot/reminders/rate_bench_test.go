package reminders_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/reminders"
	"bpubot/bot/telegram"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/flows"
	"bpubot/flows/coverage"
	"bpubot/flows/flowtest"
	"bpubot/flows/reminder"
	"bpubot/models/modeltest"
)

// BenchmarkReminderRate: a batch of reminders going out through the Telegram channel (the real
// go-telegram/bot client) to the fake Bot API, which refuses, as Telegram does, what goes over
// the rate: the rate achieved against telegram.rate_limit (25/s), and the most messages the
// fake took in any one-second window. BPUBOT_BENCH_REMINDERS workers (default 500, 20 s at
// 25/s); on PostgreSQL when BPUBOT_TEST_POSTGRES_URL is set.
//
//	go test ./bot/reminders -run '^$' -bench ReminderRate -benchtime 1x
func BenchmarkReminderRate(b *testing.B) {
	n := 500
	if s := os.Getenv("BPUBOT_BENCH_REMINDERS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 50 {
			b.Fatalf("BPUBOT_BENCH_REMINDERS: want at least 50, got %q", s)
		}
	}
	const rate = 25
	dialect := modeltest.Dialects()[len(modeltest.Dialects())-1]
	for range b.N {
		b.StopTimer()
		db := modeltest.MustOpen(b, dialect)
		at := wib(2026, 6, 12, 9) // three days before June's due date
		for i := range n {
			m, e := enrolled(b, db, fmt.Sprintf("3201011203%06d", i+1), "32", strconv.Itoa(1_000_000_001+i), wib(2026, 1, 5, 10))
			pay(b, db, m, e, ym(2026, 1), ym(2026, 5), wib(2026, 5, 1, 10))
		}
		api := fakeapi.New(fakeapi.Options{RateLimit: rate, DropHistory: true, ChatInterval: time.Second})
		var mu sync.Mutex
		var arrived []time.Time
		api.OnSend(func(fakeapi.Message) {
			mu.Lock()
			arrived = append(arrived, time.Now())
			mu.Unlock()
		})
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		ch, err := telegram.New(telegram.Config{Token: fakeapi.Token, ServerURL: api.URL, RateLimit: rate}, nil, telegram.WithLogger(quiet))
		if err != nil {
			b.Fatal(err)
		}
		disp := &bot.Dispatcher{DB: db, Log: quiet}
		disp.Register(ch)
		engine := &bot.Engine{DB: db, Flows: flowtest.Router(b), Notify: disp.Notify}
		svc := &reminders.Service{DB: db, Rules: coverage.Default(), Schedule: reminder.DefaultSchedule(),
			Flows: engine.Flows.(*flows.Router), Channels: []reminders.Channel{{Name: telegram.Name}}, Log: quiet}
		ctx, stop := context.WithCancel(context.Background())
		due, err := svc.Plan(ctx, at)
		if err != nil {
			b.Fatal(err)
		}
		written, err := svc.Send(ctx, due, at)
		if err != nil || written != n {
			b.Fatalf("%d reminders written of %d: %v", written, n, err)
		}
		// The reminders were written at their own (past) time; they go out now.
		modeltest.Exec(b, db, `UPDATE outbox SET next_attempt_at = ?`, time.Now().UTC())
		b.StartTimer()
		done := make(chan struct{})
		go func() { disp.Run(ctx); close(done) }()
		wctx, cancel := context.WithTimeout(ctx, time.Duration(n/rate+60)*time.Second)
		if err := api.Wait(wctx, func() bool { return api.Sent() >= n }); err != nil {
			b.Fatalf("%d of %d sent: %v", api.Sent(), n, err)
		}
		cancel()
		b.StopTimer()
		stop()
		<-done
		over, _ := api.Violations()
		mu.Lock()
		span := arrived[len(arrived)-1].Sub(arrived[0]).Seconds()
		mu.Unlock()
		// n sends at an even rate r take (n-1)/r seconds from the first to the last.
		achieved := float64(n-1) / span
		b.ReportMetric(achieved, "msg/s")
		b.ReportMetric(achieved/rate, "of-rate")
		b.ReportMetric(float64(api.MaxPerSecond()), "max/s")
		b.ReportMetric(float64(over), "refused")
		if api.MaxPerSecond() > rate || over > 0 {
			b.Errorf("%d messages in one second (refused %d): more than %d", api.MaxPerSecond(), over, rate)
		}
		api.Close()
	}
}
