package chaos

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"bpubot/bot/telegram/fakeapi"
	"bpubot/bot/telegram/loadtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// signups runs workers through the sign-up against the bot connected to api, with waits long
// enough to outlast what the test does to the bot, and reports what they saw.
func signups(ctx context.Context, t *testing.T, api *fakeapi.Server, users, concurrency int) loadtest.Report {
	t.Helper()
	rep, err := loadtest.Run(ctx, api, loadtest.Options{Users: users, Concurrency: concurrency,
		Think: 150 * time.Millisecond, StepTimeout: 3 * time.Minute})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return rep
}

// checkSignups checks that every worker finished, none saw a wrong or missing reply, and each
// was registered once.
func checkSignups(t *testing.T, rep loadtest.Report, db *models.DB) {
	t.Helper()
	if rep.Completed != rep.Users || rep.Errors != 0 {
		t.Errorf("%d of %d workers signed up, %d errors: %v", rep.Completed, rep.Users, rep.Errors, rep.FirstErrors)
	}
	members := modeltest.Count[models.Member](t, db, "")
	enrollments := modeltest.Count[models.Enrollment](t, db, "")
	if members != int64(rep.Users) || enrollments != int64(rep.Users) {
		t.Errorf("%d members and %d enrollments for %d workers: a message was handled twice or lost", members, enrollments, rep.Users)
	}
}

