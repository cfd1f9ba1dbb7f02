package staff_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"bpubot/bot/staff"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

var ctx = context.Background()

// world is a service on a fresh database with two partners, an admin, a staff member and one
// partner staff member of each partner.
type world struct {
	db                  *models.DB
	svc                 *staff.Service
	clock               *flowtest.Clock
	op                  staff.Actor
	admin, plain, ansor staff.Actor
	taruna              staff.Actor
	ansorID, tarunaID   int64
	sealer              *models.Sealer
}

func newWorld(t *testing.T, db *models.DB) *world {
	t.Helper()
	clock := flowtest.NewClock(flowtest.Start)
	key, _ := models.ParseKey(models.NewKey())
	sealer, _ := models.NewSealer(key)
	w := &world{db: db, clock: clock, op: staff.Operator(), sealer: sealer}
	w.svc = &staff.Service{DB: db, Clock: clock, Sealer: sealer, Log: slog.New(slog.DiscardHandler), Config: staff.Config{Location: time.UTC, HandoffTimeout: 24 * time.Hour,
		PlainChannels: []string{"whatsapp", "console"}, StaffChannel: "telegram", StaffChat: "-100777", StaffLang: "id"}}
	pa, err := w.svc.AddPartner(ctx, w.op, "ansor_jateng", "GP Ansor Jawa Tengah", false, false)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := w.svc.AddPartner(ctx, w.op, "karang_taruna", "Karang Taruna", true, false)
	if err != nil {
		t.Fatal(err)
	}
	w.ansorID, w.tarunaID = pa.ID, pb.ID
	add := func(name, role, partner string, tg int64) staff.Actor {
		st, err := w.svc.AddStaff(ctx, w.op, staff.NewStaff{Name: name, Role: role, PartnerCode: partner, TelegramUserID: tg})
		if err != nil {
			t.Fatalf("add %s: %v", name, err)
		}
		return staff.ActorOf(*st, staff.ViaTelegram)
	}
	w.admin = add("Admin Kantor", models.RoleAdmin, "", 1001)
	w.plain = add("Siti", models.RoleStaff, "", 1002)
	w.ansor = add("Ansor Satu", models.RolePartner, "ansor_jateng", 1003)
	w.taruna = add("Taruna Satu", models.RolePartner, "karang_taruna", 1004)
	return w
}

func TestStaffManagementRoles(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		for _, c := range []struct {
			name string
			a    staff.Actor
			ok   bool
		}{
			{"operator", w.op, true}, {"admin", w.admin, true}, {"staff", w.plain, false}, {"partner", w.ansor, false},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := w.svc.AddStaff(ctx, c.a, staff.NewStaff{Name: "Baru " + c.name, Role: models.RoleStaff})
				if c.ok != (err == nil) || (!c.ok && !errors.Is(err, staff.ErrForbidden)) {
					t.Fatalf("add: %v", err)
				}
				_, err = w.svc.ListStaff(ctx, c.a)
				if c.ok != (err == nil) {
					t.Fatalf("list: %v", err)
				}
				_, err = w.svc.IssueToken(ctx, c.a, "Admin Kantor")
				if c.ok != (err == nil) {
					t.Fatalf("token for someone else: %v", err)
				}
			})
		}
		// Anyone may set their own password and token.
		if err := w.svc.SetPassword(ctx, w.ansor, "Ansor Satu", "rahasia-panjang"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.IssueToken(ctx, w.ansor, "Ansor Satu"); err != nil {
			t.Fatal(err)
		}
		denied := modeltest.Count[models.AuditEntry](t, db, "action = 'denied'")
		if denied != 6 { // staff and partner, three refusals each
			t.Errorf("denied attempts audited: %d, want 6", denied)
		}
	})
}

