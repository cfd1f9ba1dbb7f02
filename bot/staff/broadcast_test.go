package staff_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/staff"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// worker is one chat of the fixture.
type worker struct {
	channel, chat string
	partner       string // partner code of the member's enrollment; "" for none
	occupation    string
	province      string
	regency       string
	lang          string
	optedOut      bool
	unreachable   bool
	erased        bool
	member        bool   // has a member with an enrollment
	flow          string // the conversation's flow ("signup": started sign-up)
	signedUp      time.Time
}

// people is the fixture: who exists, and what each segment must count.
var people = []worker{
	{channel: "telegram", chat: "101", partner: "ansor_jateng", occupation: "ojol", province: "33", regency: "3374", lang: "id", member: true, signedUp: day(1)},
	{channel: "telegram", chat: "102", partner: "ansor_jateng", occupation: "pedagang", province: "33", regency: "3374", lang: "en", member: true, signedUp: day(5)},
	{channel: "whatsapp", chat: "6281200000103", partner: "ansor_jateng", occupation: "ojol", province: "33", regency: "3301", lang: "id", member: true, signedUp: day(10)},
	{channel: "telegram", chat: "104", partner: "karang_taruna", occupation: "ojol", province: "32", regency: "3201", lang: "id", member: true, signedUp: day(2)},
	{channel: "whatsapp", chat: "6281200000105", partner: "karang_taruna", occupation: "nelayan", province: "32", regency: "3201", lang: "id", member: true, signedUp: day(3)},
	{channel: "telegram", chat: "106", occupation: "ojol", province: "32", regency: "3273", lang: "id", member: true, signedUp: day(4)},
	{channel: "telegram", chat: "107", partner: "ansor_jateng", occupation: "ojol", province: "33", regency: "3374", lang: "id", member: true, optedOut: true, signedUp: day(1)},
	{channel: "telegram", chat: "108", partner: "ansor_jateng", occupation: "ojol", province: "33", regency: "3374", lang: "id", member: true, unreachable: true, signedUp: day(1)},
	{channel: "telegram", chat: "109", partner: "ansor_jateng", occupation: "ojol", province: "33", regency: "", lang: "id", member: true, erased: true, signedUp: day(1)},
	{channel: "telegram", chat: "110", lang: "id", flow: "signup"},
	{channel: "whatsapp", chat: "6281200000111", lang: "en", flow: "signup"},
	{channel: "telegram", chat: "112", lang: "id"}, // wrote once, never started sign-up
}

func day(n int) time.Time { return time.Date(2026, 10, n, 5, 0, 0, 0, time.UTC) }

