package flows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

func say(t *testing.T, e *bot.Engine, chat string, msgs ...string) {
	t.Helper()
	for _, m := range msgs {
		id := fmt.Sprintf("%s-%d", chat, sayCounter)
		sayCounter++
		if _, err := e.Handle(context.Background(), bot.Inbound{Channel: "test", ChatID: chat, UserID: chat, ExternalID: id, Kind: bot.KindText, Text: m}); err != nil {
			t.Fatalf("%q: %v", m, err)
		}
	}
}

var sayCounter int

var fullSignup = []string{"daftar", "setuju", "Dedi Kurniawan", "3201011203900001", "ya", "081355556666", "petani", "jabar",
	"Garut", "lewati", "1000000", "1", "1", "konfirmasi"}

func TestEraseRemovesPersonalData(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		say(t, e, "w1", fullSignup...)
		say(t, e, "w1", "mau bicara dengan petugas", "NIK saya 3201011203900001 kok ditolak", "menu")
		say(t, e, "w1", "hapus data saya", "lanjut_hapus", "hapus_permanen")
		messages := modeltest.Count[models.HandoffMessage](t, db, "")
		if messages != 0 {
			t.Fatalf("%d messages added to a handoff request survive the erasure", messages)
		}

		m := modeltest.One[models.Member](t, db, "")
		if m.FullName != "" || m.Phone != "" || m.NIKEnc != nil || m.BirthDate != nil || m.City != "" || m.RegencyCode != "" || m.ErasedAt == nil ||
			m.Sex != "" || m.Lang != "" {
			t.Fatalf("member not anonymised: %+v", m)
		}
		// No time left on the member's rows matches the conversation's (which keeps the chat id)
		// or the audit entry's: nothing links the anonymous row back to the chat.
		conv := modeltest.One[models.Conversation](t, db, "")
		enr := modeltest.One[models.Enrollment](t, db, "")
		audits := modeltest.Rows[models.AuditEntry](t, db, "")
		chatTimes := []time.Time{conv.CreatedAt, conv.UpdatedAt}
		for _, at := range []time.Time{m.CreatedAt, m.UpdatedAt, *m.ErasedAt, enr.CreatedAt, enr.UpdatedAt, audits[0].CreatedAt} {
			if at.Truncate(24*time.Hour) != at {
				t.Errorf("a time of the erased member's rows keeps its hour: %s", at)
			}
			for _, c := range chatTimes {
				if at.Equal(c) {
					t.Errorf("erased member's time %s equals the conversation's", at)
				}
			}
		}
		consents := modeltest.Count[models.Consent](t, db, "")
		if consents != 0 {
			t.Errorf("%d consent records with their exact time survive the erasure", consents)
		}
		var enrollments, handoffs, contacts int64
		enrollments = modeltest.Count[models.Enrollment](t, db, "")
		handoffs = modeltest.Count[models.HandoffRequest](t, db, "")
		contacts = modeltest.Count[models.ChannelContact](t, db, "")
		if enrollments != 1 || handoffs != 0 || contacts != 0 {
			t.Fatalf("enrollments %d (kept, anonymous), handoffs %d, contacts %d", enrollments, handoffs, contacts)
		}
		rows := modeltest.Rows[models.Outbox](t, db, "")
		for _, r := range rows {
			if strings.Contains(r.Payload, "Dedi") || strings.Contains(r.Payload, "3201") {
				t.Fatalf("outbox still holds personal data: %s", r.Payload)
			}
		}
		c := modeltest.One[models.Conversation](t, db, "")
		if c.MemberID != nil || c.Slots != "{}" {
			t.Fatalf("conversation not reset: %+v", c)
		}
		audit := modeltest.Rows[models.AuditEntry](t, db, "")
		if len(audit) != 1 || audit[0].Action != "personal_data_erased" || strings.Contains(audit[0].Detail, "Dedi") {
			t.Fatalf("audit = %+v", audit)
		}
		// A NIK typed in a question is not kept in clear in the conversation.
		say(t, e, "w1", "nik saya 3201011203900001 kenapa ditolak ya")
		conv = modeltest.One[models.Conversation](t, db, "")
		if strings.Contains(conv.Slots, "3201011203900001") {
			t.Errorf("a NIK typed in a question is kept in the slots: %s", conv.Slots)
		}
		// The same NIK can be registered again: nothing of it is left.
		say(t, e, "w1", fullSignup...)
		members := modeltest.Count[models.Member](t, db, "nik_hash IS NOT NULL")
		if members != 1 {
			t.Fatalf("re-registration after erasure: %d members with a NIK", members)
		}
	})
}

