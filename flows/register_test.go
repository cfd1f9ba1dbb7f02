package flows_test

import (
	"strings"
	"testing"

	"bpubot/flows/flowtest"
	"bpubot/locales"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// TestSameNIKConfirmedTwice: two chats sign up with one NIK at the same time; the first to
// confirm registers it, the second is told it is already registered and nothing of theirs is
// written.
func TestSameNIKConfirmedTwice(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(flowtest.Start))
		last := len(fullSignup) - 1
		say(t, e, "w1", fullSignup[:last]...)
		say(t, e, "w2", fullSignup[:last]...)
		say(t, e, "w1", "konfirmasi")
		say(t, e, "w2", "konfirmasi")

		var members, enrollments, consents int64
		members = modeltest.Count[models.Member](t, db, "")
		enrollments = modeltest.Count[models.Enrollment](t, db, "")
		consents = modeltest.Count[models.Consent](t, db, "")
		if members != 1 || enrollments != 1 || consents != 1 {
			t.Fatalf("members %d, enrollments %d, consents %d; want one each", members, enrollments, consents)
		}
		m := modeltest.One[models.Member](t, db, "")
		e1 := modeltest.One[models.Enrollment](t, db, "")
		if e1.MemberID != m.ID || m.FullName != "Dedi Kurniawan" {
			t.Fatalf("member %+v, enrollment %+v", m, e1)
		}
		replies := modeltest.Rows[models.Outbox](t, db, "recipient = ?", "w2")
		reply := replies[len(replies)-1]
		want, _, _ := strings.Cut(locales.Text("id", "signup.nik_registered"), "(")
		if !strings.Contains(reply.Payload, strings.TrimSpace(want)) {
			t.Fatalf("second confirmation answered %s, want %q…", reply.Payload, want)
		}
	})
}