func (w *world) seed(t *testing.T) {
	t.Helper()
	partners := map[string]int64{"ansor_jateng": w.ansorID, "karang_taruna": w.tarunaID}
	now := w.clock.Now()
	for i, p := range people {
		var memberID *int64
		if p.member {
			m := models.Member{FullName: fmt.Sprintf("Pekerja %d", i), Phone: fmt.Sprintf("+6281200000%03d", i), Occupation: p.occupation,
				ProvinceCode: p.province, RegencyCode: p.regency, Lang: p.lang, OptedOut: p.optedOut, CreatedAt: p.signedUp, UpdatedAt: p.signedUp,
				NIKEnc: w.sealer.Seal(fmt.Sprintf("33740101900%05d", i)), NIKHash: w.sealer.Hash(fmt.Sprintf("33740101900%05d", i))}
			if p.erased {
				m.ErasedAt = &now
				m.NIKEnc, m.NIKHash = nil, ""
			}
			modeltest.Insert(t, w.db, &m)
			e := models.Enrollment{MemberID: m.ID, Package: "jkk_jkm", DeclaredIncome: 1000000, PaymentMonths: 1, Status: models.EnrollmentActive,
				MonthlyPremium: 16800, PeriodPremium: 16800, Channel: p.channel, CreatedAt: p.signedUp, UpdatedAt: p.signedUp}
			if id, ok := partners[p.partner]; ok {
				e.PartnerID = &id
			}
			modeltest.Insert(t, w.db, &e)
			memberID = &m.ID
		}
		if !p.erased {
			modeltest.Insert(t, w.db, &models.ChannelContact{Channel: p.channel, ChatID: p.chat, MemberID: memberID, OptedOut: p.optedOut,
				Unreachable: p.unreachable, FirstSeenAt: now.Add(-48 * time.Hour), LastInboundAt: now.Add(-48 * time.Hour)})
		}
		modeltest.Insert(t, w.db, &models.Conversation{Channel: p.channel, ChatID: p.chat, MemberID: memberID, Flow: p.flow, Lang: p.lang,
			Slots: "{}", Stack: "[]", Choices: "[]", CreatedAt: now, UpdatedAt: now})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestSegmentCounts(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		w.seed(t)
		for _, c := range []struct {
			name string
			seg  models.Segment
			as   staff.Actor
			// want: recipients by channel; opted out and unreachable in all
			want          map[string]int64
			optedOut, unr int64
		}{
			{"everyone", models.Segment{}, w.plain, map[string]int64{"telegram": 6, "whatsapp": 3}, 1, 1},
			{"telegram", models.Segment{Channels: []string{"telegram"}}, w.plain, map[string]int64{"telegram": 6}, 1, 1},
			{"partner code", models.Segment{Partners: []string{"ANSOR_JATENG"}}, w.plain, map[string]int64{"telegram": 2, "whatsapp": 1}, 1, 1},
			{"occupation", models.Segment{Occupations: []string{"ojol"}}, w.plain, map[string]int64{"telegram": 3, "whatsapp": 1}, 1, 1},
			{"province", models.Segment{Provinces: []string{"32"}}, w.plain, map[string]int64{"telegram": 2, "whatsapp": 1}, 0, 0},
			{"regency", models.Segment{Regencies: []string{"3374", "3301"}}, w.plain, map[string]int64{"telegram": 2, "whatsapp": 1}, 1, 1},
			{"english", models.Segment{Langs: []string{"en"}}, w.plain, map[string]int64{"telegram": 1, "whatsapp": 1}, 0, 0},
			{"signed up 2–5 Oct", models.Segment{SignedUpFrom: ptr(day(2)), SignedUpTo: ptr(day(5))}, w.plain, map[string]int64{"telegram": 3, "whatsapp": 1}, 0, 0},
			{"unfinished", models.Segment{Unfinished: true}, w.plain, map[string]int64{"telegram": 1, "whatsapp": 1}, 0, 0},
			{"combined", models.Segment{Channels: []string{"telegram"}, Occupations: []string{"ojol"}, Provinces: []string{"33"}}, w.plain, map[string]int64{"telegram": 1}, 1, 1},
			{"coverage: sponsored", models.Segment{Coverage: []string{"sponsored"}}, w.plain, map[string]int64{"telegram": 1, "whatsapp": 1}, 0, 0},
			{"coverage: pending", models.Segment{Coverage: []string{"pending"}}, w.plain, map[string]int64{"telegram": 3, "whatsapp": 1}, 1, 1},
			{"coverage: arrears", models.Segment{Coverage: []string{"arrears", "lapsed"}}, w.plain, map[string]int64{}, 0, 0},
			// Partner staff reach their own partner's workers, whatever the segment asks.
			{"partner staff", models.Segment{}, w.ansor, map[string]int64{"telegram": 2, "whatsapp": 1}, 1, 1},
			{"partner staff asking for another partner", models.Segment{Partners: []string{"karang_taruna"}}, w.ansor, map[string]int64{}, 0, 0},
			{"other partner staff", models.Segment{}, w.taruna, map[string]int64{"telegram": 1, "whatsapp": 1}, 0, 0},
		} {
			t.Run(c.name, func(t *testing.T) {
				counts, err := w.svc.CountSegment(ctx, c.as, c.seg)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]int64{}
				var opted, unr int64
				for _, n := range counts {
					if n.Recipients > 0 {
						got[n.Channel] = n.Recipients
					}
					opted += n.OptedOut
					unr += n.Unreachable
				}
				if fmt.Sprint(got) != fmt.Sprint(c.want) || opted != c.optedOut || unr != c.unr {
					t.Errorf("got %v opted out %d unreachable %d, want %v %d %d", got, opted, unr, c.want, c.optedOut, c.unr)
				}
			})
		}
	})
}

// outboxOf lists a broadcast's rows.
func outboxOf(t *testing.T, db *models.DB, id int64) []models.Outbox {
	t.Helper()
	return modeltest.Rows[models.Outbox](t, db, "broadcast_id = ?", id)
}

