package whatsapp

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/staff"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// TestHandoffRelayedToWhatsAppWorker: a worker on WhatsApp asks for a person; staff in the
// Telegram staff group take the request, read the worker's messages there (NIK masked), and
// answer by replying; each answer reaches the worker on WhatsApp, in the same chat, and the
// bot stays quiet meanwhile.
func TestHandoffRelayedToWhatsAppWorker(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		h := newHarness(t, db)
		router := flowtest.Router(t)
		router.Config.StaffChannel, router.Config.StaffChat, router.Config.StaffLang = "telegram", "-100777", "id"
		h.engine.Flows = router
		svc := &staff.Service{DB: db, Clock: h.clock, Log: slog.New(slog.DiscardHandler), Notify: h.disp.Notify,
			Config: staff.Config{StaffChannel: "telegram", StaffChat: "-100777", StaffLang: "id", HandoffTimeout: 24 * time.Hour}}
		ctx := context.Background()
		if _, err := svc.AddStaff(ctx, staff.Operator(), staff.NewStaff{Name: "Rina", Role: models.RoleStaff, TelegramUserID: 9001}); err != nil {
			t.Fatal(err)
		}
		h.start()
		h.connect()
		worker := pn("6281234567890")

		if got := joined(h.send(worker, "mau bicara dengan petugas")); !strings.Contains(got, "#1") {
			t.Fatalf("request not opened:\n%s", got)
		}
		staffSays := func(in bot.StaffInput) {
			t.Helper()
			in.Channel, in.ChatID, in.UserID, in.Group = "telegram", "-100777", "9001", true
			if _, err := svc.HandleStaff(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		staffSays(bot.StaffInput{Button: "staff:take:1"})
		if got := joined(h.flush()); !strings.Contains(got, "ditangani petugas (Rina)") {
			t.Fatalf("worker not told the request was taken:\n%s", got)
		}
		if got := h.send(worker, "NIK saya 3201011203900001, nomor lain 081298765432"); len(got) != 0 {
			t.Fatalf("the bot spoke while a person has the request: %q", got)
		}
		fwd := modeltest.One[models.Outbox](t, db, "channel = 'telegram' AND payload LIKE ?", "%✉️ #1%")
		var r bot.Reply
		_ = models.DecodeJSON(fwd.Payload, &r)
		if fwd.Recipient != "-100777" || strings.Contains(r.Text, "3201011203900001") || strings.Contains(r.Text, "081298765432") ||
			!strings.Contains(r.Text, "3201*********001") {
			t.Fatalf("forwarded to the staff group: %q", r.Text)
		}
		staffSays(bot.StaffInput{Text: "Kartunya sudah jadi, Pak.", ReplyTo: r.Text})
		if got := joined(h.flush()); !strings.Contains(got, "💬 Petugas (Rina), permintaan #1") || !strings.Contains(got, "Kartunya sudah jadi") {
			t.Fatalf("staff reply did not reach the WhatsApp worker:\n%s", got)
		}
		staffSays(bot.StaffInput{Text: "/selesai 1"})
		if got := joined(h.flush()); !strings.Contains(got, "sudah selesai ditangani") {
			t.Fatalf("worker not told the request is closed:\n%s", got)
		}
		if got := joined(h.send(worker, "halo")); !strings.Contains(got, "Halo") {
			t.Fatalf("the bot does not answer again after the close:\n%s", got)
		}
	})
}
