package flows

import (
	"bpubot/flows/intent"
	"bpubot/flows/words"
	"bpubot/models"
)

// Privacy: stop reminders and announcements, start them again, erase my data. Nothing is
// erased without two yeses.
const (
	nameStop  = "berhenti"
	nameErase = "hapus_data"
)

func init() {
	register(&Flow{
		Name: nameStop, Labels: []intent.Label{intent.LabelBerhenti}, Finish: stopMessages,
		Cancelled: "privacy.stop_kept", Resume: "common.resume_question", BackTo: "common.back_to_question",
		Steps: []*Step{
			{Name: "confirm", Ask: "privacy.stop_confirm", Options: stopOptions, Parse: picked("common.yes_no_invalid"), Save: keptUnless("ya_berhenti", "privacy.stop_kept")},
		},
	})
	register(&Flow{
		Name: nameErase, Labels: []intent.Label{intent.LabelHapusData}, Finish: eraseNow,
		Cancelled: "privacy.erase_cancelled", Resume: "common.resume_question", BackTo: "common.back_to_question",
		Steps: []*Step{
			{Name: "explain", Ask: "privacy.erase_explain", Options: eraseExplainOptions, Parse: picked("common.yes_no_invalid"), Save: keptUnless("lanjut_hapus", "privacy.erase_cancelled")},
			{Name: "confirm", Ask: "privacy.erase_confirm", Options: eraseConfirmOptions, Parse: picked("common.yes_no_invalid"), Save: keptUnless("hapus_permanen", "privacy.erase_cancelled")},
		},
	})
}

// keptUnless goes on when the worker chose yes; anything else ends the flow, nothing changed.
func keptUnless(yes, kept string) func(x *run, v string) (string, error) {
	return func(x *run, v string) (string, error) {
		if v == yes {
			return "", nil
		}
		x.say(x.t(kept))
		return Quit, nil
	}
}

func stopOptions(x *run) []Option {
	return []Option{
		{Label: x.t("privacy.stop_yes"), Value: "ya_berhenti", Means: words.Yes | words.Agree},
		{Label: x.t("common.cancel"), Value: "tidak", Means: words.No | words.Cancel},
	}
}

func eraseExplainOptions(x *run) []Option {
	return []Option{
		{Label: x.t("privacy.erase_continue"), Value: "lanjut_hapus", Means: words.Yes | words.Continue},
		{Label: x.t("common.cancel"), Value: "tidak", Means: words.No | words.Cancel},
	}
}

func eraseConfirmOptions(x *run) []Option {
	return []Option{
		{Label: x.t("privacy.erase_yes"), Value: "hapus_permanen", Means: words.Yes},
		{Label: x.t("common.cancel"), Value: "tidak", Means: words.No | words.Cancel},
	}
}

func stopMessages(x *run) error {
	if err := models.SetOptOut(x.Tx, x.In.Channel, x.In.ChatID, x.Conv.MemberID, true, x.Now); err != nil {
		return err
	}
	x.say(x.t("privacy.stopped"))
	return nil
}

// resumeMessages is "mulai": reminders and announcements again.
func (r *Router) resumeMessages(x *run) error {
	if err := models.SetOptOut(x.Tx, x.In.Channel, x.In.ChatID, x.Conv.MemberID, false, x.Now); err != nil {
		return err
	}
	x.say(x.t("privacy.resumed"))
	return r.done(x, true)
}

// eraseNow removes the worker's personal data (models.ErasePersonalData) and starts the
// conversation afresh: no slots, no member, nothing entered.
func eraseNow(x *run) error {
	if err := models.ErasePersonalData(x.Tx, x.In.Channel, x.In.ChatID, x.Conv.MemberID, x.Now); err != nil {
		return err
	}
	clear(x.slots)
	x.Conv.MemberID = nil
	x.setStack(nil)
	x.Conv.Flow, x.Conv.State, x.Conv.Failures, x.Conv.Unknowns = flowMenu, "", 0, 0
	x.Conv.UserID = ""
	x.Forget()
	x.say(x.t("privacy.erased"))
	return nil
}