func TestStaffValidation(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		for _, c := range []struct {
			in  staff.NewStaff
			key string
		}{
			{staff.NewStaff{Name: " ", Role: "staff"}, "staff.bad_name"},
			{staff.NewStaff{Name: "X", Role: "boss"}, "staff.bad_role"},
			{staff.NewStaff{Name: "X", Role: "partner"}, "staff.partner_required"},
			{staff.NewStaff{Name: "X", Role: "partner", PartnerCode: "nope"}, "staff.partner_unknown"},
			{staff.NewStaff{Name: "X", Role: "staff", PartnerCode: "ansor_jateng"}, "staff.partner_only_for_partner"},
			{staff.NewStaff{Name: "siti", Role: "staff"}, "staff.exists"},
			{staff.NewStaff{Name: "Y", Role: "staff", TelegramUserID: 1002}, "staff.exists"},
		} {
			_, err := w.svc.AddStaff(ctx, w.op, c.in)
			var inv *staff.InvalidError
			if !errors.As(err, &inv) || inv.Key != c.key {
				t.Errorf("%+v: %v, want %s", c.in, err, c.key)
			}
		}
		if err := w.svc.SetPassword(ctx, w.op, "Siti", "pendek"); err == nil {
			t.Error("a short password was accepted")
		}
	})
}

func TestSignInTokenAndDisable(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		if err := w.svc.SetPassword(ctx, w.op, "Siti", "kata-sandi-siti"); err != nil {
			t.Fatal(err)
		}
		hash := modeltest.One[models.Staff](t, db, "name = 'Siti'").PasswordHash
		if hash == "" || hash == "kata-sandi-siti" || hash[:9] != "$argon2id" {
			t.Fatalf("stored password: %q", hash)
		}
		a, err := w.svc.Login(ctx, "siti", "kata-sandi-siti")
		if err != nil || a.ID != w.plain.ID || a.Via != staff.ViaConsole {
			t.Fatalf("login: %+v %v", a, err)
		}
		if _, err := w.svc.Login(ctx, "Siti", "salah-sandi-nya"); !errors.Is(err, staff.ErrBadLogin) {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := w.svc.Login(ctx, "Admin Kantor", "apa saja boleh"); !errors.Is(err, staff.ErrBadLogin) {
			t.Fatalf("no password set: %v", err)
		}
		tok, err := w.svc.IssueToken(ctx, w.op, "Siti")
		if err != nil {
			t.Fatal(err)
		}
		stored := *modeltest.One[models.Staff](t, db, "name = 'Siti'").TokenHash
		if stored == tok || len(stored) != 64 {
			t.Fatalf("token stored as %q", stored)
		}
		if a, err := w.svc.ActorByToken(ctx, tok); err != nil || a.ID != w.plain.ID || a.Via != staff.ViaAPI {
			t.Fatalf("by token: %+v %v", a, err)
		}
		if _, err := w.svc.ActorByToken(ctx, tok+"0"); !errors.Is(err, staff.ErrNotStaff) {
			t.Fatalf("wrong token: %v", err)
		}
		if !w.svc.IsStaffTelegram(ctx, 1002) || w.svc.IsStaffTelegram(ctx, 5555) {
			t.Fatal("staff Telegram ids")
		}
		if _, err := w.svc.SetDisabled(ctx, w.op, "Siti", true); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.ActorByToken(ctx, tok); !errors.Is(err, staff.ErrNotStaff) {
			t.Errorf("a disabled member's token still works: %v", err)
		}
		if _, err := w.svc.Login(ctx, "Siti", "kata-sandi-siti"); !errors.Is(err, staff.ErrBadLogin) {
			t.Errorf("a disabled member signs in: %v", err)
		}
		if _, err := w.svc.ActorByTelegram(ctx, 1002); !errors.Is(err, staff.ErrNotStaff) {
			t.Errorf("a disabled member's Telegram: %v", err)
		}
		if w.svc.IsStaffTelegram(ctx, 1002) {
			t.Error("a disabled member is still staff on Telegram")
		}
	})
}
