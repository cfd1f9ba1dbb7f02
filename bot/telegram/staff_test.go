package telegram_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/staff"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

const staffGroup = -1001234567890

// staffWorld is a Telegram bot with a staff group and the staff service as its desk.
type staffWorld struct {
	*harness
	svc *staff.Service
}

func startStaff(t *testing.T, db *models.DB) *staffWorld {
	t.Helper()
	w := &staffWorld{}
	w.harness = start(t, db, setup{staff: staffGroup, desk: func(d *bot.Dispatcher) bot.StaffDesk {
		w.svc = &staff.Service{DB: db, Clock: flowtest.NewClock(flowtest.Start), Log: quiet, Notify: d.Notify,
			Config: staff.Config{StaffChannel: "telegram", StaffChat: "-1001234567890", StaffLang: "id", HandoffTimeout: 24 * time.Hour}}
		return w.svc
	}})
	ctx := context.Background()
	op := staff.Operator()
	if _, err := w.svc.AddPartner(ctx, op, "ansor_jateng", "GP Ansor", false, false); err != nil {
		t.Fatal(err)
	}
	for _, s := range []staff.NewStaff{
		{Name: "Rina", Role: models.RoleStaff, TelegramUserID: 9001},
		{Name: "Ansor Satu", Role: models.RolePartner, PartnerCode: "ansor_jateng", TelegramUserID: 9002},
	} {
		if _, err := w.svc.AddStaff(ctx, op, s); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// group is what the bot sent the staff group, oldest first.
func (w *staffWorld) groupWaitFor(want string) fakeapi.Message {
	w.t.Helper()
	var found fakeapi.Message
	w.wait("the staff group to read "+want, func() bool {
		for _, m := range w.api.Messages(staffGroup) {
			if strings.Contains(m.Text, want) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// TestHandoffRelayedThroughTelegram: a worker asks for a person; staff take the request with
// the notice's button, get the worker's messages in the group (NIK masked), answer by replying
// in the group and with /balas, and close it with /selesai; the worker hears each step on
// their own chat. Someone not on the staff is refused, and so is partner staff of another
// partner.
func TestHandoffRelayedThroughTelegram(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := startStaff(t, db)
		worker := w.user(5001, "Sari")
		rina := w.api.GroupMember(staffGroup, 9001, "Rina")

		worker.Text("mau bicara dengan petugas")
		worker.expect("Permintaanmu sudah kami catat dengan nomor #1")
		notice := w.groupWaitFor("🙋 Permintaan #1")
		if !notice.HasData("staff:take:1") || !notice.HasData("staff:close:1") {
			t.Fatalf("notice: %+v", notice)
		}

		rina.Press(notice, "staff:take:1")
		worker.expect("sekarang ditangani petugas (Rina)")
		w.groupWaitFor("diambil oleh Rina")

		worker.Text("NIK saya 3201011203900001, sudah 2 minggu")
		fwd := w.groupWaitFor("✉️ #1")
		if strings.Contains(fwd.Text, "3201011203900001") || !strings.Contains(fwd.Text, "3201*********001") {
			t.Fatalf("forwarded unmasked: %q", fwd.Text)
		}

		rina.ReplyTo(fwd, "Baik Bu Sari, kartunya kami cek hari ini.")
		worker.expect("💬 Petugas (Rina), permintaan #1", "kartunya kami cek hari ini")
		rina.Text("/balas 1 Sudah jadi, bisa diambil di kantor cabang.")
		worker.expect("Sudah jadi, bisa diambil")

		// Not staff: refused, audited. Partner staff of another partner: not found.
		stranger := w.user(7777, "Orang")
		stranger.Text("/balas 1 halo")
		stranger.expect("perintah ini khusus petugas")
		partner := w.user(9002, "Ansor Satu")
		partner.Text("/selesai 1")
		partner.expect("Tidak ditemukan")

		rina.Text("/selesai 1")
		worker.expect("Permintaanmu #1 sudah selesai ditangani")
		w.groupWaitFor("ditutup oleh Rina")

		// The bot answers the worker again.
		worker.Text("halo")
		worker.expect("Halo")

		refused := modeltest.Count[models.AuditEntry](t, db, "action = 'refused_not_staff'")
		if refused != 1 {
			t.Errorf("refusals audited: %d", refused)
		}
		entries := modeltest.Rows[models.AuditEntry](t, db, "actor = 'Rina'")
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
			if strings.Contains(e.Detail, "3201") || strings.Contains(e.Detail, "Sari") {
				t.Errorf("audit entry with personal data: %+v", e)
			}
		}
		if got := strings.Join(actions, ","); got != "handoff.take,handoff.reply,handoff.reply,handoff.close" {
			t.Errorf("Rina's audit: %s", got)
		}
	})
}

// TestSiaranGuided: /siaran in a private chat asks for the text and the segment, shows the
// preview with its buttons, and sends on Kirim; /laporan reports it. A worker typing /siaran is
// refused.
func TestSiaranGuided(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := startStaff(t, db)
		worker := w.user(5002, "Budi")
		worker.Text("halo")
		worker.expect("Halo")
		rina := w.user(9001, "Rina")
		rina.Text("/siaran")
		rina.expect("Tulis teks pengumumannya")
		rina.Text("Sosialisasi BPJS Ketenagakerjaan di balai desa, Sabtu jam 9.")
		seg := rina.expect("Untuk siapa?")
		rina.press(seg, "staff:seg:telegram")
		preview := rina.expect("Pengumuman #1", "Akan dikirim ke 1 chat", "Sosialisasi BPJS", "Balas BERHENTI")
		rina.press(preview, "staff:send:1")
		rina.expect("Pengumuman #1 sedang dikirim")
		// Without the job runner here, the fan-out is the sweep's.
		if err := w.svc.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		worker.expect("Sosialisasi BPJS", "Balas BERHENTI")
		rina.Text("/laporan 1")
		rina.expect("Laporan pengumuman #1", "Masuk antrean 1")
		worker.Text("/siaran")
		worker.expect("perintah ini khusus petugas")
	})
}