func TestStopAndStartRecordOptOut(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		say(t, e, "w2", fullSignup...)
		say(t, e, "w2", "stop kirim pesan", "ya_berhenti")
		var c models.ChannelContact
		var m models.Member
		c = modeltest.One[models.ChannelContact](t, db, "")
		m = modeltest.One[models.Member](t, db, "")
		if !c.OptedOut || !m.OptedOut {
			t.Fatalf("after stop: contact %v member %v, want both opted out", c.OptedOut, m.OptedOut)
		}
		say(t, e, "w2", "mulai")
		c = modeltest.One[models.ChannelContact](t, db, "")
		m = modeltest.One[models.Member](t, db, "")
		if c.OptedOut || m.OptedOut {
			t.Fatal("mulai must opt back in")
		}
	})
}

func TestDuplicateNIKGetsStatus(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		say(t, e, "a", fullSignup...)
		say(t, e, "b", "daftar", "setuju", "Orang Lain", "3201011203900001")
		n := modeltest.Count[models.Enrollment](t, db, "")
		if n != 1 {
			t.Fatalf("%d enrollments for one NIK", n)
		}
		c := modeltest.One[models.Conversation](t, db, "chat_id = ?", "b")
		if c.Flow != "" || c.MemberID != nil {
			t.Fatalf("second chat: flow %q member %v; want back at the menu, not linked", c.Flow, c.MemberID)
		}
	})
}

func TestHandoffNoticesStaffChat(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		router := flowtest.Router(t)
		router.Config.StaffChannel, router.Config.StaffChat, router.Config.StaffLang = "staff", "-100123", "id"
		e.Flows = router
		say(t, e, "6281234567890", "tolong sambungkan ke petugas, NIK saya 3201011203900001 ditolak")

		req := modeltest.One[models.HandoffRequest](t, db, "")
		notices := modeltest.Rows[models.Outbox](t, db, "channel = ?", "staff")
		if len(notices) != 1 {
			t.Fatalf("%d staff notices, want 1", len(notices))
		}
		n := notices[0]
		var r bot.Reply
		if err := models.DecodeJSON(n.Payload, &r); err != nil {
			t.Fatal(err)
		}
		if n.Recipient != "-100123" || n.Status != models.OutboxPending || n.Priority != models.PriorityReply {
			t.Fatalf("notice row = %+v", n)
		}
		if !strings.Contains(r.Text, fmt.Sprintf("#%d", req.ID)) || !strings.Contains(r.Text, fmt.Sprintf("/balas %d", req.ID)) {
			t.Fatalf("notice does not name request %d: %q", req.ID, r.Text)
		}
		if len(r.Choices) != 2 || r.Choices[0].Value != fmt.Sprintf("staff:take:%d", req.ID) || r.Choices[1].Value != fmt.Sprintf("staff:close:%d", req.ID) {
			t.Fatalf("notice buttons: %+v", r.Choices)
		}
		// What the worker typed reaches the staff group with the NIK and the chat masked.
		if strings.Contains(r.Text, "3201011203900001") || !strings.Contains(r.Text, "3201*********001") || !strings.Contains(r.Text, "ditolak") ||
			strings.Contains(r.Text, "6281234567890") || !strings.Contains(r.Text, "6281*") {
			t.Fatalf("notice does not mask what the worker typed or their chat id: %q", r.Text)
		}
		// The worker's own reply went to the worker.
		own := modeltest.Count[models.Outbox](t, db, "channel = ? AND recipient = ?", "test", "6281234567890")
		if own == 0 {
			t.Fatal("no reply to the worker")
		}
	})
}

func TestHandoffWithoutStaffChatQueuesNoNotice(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		say(t, e, "w1", "mau bicara dengan petugas")
		others := modeltest.Count[models.Outbox](t, db, "recipient <> ?", "w1")
		reqs := modeltest.Count[models.HandoffRequest](t, db, "")
		if reqs != 1 || others != 0 {
			t.Fatalf("requests %d, rows to anyone else %d", reqs, others)
		}
	})
}
