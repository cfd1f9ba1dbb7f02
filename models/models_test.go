package models_test

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"bpubot/models"
	"bpubot/models/modeltest"
)

// owned is a dispatcher owner for tests, holding its lock (on PostgreSQL) until release.
func owned(t *testing.T, db *models.DB) (owner int64, release func()) {
	t.Helper()
	for {
		owner = models.NewOwner()
		h, ok, err := models.TryLock(context.Background(), db, models.OwnerLock(owner))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			t.Cleanup(h.Release)
			return owner, h.Release
		}
	}
}

func enqueueFor(t *testing.T, db *models.DB, now time.Time, n int, recipient func(i int) string) {
	t.Helper()
	var rows []models.Outbox
	for i := range n {
		rows = append(rows, models.Outbox{Channel: "c", Recipient: recipient(i), Payload: "{}", Status: models.OutboxPending,
			NextAttemptAt: now, CreatedAt: now, Priority: (i % 2) * models.PriorityBulk})
	}
	if err := models.Enqueue(db, rows); err != nil {
		t.Fatal(err)
	}
}

// Dispatchers claiming at once never take a row twice, and each chat's rows go one after
// another: a row is claimed only once the chat's earlier one is sent.
func TestClaimOutboxNeverTwice(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		now := time.Now().UTC()
		enqueueFor(t, db, now, 200, func(i int) string { return string(rune('a' + i%26)) })
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for range 4 {
			owner, _ := owned(t, db)
			wg.Go(func() {
				for {
					var got []models.Outbox
					var err error
					for try := 0; try < 20; try++ {
						got, err = models.ClaimOutbox(db, "c", owner, now, time.Minute, 17, models.PriorityReply, math.MaxInt32)
						if !models.IsBusy(err) {
							break
						}
					}
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						mu.Lock()
						done := len(seen) == 200
						mu.Unlock()
						if done {
							return
						}
						time.Sleep(time.Millisecond) // another claimer holds the next rows
						continue
					}
					ids := make([]int64, len(got))
					mu.Lock()
					for i, r := range got {
						seen[r.ID]++
						ids[i] = r.ID
					}
					mu.Unlock()
					for try := 0; try < 20; try++ {
						if err = models.MarkSent(db, ids, now); !models.IsBusy(err) {
							break
						}
					}
					if err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if len(seen) != 200 {
			t.Fatalf("claimed %d rows, want 200", len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("row %d claimed %d times", id, n)
			}
		}
	})
}

// A claimed row is taken by another dispatcher once its owner is gone: at once on PostgreSQL
// (the owner's lock went with its session), when its lease runs out on SQLite. Until then the
// chat's later rows are not taken either, so they do not overtake it; then they come in order.
func TestClaimOutboxTakeover(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		now := time.Now().UTC()
		enqueueFor(t, db, now, 1, func(int) string { return "r" })
		dying, die := owned(t, db)
		if got, err := models.ClaimOutbox(db, "c", dying, now, time.Minute, 10, models.PriorityReply, math.MaxInt32); err != nil || len(got) != 1 {
			t.Fatalf("first claim: %d rows, %v", len(got), err)
		}
		enqueueFor(t, db, now, 2, func(int) string { return "r" }) // later replies to the same chat
		enqueueFor(t, db, now, 1, func(int) string { return "other" })
		taker, _ := owned(t, db)
		got, err := models.ClaimOutbox(db, "c", taker, now, time.Minute, 10, models.PriorityReply, math.MaxInt32)
		if err != nil || len(got) != 1 || got[0].Recipient != "other" {
			t.Fatalf("while the owner lives: %+v, %v; want only the other chat's row", got, err)
		}
		if err := models.MarkSent(db, []int64{got[0].ID}, now); err != nil {
			t.Fatal(err)
		}
		die()
		at := now
		if !models.IsPostgres(db) {
			at = now.Add(2 * time.Minute) // no owner locks on SQLite: the lease must run out
		}
		got, err = models.ClaimOutbox(db, "c", taker, at, time.Minute, 10, models.PriorityReply, math.MaxInt32)
		if err != nil || len(got) != 3 {
			t.Fatalf("after the owner died: %d rows, %v; want the chat's 3", len(got), err)
		}
		for i := 1; i < len(got); i++ {
			if got[i].ID < got[i-1].ID && got[i].Priority == got[i-1].Priority {
				t.Errorf("rows out of order: %d before %d", got[i-1].ID, got[i].ID)
			}
		}
		if *got[0].LockedBy != taker {
			t.Errorf("locked_by %d, want the taker %d", *got[0].LockedBy, taker)
		}
	})
}