func TestBroadcastFanOut(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		w.seed(t)
		w.svc.Config.FanOutBatch = 3
		b, err := w.svc.CreateBroadcast(ctx, w.plain, staff.Draft{TextID: "Ada sosialisasi BPJS di balai desa Sabtu ini.",
			TextEN: "BPJS info session at the village hall on Saturday.", Buttons: []string{"daftar", "bayar"}})
		must(t, err)
		if _, err := w.svc.ConfirmBroadcast(ctx, w.plain, b.ID, nil); !errors.Is(err, staff.ErrInvalid) {
			t.Fatalf("confirm before preview: %v", err)
		}
		w.svc.Config.WhatsAppBulkPerMinute, w.svc.Config.WhatsAppBulkJitter = 3, 10*time.Second
		p, err := w.svc.PreviewBroadcast(ctx, w.plain, b.ID)
		must(t, err)
		if p.Recipients != 9 || p.OptedOut != 1 || p.Unreachable != 1 {
			t.Fatalf("preview: %+v", p)
		}
		// Three WhatsApp chats at 3 a minute with up to 10 s of jitter: two gaps of 25 s.
		if p.WhatsAppTime != 50*time.Second {
			t.Errorf("WhatsApp part takes %s, want 50s", p.WhatsAppTime)
		}
		for _, m := range p.Messages {
			if !strings.HasSuffix(m.Text, stopLine(m.Lang)) {
				t.Errorf("%s message without the stop line: %q", m.Lang, m.Text)
			}
		}
		_, err = w.svc.ConfirmBroadcast(ctx, w.plain, b.ID, nil)
		must(t, err)
		// A fan-out interrupted after its first batch (a process killed), then run again, and
		// again: every recipient once.
		cctx, cancel := context.WithCancel(ctx)
		w.svc.Notify = func(string) { cancel() }
		if n, err := w.svc.FanOut(cctx, b.ID); !errors.Is(err, context.Canceled) || n != 3 {
			t.Fatalf("interrupted fan-out: %d %v", n, err)
		}
		w.svc.Notify = nil
		if n, err := w.svc.FanOut(ctx, b.ID); err != nil || n != 6 {
			t.Fatalf("fan-out: %d %v", n, err)
		}
		if n, err := w.svc.FanOut(ctx, b.ID); err != nil || n != 0 {
			t.Fatalf("fan-out again: %d %v", n, err)
		}
		rows := outboxOf(t, db, b.ID)
		seen := map[string]bool{}
		for _, r := range rows {
			key := r.Channel + ":" + r.Recipient
			if seen[key] {
				t.Errorf("%s got it twice", key)
			}
			seen[key] = true
			if r.Priority != models.PriorityBulk {
				t.Errorf("priority %d", r.Priority)
			}
		}
		if len(rows) != 9 {
			t.Fatalf("rows: %d, want 9", len(rows))
		}
		for _, chat := range []string{"107", "108", "109"} {
			if seen["telegram:"+chat] {
				t.Errorf("chat %s (opted out, unreachable or erased) was included", chat)
			}
		}
		// The English-speaking chat on Telegram has buttons; the WhatsApp one, words to type.
		var tg, wa bot.Reply
		for _, r := range rows {
			switch r.Recipient {
			case "102":
				_ = models.DecodeJSON(r.Payload, &tg)
			case "6281200000111":
				_ = models.DecodeJSON(r.Payload, &wa)
			}
		}
		if !strings.HasPrefix(tg.Text, "BPJS info session") || len(tg.Choices) != 2 || tg.Choices[0].Value != "menu:daftar" {
			t.Errorf("telegram, English: %+v", tg)
		}
		if !strings.HasPrefix(wa.Text, "BPJS info session") || len(wa.Choices) != 0 || !strings.Contains(wa.Text, "DAFTAR") {
			t.Errorf("whatsapp, English: %+v", wa)
		}
		mb, _ := models.FindBroadcast(db, b.ID)
		if mb.FannedOutAt == nil || mb.Queued != 9 || mb.SkippedOptedOut != 1 || mb.SkippedUnreachable != 1 {
			t.Errorf("broadcast after fan-out: %+v", mb)
		}
	})
}

func stopLine(lang string) string {
	if lang == "en" {
		return "Don't want announcements any more? Reply BERHENTI."
	}
	return "Tidak mau menerima pengumuman lagi? Balas BERHENTI."
}

