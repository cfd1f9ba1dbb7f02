package telegram_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"bpubot/bot/staff"
	"bpubot/bot/telegram"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// BenchmarkBroadcastAtLimit sends a broadcast through the Telegram channel, at its configured
// 25 messages a second, to the fake Bot API, which refuses anything over 25 in any one-second
// window as Telegram would; meanwhile workers keep writing to the bot. It reports the achieved
// rate (the broadcast's messages and the replies sent meanwhile, which share the limit) against
// the configured one, the broadcast's own rate, the most messages the fake took in any one second,
// the fake's refusals, and the latency of the replies to the workers (from the update handed
// to the bot to the reply at the fake). BPUBOT_BENCH_RECIPIENTS sets the broadcast's size
// (default 750: half a minute); run with -benchtime=1x.
func BenchmarkBroadcastAtLimit(b *testing.B) {
	n := 750
	if v, err := strconv.Atoi(os.Getenv("BPUBOT_BENCH_RECIPIENTS")); err == nil && v > 0 {
		n = v
	}
	for _, dialect := range modeltest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			for range b.N {
				benchBroadcast(b, modeltest.MustOpen(b, dialect), n)
			}
		})
	}
}

func benchBroadcast(b *testing.B, db *models.DB, recipients int) {
	const rate = 25
	const writers = 5
	api := fakeapi.New(fakeapi.Options{RateLimit: rate, ChatInterval: time.Second, DropHistory: true})
	defer api.Close()
	e, d := flowtest.Engine(b, db, nil)
	d.Poll, d.Log, e.Log = 50*time.Millisecond, quiet, quiet
	e.Outlet = d
	ch, err := telegram.New(telegram.Config{Token: fakeapi.Token, ServerURL: api.URL, RateLimit: rate}, e,
		telegram.WithLogger(quiet), telegram.WithPollTimeout(5*time.Second))
	if err != nil {
		b.Fatal(err)
	}
	d.Register(ch)
	svc := &staff.Service{DB: db, Log: quiet, Notify: d.Notify, Config: staff.Config{Location: time.UTC}}

	// The recipients: chats that wrote to the bot before.
	seedChats(b, db, recipients)

	// Replies: when each worker's message was handed over, and when its reply arrived.
	var mu sync.Mutex
	asked := map[int64]time.Time{}
	var latencies []time.Duration
	var bulkTimes, allTimes []time.Time
	api.OnSend(func(m fakeapi.Message) {
		mu.Lock()
		defer mu.Unlock()
		allTimes = append(allTimes, m.At)
		if t, ok := asked[m.ChatID]; ok {
			latencies = append(latencies, m.At.Sub(t))
			delete(asked, m.ChatID)
			return
		}
		if m.ChatID >= 100000 && m.ChatID < 100000+int64(recipients) {
			bulkTimes = append(bulkTimes, m.At)
		}
	})

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = ch.Run(ctx) }()
	go func() { defer wg.Done(); d.Run(ctx) }()
	defer func() { cancel(); wg.Wait() }()
	for api.Polls() == 0 {
		time.Sleep(10 * time.Millisecond)
	}

	br, err := svc.CreateBroadcast(ctx, staff.Operator(), staff.Draft{TextID: "Sosialisasi BPJS Ketenagakerjaan Sabtu ini di balai desa.",
		Buttons: []string{"daftar"}, Segment: models.Segment{Channels: []string{"telegram"}}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.PreviewBroadcast(ctx, staff.Operator(), br.ID); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.ConfirmBroadcast(ctx, staff.Operator(), br.ID, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	if _, err := svc.FanOut(ctx, br.ID); err != nil {
		b.Fatal(err)
	}
	fanned := time.Since(start)

	// Workers write every 1–2 s after their last answer while the broadcast goes out.
	done := make(chan struct{})
	var ww sync.WaitGroup
	for w := range writers {
		ww.Add(1)
		go func() {
			defer ww.Done()
			u := api.User(900000+int64(w), fmt.Sprintf("Pekerja %d", w))
			for {
				select {
				case <-done:
					return
				case <-time.After(time.Second + rand.N(time.Second)):
				}
				mu.Lock()
				if _, waiting := asked[u.ID]; waiting {
					mu.Unlock()
					continue
				}
				asked[u.ID] = time.Now()
				mu.Unlock()
				u.Text("halo")
			}
		}()
	}
	for {
		mu.Lock()
		got := len(bulkTimes)
		mu.Unlock()
		if got >= recipients {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	close(done)
	ww.Wait()
	b.StopTimer()

	mu.Lock()
	defer mu.Unlock()
	first, last := bulkTimes[0], bulkTimes[len(bulkTimes)-1]
	span := last.Sub(first).Seconds()
	sent := 0 // every message in the broadcast's span: replies share the limit
	for _, t := range allTimes {
		if !t.Before(first) && !t.After(last) {
			sent++
		}
	}
	achieved := float64(sent-1) / span
	over, early := api.Violations()
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Seconds() * 1000
	}
	b.ReportMetric(achieved, "sent/s")
	b.ReportMetric(achieved/rate, "of_limit")
	b.ReportMetric(float64(len(bulkTimes)-1)/span, "bulk/s")
	b.ReportMetric(float64(api.MaxPerSecond()), "max_in_1s")
	b.ReportMetric(float64(over+early), "refused")
	b.ReportMetric(float64(len(latencies)), "replies")
	b.ReportMetric(pct(0.5), "reply_p50_ms")
	b.ReportMetric(pct(0.99), "reply_p99_ms")
	b.ReportMetric(fanned.Seconds()*1000, "fanout_ms")
}

// seedChats adds n Telegram chats (100000…) that wrote to the bot before.
func seedChats(tb testing.TB, db *models.DB, n int) {
	tb.Helper()
	now := time.Now().Add(-time.Hour)
	rows := make([]models.ChannelContact, 0, 1000)
	for i := range n {
		rows = append(rows, models.ChannelContact{Channel: telegram.Name, ChatID: strconv.Itoa(100000 + i), FirstSeenAt: now, LastInboundAt: now})
		if len(rows) == cap(rows) || i == n-1 {
			modeltest.Insert(tb, db, &rows)
			rows = rows[:0]
		}
	}
}
