package loadtest_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/telegram"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/bot/telegram/loadtest"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// TestRun signs a few workers up, half by buttons and half by typing, against the real
// engine and client; the chats' one-message-a-second limit is lifted so it runs quickly.
func TestRun(t *testing.T) {
	db := modeltest.MustOpen(t, models.SQLite)
	api := fakeapi.New(fakeapi.Options{RateLimit: 1000})
	defer api.Close()
	e, d := flowtest.Engine(t, db, nil)
	quiet := slog.New(slog.DiscardHandler)
	e.Log, d.Log = quiet, quiet
	ch, err := telegram.New(telegram.Config{Token: api.Token, ServerURL: api.URL}, e,
		telegram.WithLimits(bot.Limits{PerSecond: 1000}), telegram.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	d.Register(ch)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { _ = ch.Run(ctx); done <- struct{}{} }()
	go func() { d.Run(ctx); done <- struct{}{} }()
	defer func() { cancel(); <-done; <-done }()
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if err := api.Wait(wctx, func() bool { return api.Polls() > 0 }); err != nil {
		t.Fatal(err)
	}

	rep, err := loadtest.Run(ctx, api, loadtest.Options{Users: 6, Concurrency: 3, Think: 5 * time.Millisecond, StepTimeout: 20 * time.Second, Ramp: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Completed != 6 || rep.Errors != 0 || rep.Inbound != 6*15 || rep.Replies != rep.Inbound || rep.P50 <= 0 || rep.P99 < rep.P50 {
		t.Fatalf("report %+v", rep)
	}
	n := modeltest.Count[models.Enrollment](t, db, "")
	if n != 6 {
		t.Fatalf("%d enrollments, want 6", n)
	}
	var out bytes.Buffer
	rep.Print(&out)
	if len(rep.StepP99) != 15 || rep.StepP99[0] <= 0 {
		t.Fatalf("p99 by step: %v, want 15 steps", rep.StepP99)
	}
	if !strings.Contains(out.String(), "6 signed up of 6") || !strings.Contains(out.String(), "p99 by step (ms) 1:") {
		t.Fatalf("printed:\n%s", out.String())
	}
}