// TestBroadcastCancelMidway: a cancel while sending drops what no sender has taken, keeps what
// went, and stops the fan-out.
func TestBroadcastCancelMidway(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		w.seed(t)
		w.svc.Config.FanOutBatch = 4
		b, err := w.svc.CreateBroadcast(ctx, w.admin, staff.Draft{TextID: "Pengumuman."})
		must(t, err)
		_, err = w.svc.PreviewBroadcast(ctx, w.admin, b.ID)
		must(t, err)
		_, err = w.svc.ConfirmBroadcast(ctx, w.admin, b.ID, nil)
		must(t, err)
		mb, _ := models.FindBroadcast(db, b.ID)
		_, err = models.FanOutBatch(db, mb, b.Draft.Segment, models.BroadcastPayloads{ID: `{"text":"x"}`, EN: `{"text":"x"}`, IDPlain: `{"text":"x"}`, ENPlain: `{"text":"x"}`, Now: w.clock.Now()}, 4, time.UTC)
		must(t, err)
		rows := outboxOf(t, db, b.ID)
		if len(rows) == 0 || len(rows) >= 9 {
			t.Fatalf("first batch: %d rows", len(rows))
		}
		// One sent, one being sent, the rest waiting.
		modeltest.Exec(t, db, "UPDATE outbox SET status = ?, sent_at = ? WHERE id = ?", models.OutboxSent, w.clock.Now(), rows[0].ID)
		modeltest.Exec(t, db, "UPDATE outbox SET status = ? WHERE id = ?", models.OutboxSending, rows[1].ID)
		// Another partner's staff cannot cancel it; its own partner could not see it either.
		if _, err := w.svc.CancelBroadcast(ctx, w.ansor, b.ID); err == nil {
			t.Fatal("partner staff cancelled an admin's broadcast")
		}
		rep, err := w.svc.CancelBroadcast(ctx, w.plain, b.ID)
		must(t, err)
		if rep.Sent != 1 || rep.Pending != 1 || rep.SkippedCancelled != int64(len(rows)-2) {
			t.Errorf("report after cancel: %+v", rep)
		}
		if n, err := w.svc.FanOut(ctx, b.ID); err != nil || n != 0 {
			t.Errorf("fan-out after cancel: %d %v", n, err)
		}
		if got := len(outboxOf(t, db, b.ID)); got != len(rows) {
			t.Errorf("rows after cancel: %d, want %d", got, len(rows))
		}
		if _, err := w.svc.CancelBroadcast(ctx, w.plain, b.ID); !errors.Is(err, staff.ErrState) {
			t.Errorf("cancel twice: %v", err)
		}
	})
}

