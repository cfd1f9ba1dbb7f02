package staff_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"bpubot/bot/staff"
	"bpubot/models"
	"bpubot/models/modeltest"
)

func TestDashboard(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		w.seed(t)
		now := w.clock.Now()
		for _, c := range []models.Conversation{
			{Channel: "telegram", ChatID: "201", Flow: "signup", State: "nik", Slots: `{"name":"Budi"}`},
			{Channel: "telegram", ChatID: "202", Flow: "menu", Slots: `{"_saved_signup":"income","link_partner":"ansor_jateng"}`},
		} {
			c.Stack, c.Choices, c.Lang, c.CreatedAt, c.UpdatedAt = "[]", "[]", "id", now, now
			modeltest.Insert(t, db, &c)
		}
		reached := func(d *staff.Dashboard, step string) (int64, int64) {
			for _, f := range d.Funnel {
				if f.Step == step {
					return f.Reached, f.At
				}
			}
			t.Fatalf("no step %s in the funnel", step)
			return 0, 0
		}
		for _, c := range []struct {
			name                     string
			as                       staff.Actor
			members, consent, income int64
			partners                 map[string]int64
		}{
			// Nine members signed up (one erased since, still counted); two chats are on the way.
			{"staff", w.plain, 9, 11, 10, map[string]int64{"ansor_jateng": 6, "karang_taruna": 2, "": 1}},
			{"partner staff", w.ansor, 6, 7, 7, map[string]int64{"ansor_jateng": 6}},
			{"other partner staff", w.taruna, 2, 2, 2, map[string]int64{"karang_taruna": 2}},
		} {
			t.Run(c.name, func(t *testing.T) {
				d, err := w.svc.Dashboard(ctx, c.as, 60)
				must(t, err)
				if d.Members != c.members || d.Finished != c.members {
					t.Errorf("members %d, finished %d; want %d", d.Members, d.Finished, c.members)
				}
				if r, _ := reached(d, "consent"); r != c.consent {
					t.Errorf("reached consent: %d, want %d", r, c.consent)
				}
				if r, _ := reached(d, "income"); r != c.income {
					t.Errorf("reached income: %d, want %d", r, c.income)
				}
				got := map[string]int64{}
				for _, k := range d.ByPartner {
					got[k.Key] = k.N
				}
				if len(got) != len(c.partners) {
					t.Errorf("by partner %v, want %v", got, c.partners)
				}
				for k, n := range c.partners {
					if got[k] != n {
						t.Errorf("by partner %v, want %v", got, c.partners)
					}
				}
				var covered, perDay int64
				for _, k := range d.Coverage {
					covered += k.N
				}
				for _, k := range d.PerDay {
					perDay += k.N
				}
				if covered != c.members || perDay != c.members {
					t.Errorf("coverage counts %d, per day %d; want %d each", covered, perDay, c.members)
				}
				if len(d.PerDay) != 60 || d.PerDay[59].Key != now.Format(time.DateOnly) {
					t.Errorf("%d days ending %s", len(d.PerDay), d.PerDay[len(d.PerDay)-1].Key)
				}
			})
		}
		if _, at := reached(must2(w.svc.Dashboard(ctx, w.plain, 7)), "nik"); at != 1 {
			t.Errorf("at the NIK question: %d, want 1", at)
		}
	})
}