// open connects the test to the database serve runs on.
func open(t *testing.T, url string) *models.DB {
	t.Helper()
	db, err := models.Open(context.Background(), models.DBConfig{Driver: models.Postgres, URL: url, MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	return db
}

// TestChaosKillDuringSignupsAndABroadcast kills bpubot with SIGKILL ten times, starting it
// again at once each time: seven times while workers sign up, three while an announcement goes
// out to all of them. Telegram (the fake) keeps every update the bot has not confirmed, as the
// real one does: nothing a worker sent is lost, nothing is handled twice (each worker is
// registered once), every worker gets the announcement, and the only messages sent twice are
// those the dying process had sent but not yet recorded as sent.
func TestChaosKillDuringSignupsAndABroadcast(t *testing.T) {
	url := postgresURL(t)
	api := fakeapi.New(fakeapi.Options{DropHistory: true})
	defer api.Close()
	s := newServe(t, api, url)
	s.start()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var restarts []time.Duration
	killer := func(kills int, every time.Duration, done <-chan struct{}) *sync.WaitGroup {
		var wg sync.WaitGroup
		wg.Go(func() {
			for range kills {
				select {
				case <-time.After(every/2 + rand.N(every)):
				case <-done:
					return
				}
				s.kill()
				began := time.Now()
				s.start()
				restarts = append(restarts, time.Since(began))
			}
		})
		return &wg
	}
	loadDone := make(chan struct{})
	wg := killer(7, 1400*time.Millisecond, loadDone)
	rep := signups(ctx, t, api, 120, 60)
	close(loadDone)
	wg.Wait()
	db := open(t, url)
	checkSignups(t, rep, db)

	// The announcement, at a slow bulk rate so that it takes some seconds to go out.
	var mu sync.Mutex
	got := map[int64]int{}
	const text = "Pengumuman uji ketahanan"
	api.OnSend(func(m fakeapi.Message) {
		if strings.Contains(m.Text, text) {
			mu.Lock()
			got[m.ChatID]++
			mu.Unlock()
		}
	})
	s.env = append(s.env, "BPUBOT_TELEGRAM_RATE_LIMIT=15") // 120 chats: about 8 s, long enough for three kills
	s.kill()
	s.start()
	s.cli("broadcast", "create", "--text-file", s.file("pengumuman.txt", text))
	sent := make(chan struct{})
	wg = killer(3, 1200*time.Millisecond, sent) // the three within 5.4 s
	s.cli("broadcast", "send", "1", "--yes")
	deadline := time.Now().Add(3 * time.Minute)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == rep.Users || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	close(sent)
	wg.Wait()
	time.Sleep(2 * time.Second) // lets a late duplicate arrive; the counts below rely on nothing else
	mu.Lock()
	twice := 0
	for _, n := range got {
		twice += n - 1
	}
	received := len(got)
	mu.Unlock()
	if received != rep.Users {
		t.Errorf("%d of %d workers got the announcement", received, rep.Users)
	}

	if s.panics > 0 {
		t.Errorf("%d runs panicked", s.panics)
	}
	t.Logf("restarts took %v", restarts)
	t.Logf("kill -9 ×%d during %d sign-ups (%d messages) and a broadcast to them: lost 0, handled twice 0, replies sent twice %d (%.2f%%), announcements %d/%d received, %d sent twice; completed %d/%d in %s; peak RSS %d MB",
		len(restarts), rep.Users, rep.Inbound, rep.Extra, 100*float64(rep.Extra)/float64(rep.Replies), received, rep.Users, twice,
		rep.Completed, rep.Users, rep.Elapsed.Round(time.Second), s.maxRSSKB/1024)
	if len(restarts) < 10 {
		t.Errorf("only %d kills happened (the load or the broadcast was too short)", len(restarts))
	}
	if rep.Extra+twice > 5*len(restarts) {
		t.Errorf("%d messages sent twice in %d kills: more than the few in flight at each kill", rep.Extra+twice, len(restarts))
	}
}

// TestChaosPostgresOutage stops PostgreSQL hard for 20 seconds while workers sign up. Messages
// that arrive meanwhile are not confirmed to Telegram and are answered once it is back;
// /readyz reports the outage and its end; bpubot does not exit; nothing is lost.
func TestChaosPostgresOutage(t *testing.T) {
	postgresURL(t) // the chaos tests run where PostgreSQL tests run
	pg := privateCluster(t)
	api := fakeapi.New(fakeapi.Options{DropHistory: true})
	defer api.Close()
	s := newServe(t, api, pg.URL())
	s.start()
	s.waitHTTP("/readyz", 200)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	reports := make(chan loadtest.Report, 1)
	go func() { reports <- signups(ctx, t, api, 60, 30) }()

	time.Sleep(2 * time.Second) // workers are in the middle of signing up
	pg.crash()
	down := time.Now()
	noticed := s.waitHTTP("/readyz", 503)
	time.Sleep(20*time.Second - time.Since(down))
	if s.status("/healthz") != 200 {
		t.Fatal("bpubot stopped answering during the outage")
	}
	pg.start()
	up := time.Now()
	recovered := s.waitHTTP("/readyz", 200)
	rep := <-reports

	checkSignups(t, rep, open(t, pg.URL()))
	if s.starts != 1 || s.panics > 0 {
		t.Errorf("bpubot restarted (%d starts) or panicked (%d) during the outage", s.starts, s.panics)
	}
	t.Logf("PostgreSQL down %s during %d sign-ups (%d messages): /readyz said 503 after %s and 200 %s after it was back; lost 0, replies sent twice %d, completed %d/%d; p99 reply %s, max %s (the outage); peak RSS %d MB",
		up.Sub(down).Round(time.Second), rep.Users, rep.Inbound, noticed.Round(time.Millisecond), recovered.Round(time.Millisecond),
		rep.Extra, rep.Completed, rep.Users, rep.P99.Round(time.Millisecond), rep.Max.Round(time.Second), s.rssKB()/1024)
}

// TestChaosBotAPIStorm has the Bot API answer a good part of the sends with 429 (retry_after 1
// to 3 seconds) or 502, and of the polls with 502, for the whole of a sign-up load. Everything
// is delivered, never before a retry_after ran out, and never faster than the bot's limit.
func TestChaosBotAPIStorm(t *testing.T) {
	url := postgresURL(t)
	api := fakeapi.New(fakeapi.Options{DropHistory: true, RateLimit: 30})
	defer api.Close()
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(1, 2))
	var refused429, refused5xx int
	api.Fail(func(c fakeapi.Call) *fakeapi.Error {
		mu.Lock()
		defer mu.Unlock()
		r := rng.Float64()
		switch {
		case c.Method == "sendMessage" && r < 0.15:
			refused429++
			return &fakeapi.Error{Code: 429, Description: "Too Many Requests: retry after 2", RetryAfter: 1 + rng.IntN(3)}
		case (c.Method == "sendMessage" && r < 0.2) || (c.Method == "getUpdates" && r < 0.1):
			refused5xx++
			return &fakeapi.Error{Code: 502, Description: "Bad Gateway"}
		}
		return nil
	})
	s := newServe(t, api, url, "BPUBOT_TELEGRAM_RATE_LIMIT=25")
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rep := signups(ctx, t, api, 40, 40)

	checkSignups(t, rep, open(t, url))
	if rep.Early != 0 || rep.OverLimit != 0 || rep.MaxOutPerSec > 25 {
		t.Errorf("limits broken: %d sends before their retry_after ran out, %d over the Bot API's limit, at most %d a second (limit 25)",
			rep.Early, rep.OverLimit, rep.MaxOutPerSec)
	}
	mu.Lock()
	defer mu.Unlock()
	t.Logf("Bot API storm (%d 429s, %d 5xx) during %d sign-ups: lost 0, completed %d/%d, replies sent twice %d; early 0, over the limit 0, at most %d msg/s; p99 reply %s",
		refused429, refused5xx, rep.Users, rep.Completed, rep.Users, rep.Extra, rep.MaxOutPerSec, rep.P99.Round(time.Millisecond))
}