func TestEnqueueDedupeKey(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		key := "reminder:1:2026-11"
		now := time.Now()
		row := func() []models.Outbox {
			return []models.Outbox{{Channel: "c", Recipient: "r", Payload: "{}", Status: models.OutboxPending, NextAttemptAt: now, CreatedAt: now, DedupeKey: &key}}
		}
		if err := models.Enqueue(db, row()); err != nil {
			t.Fatal(err)
		}
		if err := models.Enqueue(db, row()); err != nil {
			t.Fatal(err)
		}
		var n int64
		models.Gorm(db).Model(&models.Outbox{}).Count(&n)
		if n != 1 {
			t.Fatalf("%d rows, want 1", n)
		}
	})
}

func TestSealer(t *testing.T) {
	key, err := models.ParseKey(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := models.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	a, b := s.Seal("3201011203900001"), s.Seal("3201011203900001")
	if string(a) == string(b) {
		t.Fatal("two seals of one value must differ (random nonce)")
	}
	if strings.Contains(string(a), "3201011203900001") {
		t.Fatal("plaintext visible in the sealed value")
	}
	if got, err := s.Open(a); err != nil || got != "3201011203900001" {
		t.Fatalf("open = %q, %v", got, err)
	}
	a[len(a)-1] ^= 1
	if _, err := s.Open(a); err == nil {
		t.Fatal("a tampered value must not open")
	}
	if h := s.Hash("x"); h != s.Hash("x") || h == s.Hash("y") {
		t.Fatal("hash must be deterministic and distinguish values")
	}
	other, _ := models.NewSealer(make([]byte, 32))
	if other.Hash("x") == s.Hash("x") {
		t.Fatal("hash must depend on the key")
	}
	if _, err := models.ParseKey("short"); err == nil {
		t.Fatal("a short key must be refused")
	}
}

func TestMasks(t *testing.T) {
	if got := models.MaskNIK("3201011203900001"); got != "3201********0001" {
		t.Errorf("MaskNIK = %q", got)
	}
	if got := models.MaskPhone("+6281234567890"); got != "+62812*****890" {
		t.Errorf("MaskPhone = %q", got)
	}
	for _, short := range []string{"", "123", "+62812"} {
		if got := models.MaskPhone(short); strings.ContainsAny(got, "0123456789") {
			t.Errorf("MaskPhone(%q) = %q shows digits", short, got)
		}
	}
}

func TestPrune(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		recent := old.AddDate(0, 2, 0)
		for i, r := range []struct {
			status string
			at     time.Time
		}{{models.OutboxSent, old}, {models.OutboxFailed, old}, {models.OutboxPending, old}, {models.OutboxSent, recent}} {
			if err := models.Enqueue(db, []models.Outbox{{Channel: "c", Recipient: "r", Payload: "{}", Status: r.status, NextAttemptAt: r.at, CreatedAt: r.at}}); err != nil {
				t.Fatal(err)
			}
			tx, conv, _, err := models.BeginMessage(context.Background(), db, models.InboundMessage{Channel: "c", ExternalID: string(rune('a' + i)), ChatID: "chat", Now: r.at})
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(context.Background(), conv, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		n, err := models.Prune(db, old.AddDate(0, 1, 0))
		if err != nil || n != 5 {
			t.Fatalf("pruned %d, %v; want 2 settled outbox rows and 3 old inbound records", n, err)
		}
		var left []models.Outbox
		models.Gorm(db).Order("id").Find(&left)
		if len(left) != 2 || left[0].Status != models.OutboxPending {
			t.Fatalf("left %+v: a pending row is never pruned, however old", left)
		}
	})
}
