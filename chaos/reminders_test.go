package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"bpubot/bot/payments"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/flows/coverage"
	"bpubot/flows/flowtest"
	"bpubot/flows/reminder"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// TestChaosKillDuringReminders kills `bpubot serve` with SIGKILL five times while the premium
// reminders of a thousand workers are planned, written and sent (at Telegram's bulk rate, so
// they take forty seconds), starting it again at once each time. Every worker gets their
// reminder; each is written once (reminders_sent, one row per worker); the only ones that
// reach a worker twice are those the dying process had sent but not yet recorded as sent.
func TestChaosKillDuringReminders(t *testing.T) {
	url := postgresURL(t)
	db := modeltest.MustOpenConfig(t, models.DBConfig{Driver: models.Postgres, URL: url, MaxOpenConns: 4})
	const workers = 1000
	seedDue(t, db, workers, time.Now())

	api := fakeapi.New(fakeapi.Options{DropHistory: true})
	defer api.Close()
	var mu sync.Mutex
	got := map[int64]int{}
	api.OnSend(func(m fakeapi.Message) {
		if m.HasData("sudah_bayar") {
			mu.Lock()
			got[m.ChatID]++
			mu.Unlock()
		}
	})
	received := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(got)
	}
	// Reminders at every hour, so the test runs whenever it is run.
	s := newServe(t, api, url, "BPUBOT_TELEGRAM_RATE_LIMIT=25", "BPUBOT_REMINDERS_SEND_FROM=00:00",
		"BPUBOT_REMINDERS_SEND_UNTIL=24:00", "BPUBOT_REMINDERS_PLAN_EVERY=1m")
	began := time.Now()
	s.start()
	kills := 0
	for kills < 5 && received() < workers {
		time.Sleep(500*time.Millisecond + rand.N(2*time.Second))
		s.kill()
		kills++
		s.start()
	}
	deadline := time.Now().Add(5 * time.Minute)
	for received() < workers && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	elapsed := time.Since(began)
	time.Sleep(2 * time.Second) // lets a late duplicate arrive

	mu.Lock()
	twice := 0
	for _, n := range got {
		twice += n - 1
	}
	mu.Unlock()
	if n := received(); n != workers {
		t.Errorf("%d of %d workers got their reminder", n, workers)
	}
	if n := modeltest.Count[models.ReminderSent](t, db, ""); n != workers {
		t.Errorf("%d reminders written for %d workers", n, workers)
	}
	if n := modeltest.Count[models.Outbox](t, db, "priority = ?", models.PriorityBulk); n != workers {
		t.Errorf("%d reminder messages queued for %d workers", n, workers)
	}
	if twice > 5*kills {
		t.Errorf("%d reminders reached a worker twice in %d kills: more than the few in flight at each kill", twice, kills)
	}
	if s.panics > 0 {
		t.Errorf("%d runs panicked", s.panics)
	}
	t.Logf("kill -9 ×%d while the reminders of %d workers were planned, written and sent at 25/s: %d received, written once each, %d received twice; all in %s",
		kills, workers, received(), twice, elapsed.Round(time.Second))
}

// seedDue registers n workers in West Java, each with a Telegram chat and paid up to the month
// before the one whose reminder window now is in: each is due a reminder now (before, the day
// before, or late), whatever the date.
func seedDue(t *testing.T, db *models.DB, n int, now time.Time) {
	t.Helper()
	rules := coverage.Default()
	slot := reminder.DefaultSchedule().SlotAt(rules.Calendar, now, coverage.WIB)
	start, last := slot.Month-6, slot.Month-1
	enrolled := start.Start().Add(10 * time.Hour)
	s := flowtest.Sealer(t)
	ctx := context.Background()
	for i := range n {
		nik := fmt.Sprintf("3201011203%06d", i+1)
		m := models.Member{NIKHash: s.Hash(nik), NIKEnc: s.Seal(nik), FullName: "Pekerja " + nik[10:], Occupation: "pedagang",
			ProvinceCode: "32", Lang: "id", CreatedAt: enrolled, UpdatedAt: enrolled}
		c := models.Consent{Version: "2026-01", GivenAt: enrolled, Channel: "telegram"}
		e := models.Enrollment{Package: "jkk_jkm", DeclaredIncome: 1_000_000, PaymentMonths: 1, Status: models.EnrollmentPendingPayment,
			Channel: "telegram", CreatedAt: enrolled, UpdatedAt: enrolled}
		if ok, err := models.Register(db, &m, &c, &e); err != nil || !ok {
			t.Fatalf("register: %v %v", ok, err)
		}
		if err := models.TouchContact(db, "telegram", strconv.Itoa(2_000_000_001+i), &m.ID, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		rec, err := models.LoadCoverage(db, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		q, err := rules.Expected(payments.EnrollmentOf(rec), start, int(last-start)+1)
		if err != nil {
			t.Fatal(err)
		}
		p := models.Payment{MemberID: m.ID, EnrollmentID: e.ID, FirstMonth: payments.MonthNumber(start), LastMonth: payments.MonthNumber(last),
			Amount: q.Total, PaidAt: enrolled, Source: models.PaymentImport, Reference: "chaos-" + nik, Verified: true, CreatedAt: enrolled}
		if err := db.WithContext(ctx).Transaction(func(tx *models.Tx) error {
			if _, err := models.InsertPayments(tx, []models.Payment{p}); err != nil {
				return err
			}
			return models.SetPaidUntil(tx, []int64{e.ID}, coverage.WIB)
		}); err != nil {
			t.Fatal(err)
		}
	}
}
