package flows

import (
	"context"
	"testing"

	"bpubot/bot"
	"bpubot/locales"
	"bpubot/models"
)

// Every text a flow table names exists in every language.
func TestFlowTablesHaveTexts(t *testing.T) {
	for name, f := range flows {
		keys := []string{f.Cancelled, f.Resume, f.BackTo}
		if f.ConfirmCancel {
			keys = append(keys, f.Name+".cancel_confirm")
		}
		for _, s := range f.Steps {
			keys = append(keys, s.Ask)
			if s.Field != "" {
				keys = append(keys, f.Name+".field_"+s.Field)
			}
		}
		for _, k := range keys {
			for _, lang := range []string{"id", "en"} {
				if k != "" && !locales.Has(lang, k) {
					t.Errorf("flow %s: %s missing from %s.yaml", name, k, lang)
				}
			}
		}
		if f.Resume == "" {
			t.Errorf("flow %s has no Resume question", name)
		}
	}
}

// A move the table does not allow is an error, never a silent jump.
func TestIllegalMovesAreErrors(t *testing.T) {
	x := &run{Session: &bot.Session{Conv: &models.Conversation{State: stName}}, ctx: context.Background(), slots: map[string]string{}}
	for _, c := range []struct {
		from, event string
		ok          bool
	}{
		{stName, "answer>" + stNIK, true},
		{stName, "answer>" + stSummary, false}, // forward past questions that are never skipped
		{stNIK, "back>" + stConsent, true},
		{stName, "back>" + stSummary, false}, // "back" to a later step
		{stSummary, "edit>" + stIncome, true},
		{stSummary, "edit>" + stNIKConfirm, false}, // not editable on its own
		{stPeriod, "cancel", true},
		{stName, "cancel_yes", false}, // erased without "are you sure?"
		{stCancel, "cancel_yes", true},
		{stIdle, "return>" + stCity, true},
		{stEnd, "answer>" + stName, false},
	} {
		x.Conv.State = c.from
		mc := flowSignup.machine(x)
		err := mc.fire(c.event)
		mc.release()
		if (err == nil) != c.ok {
			t.Errorf("%s from %s: err = %v, want allowed = %v", c.event, c.from, err, c.ok)
		}
	}
}

func TestMatchOption(t *testing.T) {
	x := &run{Session: &bot.Session{Conv: &models.Conversation{Lang: "id"}}, r: &Router{}, slots: map[string]string{}}
	yesNo := yesNoOptions(x)
	occ := occupationOptions(x)
	for _, c := range []struct {
		opts []Option
		text string
		want string
	}{
		{yesNo, "ya benar", "ya"},
		{yesNo, "Ya, benar", "ya"},
		{yesNo, "iya bener", "ya"},
		{yesNo, "bukan, saya perempuan", "bukan"},
		{yesNo, "salah", "bukan"},
		{consentOptions(x), "saya setuju", "setuju"},
		{consentOptions(x), "ya setuju", "setuju"},
		{consentOptions(x), "tidak setuju", "tidak"},
		{summaryOptions(x), "sudah benar", "konfirmasi"},
		{partnerOptions(x), "tdk ada", "-"},
		{partnerOptions(x), "tidak punya", "-"},
		{partnerOptions(x), "lewat", "-"},
		{partnerOptions(x), "ga ada kode", "-"},
		{occ, "buruh", "buruh_harian"},
		{occ, "pedagang", "pedagang"},
		{occ, "petani / peternak", "petani"},
		{occ, "penjahit", ""},
		{resumeOptions(x), "mulai dari awal", "ulang"},
		{resumeOptions(x), "lanjut aja kak", "lanjut"},
	} {
		r := x.r.words().ReadExpecting(c.text)
		if got := matchOption(c.opts, c.text, r.Kinds); got != c.want {
			t.Errorf("matchOption(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// A state an older version stored and this one does not know resumes at the first question
// not answered yet, keeping the answers; with all answered, at the summary.
func TestUnknownStateResumes(t *testing.T) {
	x := &run{Session: &bot.Session{Conv: &models.Conversation{State: "edit_choice"}}, ctx: context.Background(),
		slots: map[string]string{slotName: "Budi Santoso", slotConsentAt: "2026-11-22T03:00:00Z"}}
	mc := flowSignup.machine(x)
	got := mc.m.Current()
	mc.release()
	if got != stNIK || x.Conv.State != stNIK || x.slots[slotName] != "Budi Santoso" {
		t.Fatalf("resumed at %q (conversation %q), name %q; want the NIK question, name kept", got, x.Conv.State, x.slots[slotName])
	}
	for _, k := range []string{slotNIKSealed, slotPhone, slotOccupation, slotProvince, slotRegency, slotPartner, slotIncome, slotPackage, slotPeriod} {
		x.slots[k] = "x"
	}
	x.Conv.State = "edit_choice"
	mc = flowSignup.machine(x)
	got = mc.m.Current()
	mc.release()
	if got != stSummary {
		t.Fatalf("all answered: resumed at %q, want the summary", got)
	}
}
