package flows_test

import (
	"strings"
	"testing"

	"bpubot/flows/flowtest"
	"bpubot/locales"
	"bpubot/models"
	"bpubot/models/modeltest"

	"gorm.io/gorm"
)

// TestSameNIKConfirmedTwice: two chats sign up with one NIK at the same time; the first to
// confirm registers it, the second is told it is already registered and nothing of theirs is
// written.
func TestSameNIKConfirmedTwice(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *gorm.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		last := len(fullSignup) - 1
		say(t, e, "w1", fullSignup[:last]...)
		say(t, e, "w2", fullSignup[:last]...)
		say(t, e, "w1", "konfirmasi")
		say(t, e, "w2", "konfirmasi")

		var members, enrollments, consents int64
		db.Model(&models.Member{}).Count(&members)
		db.Model(&models.Enrollment{}).Count(&enrollments)
		db.Model(&models.Consent{}).Count(&consents)
		if members != 1 || enrollments != 1 || consents != 1 {
			t.Fatalf("members %d, enrollments %d, consents %d; want one each", members, enrollments, consents)
		}
		var m models.Member
		db.Take(&m)
		var e1 models.Enrollment
		db.Take(&e1)
		if e1.MemberID != m.ID || m.FullName != "Dedi Kurniawan" {
			t.Fatalf("member %+v, enrollment %+v", m, e1)
		}
		var reply models.Outbox
		if err := db.Where("recipient = ?", "w2").Order("id DESC").Take(&reply).Error; err != nil {
			t.Fatal(err)
		}
		want, _, _ := strings.Cut(locales.Text("id", "signup.nik_registered"), "(")
		if !strings.Contains(reply.Payload, strings.TrimSpace(want)) {
			t.Fatalf("second confirmation answered %s, want %q…", reply.Payload, want)
		}
	})
}
