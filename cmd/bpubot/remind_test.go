package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bpubot/flows/coverage"
	"bpubot/flows/reminder"
	"bpubot/flows/tariff"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// Staff look ahead at the reminders of next month's due date, queue them, and count this
// month's.
func TestRemindPlanAndStatus(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, dir, signup, "chat", "--user", "budi") // member 1, enrolled today, nothing paid
	t.Setenv("BPUBOT_TELEGRAM_ENABLED", "true")
	t.Setenv("BPUBOT_TELEGRAM_TOKEN", "123456789:AAtest")
	db, err := models.Open(context.Background(), models.DBConfig{Driver: models.SQLite, Path: filepath.Join(dir, "bpubot.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(db)
	member := int64(1)
	now := time.Now()
	if err := models.TouchContact(db, "telegram", "987654321", &member, now); err != nil {
		t.Fatal(err)
	}

	// Three days before next month's due date, an hour into the allowed hours: the first
	// payment's reminder.
	next := tariff.MonthOf(now) + 1
	at := coverage.DefaultCalendar().DueDate(next, coverage.WIB).AddDate(0, 0, -3).Add(9 * time.Hour)
	when := at.Format("2006-01-02 15:04")
	out := runCLI(t, dir, "", "remind", "plan", "--at", when, "--dry-run")
	for _, want := range []string{"1 pekerja", "telegram", "9876**321", "beberapa hari sebelum jatuh tempo", "09.00 WIB"} {
		if !strings.Contains(out, want) {
			t.Errorf("remind plan --dry-run: no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "987654321") {
		t.Errorf("chat id not masked:\n%s", out)
	}
	countJobs := func() int64 {
		t.Helper()
		return modeltest.Scan[int64](t, db, `SELECT COUNT(*) FROM river_job WHERE kind = 'remind_send'`)
	}
	if n := countJobs(); n != 0 {
		t.Fatalf("--dry-run queued %d jobs", n)
	}
	if out := runCLI(t, dir, "", "remind", "plan", "--at", when); !strings.Contains(out, "1 pengingat dijadwalkan") {
		t.Errorf("remind plan: %s", out)
	}
	if out := runCLI(t, dir, "", "remind", "plan", "--at", when); !strings.Contains(out, "sudah dijadwalkan sebelumnya") {
		t.Errorf("remind plan again: %s", out)
	}
	if n := countJobs(); n != 1 {
		t.Errorf("%d send jobs queued, want 1", n)
	}
	// At night nobody is reminded.
	if out := runCLI(t, dir, "", "remind", "plan", "--dry-run", "--at", at.Add(13*time.Hour).Format("2006-01-02 15:04")); !strings.Contains(out, ": 0 pekerja") {
		t.Errorf("remind plan at night: %s", out)
	}

	// This month: one reminder delivered, one (to another worker) waiting.
	today := reminder.Day(now, coverage.WIB)
	other := models.Member{FullName: "Siti", Lang: "id", CreatedAt: now, UpdatedAt: now}
	modeltest.Insert(t, db, &other)
	for i, status := range []string{models.OutboxSent, models.OutboxPending} {
		key := "reminder:test:" + status
		to := []int64{member, other.ID}[i]
		modeltest.Insert(t, db, &models.ReminderSent{MemberID: to, Month: 202601, Stage: "before", Day: today,
			Channel: "telegram", DedupeKey: key, SentAt: now},
			&models.Outbox{Channel: "telegram", Recipient: "987654321", Payload: "{}", Status: status, DedupeKey: &key,
				Priority: models.PriorityBulk, NextAttemptAt: now, CreatedAt: now})
	}
	out = runCLI(t, dir, "", "remind", "status")
	if !strings.Contains(out, "beberapa hari sebelum jatuh tempo    2        1         1         0") {
		t.Errorf("remind status:\n%s", out)
	}
}
