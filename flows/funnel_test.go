package flows

import (
	"slices"
	"testing"

	"bpubot/models"
)

func TestSignupPlace(t *testing.T) {
	for _, c := range []struct {
		name          string
		conv          models.Conversation
		step, partner string
	}{
		{"signing up", models.Conversation{Flow: nameSignup, State: stNIK, Slots: `{"name":"Siti"}`}, stNIK, ""},
		{"asked to cancel", models.Conversation{Flow: nameSignup, State: stCancel, Slots: `{"_return":"phone"}`}, stPhone, ""},
		{"a question in the middle", models.Conversation{Flow: "premium", State: "income", Stack: `[{"flow":"signup","state":"occupation"}]`}, stOccupation, ""},
		{"left for the menu", models.Conversation{Flow: flowMenu, Slots: `{"_saved_signup":"income","partner":"ansor_01"}`}, stIncome, "ansor_01"},
		{"came by a link", models.Conversation{Flow: nameSignup, State: stConsent, Slots: `{"link_partner":"taruna"}`}, stConsent, "taruna"},
		{"no partner", models.Conversation{Flow: nameSignup, State: stSummary, Slots: `{"partner":"-","link_partner":"taruna"}`}, stSummary, "taruna"},
		{"not signing up", models.Conversation{Flow: flowMenu, Slots: `{}`}, "", ""},
		{"broken slots", models.Conversation{Flow: nameSignup, State: stName, Slots: `{`}, stName, ""},
		{"a follow-up counts as its question", models.Conversation{Flow: nameSignup, State: stNIKConfirm}, stNIK, ""},
		{"which kabupaten", models.Conversation{Flow: nameSignup, State: stCityPick}, stCity, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			step, partner := SignupPlace(c.conv)
			if step != c.step || partner != c.partner {
				t.Fatalf("SignupPlace = %q, %q; want %q, %q", step, partner, c.step, c.partner)
			}
		})
	}
	if steps := SignupSteps(); steps[0] != stConsent || steps[len(steps)-1] != stSummary || !slices.Contains(steps, stIncome) ||
		slices.Contains(steps, stNIKConfirm) || slices.Contains(steps, stCityPick) {
		t.Fatalf("SignupSteps = %v", steps)
	}
}