// TestBroadcastRoleBoundaries: partner staff reach only their partner's workers and broadcasts.
func TestBroadcastRoleBoundaries(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		w.seed(t)
		b, err := w.svc.CreateBroadcast(ctx, w.ansor, staff.Draft{TextID: "Info Ansor.", Segment: models.Segment{Partners: []string{"karang_taruna"}}})
		must(t, err)
		if b.PartnerID == nil || *b.PartnerID != w.ansorID {
			t.Fatalf("a partner's broadcast is not kept to the partner: %+v", b.Broadcast)
		}
		other, err := w.svc.CreateBroadcast(ctx, w.taruna, staff.Draft{TextID: "Info Taruna."})
		must(t, err)
		for name, call := range map[string]func() error{
			"preview": func() error { _, err := w.svc.PreviewBroadcast(ctx, w.ansor, other.ID); return err },
			"confirm": func() error { _, err := w.svc.ConfirmBroadcast(ctx, w.ansor, other.ID, nil); return err },
			"report":  func() error { _, err := w.svc.BroadcastReport(ctx, w.ansor, other.ID); return err },
			"cancel":  func() error { _, err := w.svc.CancelBroadcast(ctx, w.ansor, other.ID); return err },
			"get":     func() error { _, err := w.svc.GetBroadcast(ctx, w.ansor, other.ID); return err },
		} {
			if err := call(); !errors.Is(err, staff.ErrNotFound) {
				t.Errorf("%s another partner's broadcast: %v", name, err)
			}
		}
		list, err := w.svc.ListBroadcasts(ctx, w.ansor, 10)
		must(t, err)
		if len(list) != 1 || list[0].ID != b.ID {
			t.Errorf("partner staff list: %d broadcasts", len(list))
		}
		all, err := w.svc.ListBroadcasts(ctx, w.plain, 10)
		must(t, err)
		if len(all) != 2 {
			t.Errorf("staff list: %d broadcasts", len(all))
		}
		// Workers: partner staff see their own; the admin alone reveals.
		ws, err := w.svc.Workers(ctx, w.ansor, staff.WorkerQuery{})
		must(t, err)
		if len(ws) != 4 { // 101, 102, 103, 107 (opted out), 108 (unreachable): members of Ansor, not erased
			if len(ws) != 5 {
				t.Errorf("partner staff see %d workers", len(ws))
			}
		}
		for _, x := range ws {
			if x.Partner != "ansor_jateng" || !strings.Contains(x.NIK, "****") || !strings.Contains(x.Phone, "***") {
				t.Errorf("worker as partner staff see them: %+v", x)
			}
		}
		taruna, err := w.svc.Workers(ctx, w.taruna, staff.WorkerQuery{})
		must(t, err)
		if _, err := w.svc.RevealWorker(ctx, w.plain, taruna[0].MemberID, "cek"); !errors.Is(err, staff.ErrForbidden) {
			t.Errorf("staff revealed: %v", err)
		}
		rev, err := w.svc.RevealWorker(ctx, w.admin, taruna[0].MemberID, "verifikasi klaim")
		must(t, err)
		if len(rev.NIK) != 16 || strings.Contains(rev.Phone, "*") {
			t.Errorf("revealed: %+v", rev)
		}
		entry := modeltest.One[models.AuditEntry](t, db, "action = 'workers.reveal'")
		if entry.StaffID == nil || *entry.StaffID != w.admin.ID || strings.Contains(entry.Detail, rev.NIK) || entry.Recipients != 1 {
			t.Errorf("reveal audit: %+v", entry)
		}
	})
}

// TestBroadcastReportOutlivesItsRows: watching a broadcast send stores nothing; once done, its
// report is stored, and it is what staff read after the outbox rows are pruned.
func TestBroadcastReportOutlivesItsRows(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		w.seed(t)
		b, err := w.svc.CreateBroadcast(ctx, w.admin, staff.Draft{TextID: "Pengumuman."})
		must(t, err)
		_, err = w.svc.PreviewBroadcast(ctx, w.admin, b.ID)
		must(t, err)
		_, err = w.svc.ConfirmBroadcast(ctx, w.admin, b.ID, nil)
		must(t, err)
		_, err = w.svc.FanOut(ctx, b.ID)
		must(t, err)
		rows := outboxOf(t, db, b.ID)
		modeltest.Exec(t, db, "UPDATE outbox SET status = ?, sent_at = ? WHERE id = ?", models.OutboxSent, w.clock.Now(), rows[0].ID)
		rep, err := w.svc.BroadcastProgress(ctx, w.admin, b.ID)
		must(t, err)
		if rep.Broadcast.Status != models.BroadcastSending || rep.Sent != 1 || rep.Pending != int64(len(rows)-1) {
			t.Fatalf("while sending: %+v", rep)
		}
		if mb, _ := models.FindBroadcast(db, b.ID); mb.Report != "{}" {
			t.Errorf("a report stored while sending: %s", mb.Report)
		}
		modeltest.Exec(t, db, "UPDATE outbox SET status = ?, sent_at = ? WHERE broadcast_id = ?", models.OutboxSent, w.clock.Now(), b.ID)
		rep, err = w.svc.BroadcastProgress(ctx, w.admin, b.ID)
		must(t, err)
		if rep.Broadcast.Status != models.BroadcastDone || rep.Sent != int64(len(rows)) || rep.Pending != 0 {
			t.Fatalf("the last refresh: %+v", rep)
		}
		modeltest.Exec(t, db, "DELETE FROM outbox WHERE broadcast_id = ?", b.ID)
		rep, err = w.svc.BroadcastReport(ctx, w.admin, b.ID)
		must(t, err)
		if rep.Broadcast.Status != models.BroadcastDone || rep.Sent != int64(len(rows)) || rep.Queued != int64(len(rows)) {
			t.Errorf("after the rows were pruned: %+v", rep)
		}
	})
}
