package models_test

import (
	"testing"
	"time"

	"bpubot/models"
	"bpubot/models/modeltest"
)

func TestContactStanding(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		now := time.Now().UTC().Truncate(time.Second)
		member := models.Member{FullName: "Budi", OptedOut: true, CreatedAt: now, UpdatedAt: now}
		if err := models.Gorm(db).Create(&member).Error; err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ chat string }{{"plain"}, {"optout"}, {"member"}, {"blocked"}} {
			var id *int64
			if c.chat == "member" {
				id = &member.ID
			}
			if err := models.TouchContact(db, "wa", c.chat, id, now); err != nil {
				t.Fatal(err)
			}
		}
		models.Gorm(db).Exec(`UPDATE channel_contacts SET opted_out = TRUE WHERE chat_id = 'optout'`)
		if err := models.MarkUnreachable(db, "wa", "blocked", "403", now); err != nil {
			t.Fatal(err)
		}
		for chat, want := range map[string]models.ContactStanding{
			"stranger": {},
			"plain":    {WroteFirst: true, LastInbound: now},
			"optout":   {WroteFirst: true, OptedOut: true, LastInbound: now},
			"member":   {WroteFirst: true, OptedOut: true, LastInbound: now},
			"blocked":  {WroteFirst: true, Unreachable: true, LastInbound: now},
		} {
			got, err := models.ContactStandingOf(db, "wa", chat)
			got.LastInbound = got.LastInbound.UTC()
			if err != nil || got != want {
				t.Errorf("%s: %+v, %v; want %+v", chat, got, err, want)
			}
		}
	})
}

func TestWhatsAppStateAndPauses(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		now := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
		if _, ok, err := models.LastWhatsAppState(db); ok || err != nil {
			t.Fatalf("a state before any: %v, %v", ok, err)
		}
		for _, s := range []string{"connecting", "connected"} {
			if err := models.SaveWhatsAppState(db, models.WhatsAppState{State: s, Detail: "d", UpdatedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		if s, ok, err := models.LastWhatsAppState(db); !ok || err != nil || s.State != "connected" || !s.UpdatedAt.Equal(now) {
			t.Fatalf("state %+v, %v, %v", s, ok, err)
		}
		if _, ok, err := models.LatestWhatsAppPause(db, now); ok || err != nil {
			t.Fatalf("a pause before any: %v, %v", ok, err)
		}
		for _, h := range []int{5, 2} {
			if err := models.AddWhatsAppPause(db, models.WhatsAppPause{Reason: "ban", StartAt: now, Until: now.Add(time.Duration(h) * time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		p, ok, err := models.LatestWhatsAppPause(db, now.Add(3*time.Hour))
		if !ok || err != nil || !p.Until.Equal(now.Add(5*time.Hour)) || p.Reason != "ban" {
			t.Fatalf("pause %+v, %v, %v; want the one that ends last", p, ok, err)
		}
		if _, ok, _ := models.LatestWhatsAppPause(db, now.Add(6*time.Hour)); ok {
			t.Fatal("a pause that ended still holds")
		}
	})
}