func must2[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestWorkerPage(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		w.seed(t)
		m := modeltest.One[models.Member](t, db, "full_name = ?", "Pekerja 0")
		e := modeltest.One[models.Enrollment](t, db, "member_id = ?", m.ID)
		now := w.clock.Now()
		modeltest.Insert(t, db, &models.Payment{MemberID: m.ID, EnrollmentID: e.ID, FirstMonth: 202610, LastMonth: 202611, Amount: 16800,
			PaidAt: now, Source: models.PaymentStaff, Reference: "ref-1", Verified: true, CreatedAt: now})
		key := "reminder:1:2026-12"
		must(t, models.Enqueue(db, []models.Outbox{{Channel: "telegram", Recipient: "101", Priority: models.PriorityBulk, DedupeKey: &key,
			Payload: `{"text":"Iuran Desember jatuh tempo 15 Desember. NIK 3374010190000000"}`, NextAttemptAt: now, CreatedAt: now}}))
		must(t, models.CreateHandoff(db, &models.HandoffRequest{Channel: "telegram", ChatID: "101", MemberID: &m.ID, Question: "klaim?", CreatedAt: now}))

		p, err := w.svc.WorkerPage(ctx, w.ansor, m.ID)
		must(t, err)
		if p.Worker.Name != "Pekerja 0" || p.Worker.NIK != "3374********0000" || p.Worker.Phone == m.Phone {
			t.Errorf("worker %+v: NIK and phone must be masked", p.Worker)
		}
		if len(p.Enrollments) != 1 || p.Coverage == nil || len(p.Payments) != 1 || len(p.Handoffs) != 1 || len(p.Chats) != 1 {
			t.Fatalf("page: %d enrollments, coverage %v, %d payments, %d handoffs, %d chats",
				len(p.Enrollments), p.Coverage != nil, len(p.Payments), len(p.Handoffs), len(p.Chats))
		}
		if len(p.Messages) != 1 || p.Messages[0].Broadcast != nil || p.Messages[0].Text != "Iuran Desember jatuh tempo 15 Desember. NIK 3374*********000" {
			t.Errorf("messages %+v", p.Messages)
		}
		if p.Chats[0].Chat != "101" {
			t.Errorf("chat %q", p.Chats[0].Chat)
		}
		// Another partner's staff: not found, and the attempt audited.
		if _, err := w.svc.WorkerPage(ctx, w.taruna, m.ID); !errors.Is(err, staff.ErrNotFound) {
			t.Fatalf("another partner's worker: %v", err)
		}
		views := modeltest.Count[models.AuditEntry](t, db, "action = 'workers.view' AND target = ?", "member:"+itoa(m.ID))
		denied := modeltest.Count[models.AuditEntry](t, db, "action = 'denied' AND target = ?", "member:"+itoa(m.ID))
		if views != 1 || denied != 1 {
			t.Errorf("audit: %d views, %d refusals; want 1, 1", views, denied)
		}
	})
}

func TestActorByID(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		if _, err := w.svc.ActorByID(ctx, w.plain.ID); !errors.Is(err, staff.ErrNotStaff) {
			t.Fatalf("staff without a password: %v", err)
		}
		must(t, w.svc.SetPassword(ctx, w.op, "Siti", "kata-sandi-panjang"))
		a, err := w.svc.ActorByID(ctx, w.plain.ID)
		if err != nil || a.Name != "Siti" || a.Role != models.RoleStaff || a.Via != staff.ViaConsole {
			t.Fatalf("ActorByID = %+v, %v", a, err)
		}
		_, err = w.svc.SetDisabled(ctx, w.op, "Siti", true)
		must(t, err)
		if _, err := w.svc.ActorByID(ctx, w.plain.ID); !errors.Is(err, staff.ErrNotStaff) {
			t.Fatalf("disabled staff: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestWorkerSearchByMaskedPhone(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		w.seed(t)
		for _, c := range []struct {
			search string
			as     staff.Actor
			want   []string
		}{
			{"+62812*****003", w.plain, []string{"Pekerja 3"}}, // as the list shows it
			{"*004", w.plain, []string{"Pekerja 4"}},
			{"005", w.plain, []string{"Pekerja 5"}},
			{"+62812*****003", w.ansor, nil}, // another partner's worker
			{"+62812*****001", w.ansor, []string{"Pekerja 1"}},
			{"+62999*****001", w.plain, nil},
		} {
			ws, err := w.svc.Workers(ctx, c.as, staff.WorkerQuery{Search: c.search})
			must(t, err)
			var got []string
			for _, x := range ws {
				got = append(got, x.Name)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s as %s: %v, want %v", c.search, c.as.Name, got, c.want)
			}
		}
	})
}
