package models_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"bpubot/models"
	"bpubot/models/modeltest"
)

func TestSessionStore(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		s := &models.SessionStore{DB: db, Now: func() time.Time { return now }}
		if _, found, err := s.FindCtx(ctx, "nope"); err != nil || found {
			t.Fatalf("unknown token: found=%v err=%v", found, err)
		}
		if err := s.CommitCtx(ctx, "tok", []byte{1, 2, 0, 3}, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		// A second commit of the same token replaces its data and expiry.
		if err := s.CommitCtx(ctx, "tok", []byte("new"), now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		b, found, err := s.FindCtx(ctx, "tok")
		if err != nil || !found || !bytes.Equal(b, []byte("new")) {
			t.Fatalf("Find = %q, %v, %v", b, found, err)
		}
		now = now.Add(3 * time.Hour)
		if _, found, _ := s.FindCtx(ctx, "tok"); found {
			t.Fatal("an expired session was found")
		}
		if n, err := models.Prune(db, now); err != nil || n != 1 {
			t.Fatalf("Prune = %d, %v; want the expired session", n, err)
		}
		if err := s.CommitCtx(ctx, "tok2", []byte("x"), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCtx(ctx, "tok2"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCtx(ctx, "tok2"); err != nil {
			t.Fatalf("deleting a deleted session: %v", err)
		}
		if _, found, _ := s.FindCtx(ctx, "tok2"); found {
			t.Fatal("a deleted session was found")
		}
	})
}

func TestLoginFailures(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		for i, f := range []struct{ account, address string }{
			{"siti", "10.0.0.1"}, {"siti", "10.0.0.2"}, {"budi", "10.0.0.1"},
		} {
			if err := models.RecordLoginFailure(db, f.account, f.address, now.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		acc, addr, err := models.LoginFailures(db, "siti", "10.0.0.1", now.Add(-time.Minute))
		if err != nil || acc != 2 || addr != 2 {
			t.Fatalf("LoginFailures = %d by account, %d by address, %v; want 2, 2", acc, addr, err)
		}
		if acc, _, _ := models.LoginFailures(db, "siti", "10.0.0.1", now.Add(30*time.Second)); acc != 1 {
			t.Fatalf("failures since the first: %d, want 1", acc)
		}
		if err := models.ClearLoginFailures(db, "siti"); err != nil {
			t.Fatal(err)
		}
		acc, addr, _ = models.LoginFailures(db, "siti", "10.0.0.1", now.Add(-time.Minute))
		if acc != 0 || addr != 1 {
			t.Fatalf("after clearing: %d by account, %d by address; want 0, 1 (budi's)", acc, addr)
		}
		if n, err := models.Prune(db, now.Add(3*time.Minute)); err != nil || n != 1 {
			t.Fatalf("Prune = %d, %v; want budi's failure, the one left", n, err)
		}
	})
}
