package flows

import (
	"strings"

	"github.com/looplab/fsm"
)

// Claim flows ask the one or two things that change the answer, then give the checklist.
var claimJKKEvents = fsm.Events{
	{Name: "next", Src: []string{"where"}, Dst: "when"},
	{Name: "next", Src: []string{"when"}, Dst: stDone},
}

var claimJKMEvents = fsm.Events{
	{Name: "next", Src: []string{"heir"}, Dst: stDone},
}

// claimJKK starts the work-accident claim flow: where it happened, then when.
func (r *Router) claimJKK(x *run, start bool) error {
	if start {
		x.Conv.Flow, x.Conv.State = flowClaimJKK, "where"
	}
	switch x.Conv.State {
	case "where":
		x.say(x.t("claim.jkk_where"), x.choice("claim.jkk_at_work", "kerja"), x.choice("claim.jkk_on_the_way", "perjalanan"))
	case "when":
		x.say(x.t("claim.jkk_when"), x.choice("claim.jkk_recent", "baru"), x.choice("claim.jkk_older", "lama"))
	}
	return nil
}

func (r *Router) claimJKKAnswer(x *run) error {
	m := fsm.NewFSM(x.Conv.State, claimJKKEvents, fsm.Callbacks{})
	low := strings.ToLower(x.In.Input())
	switch m.Current() {
	case "where":
		switch {
		case low == "kerja" || containsAny(low, "kerja", "tempat", "antar", "ngojek", "narik", "jualan", "dagang", "kebun", "sawah", "melaut", "mesin", "proyek", "kantor"):
			x.slots["claim_where"] = "kerja"
		case low == "perjalanan" || containsAny(low, "jalan", "berangkat", "pulang", "way"):
			x.slots["claim_where"] = "perjalanan"
		default:
			return r.claimRetry(x, func() error { return r.claimJKK(x, false) })
		}
	case "when":
		switch {
		case low == "baru" || containsAny(low, "hari ini", "kemarin", "tadi", "barusan", "semalam", "today", "yesterday"):
			x.slots["claim_when"] = "baru"
		case low == "lama" || containsAny(low, "minggu", "bulan", "lalu", "lebih", "week", "month"):
			x.slots["claim_when"] = "lama"
		default:
			return r.claimRetry(x, func() error { return r.claimJKK(x, false) })
		}
	}
	if err := m.Event(x.ctx, "next"); err != nil {
		return err
	}
	x.Conv.State, x.Conv.Failures = m.Current(), 0
	if m.Current() != stDone {
		return r.claimJKK(x, false)
	}
	var b strings.Builder
	if x.slots["claim_when"] == "baru" {
		b.WriteString(x.t("claim.jkk_urgent") + "\n\n")
	} else {
		b.WriteString(x.t("claim.jkk_late") + "\n\n")
	}
	b.WriteString(x.t("claim.jkk_documents"))
	b.WriteString("\n" + x.t("claim.jkk_police"))
	b.WriteString("\n\n" + x.t("claim.jkk_where_to_go"))
	delete(x.slots, "claim_where")
	delete(x.slots, "claim_when")
	x.say(b.String())
	return r.done(x, true)
}

// claimJKM starts the death-benefit claim flow: condolences, then who the heir is.
func (r *Router) claimJKM(x *run, start bool) error {
	if start {
		x.Conv.Flow, x.Conv.State = flowClaimJKM, "heir"
		x.say(x.t("claim.jkm_condolences"))
	}
	x.say(x.t("claim.jkm_heir"), x.choice("claim.heir_spouse", "pasangan"), x.choice("claim.heir_child", "anak"),
		x.choice("claim.heir_parent", "orang_tua"), x.choice("claim.heir_other", "lainnya"))
	return nil
}

func (r *Router) claimJKMAnswer(x *run) error {
	m := fsm.NewFSM(x.Conv.State, claimJKMEvents, fsm.Callbacks{})
	low := strings.ToLower(x.In.Input())
	heir := ""
	switch {
	case low == "pasangan" || containsAny(low, "suami", "istri", "isteri", "husband", "wife"):
		heir = "pasangan"
	case low == "anak" || containsAny(low, "anak", "child", "son", "daughter"):
		heir = "anak"
	case low == "orang_tua" || containsAny(low, "orang tua", "bapak", "ibu", "ayah", "parent", "mother", "father"):
		heir = "orang_tua"
	case low == "lainnya" || containsAny(low, "saudara", "lain", "other"):
		heir = "lainnya"
	default:
		return r.claimRetry(x, func() error { return r.claimJKM(x, false) })
	}
	if err := m.Event(x.ctx, "next"); err != nil {
		return err
	}
	x.Conv.State, x.Conv.Failures = m.Current(), 0
	text := x.t("claim.jkm_documents")
	if heir == "pasangan" {
		text += "\n" + x.t("claim.jkm_marriage_book")
	}
	x.say(text + "\n\n" + x.t("claim.jkm_benefit"))
	return r.done(x, true)
}

// claimRetry handles an answer a claim question cannot use: another question is answered
// instead; otherwise the question is asked again.
func (r *Router) claimRetry(x *run, ask func() error) error {
	if label, ok := r.interruption(x, false); ok && string(label) != x.Conv.Flow {
		x.Conv.Flow, x.Conv.State = flowMenu, ""
		return r.dispatch(x, label)
	}
	x.Conv.Failures++
	x.say(x.t("common.pick_one"))
	if r.Config.MaxFailures > 0 && x.Conv.Failures >= r.Config.MaxFailures {
		x.say(x.t("common.offer_human"))
	}
	return ask()
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
