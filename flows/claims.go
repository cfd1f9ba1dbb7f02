package flows

import (
	"strings"

	"bpubot/flows/intent"
	"bpubot/flows/words"
)

// Claims: which claim, then the one or two things that change the answer, then the checklist.
// A "what if" question ("kalau saya meninggal keluarga dapat apa") is not a claim: it gets the
// benefit (info_jkk, info_jkm in status.go).
var flowClaim, flowClaimJKK, flowClaimJKM *Flow

const (
	nameClaim    = "klaim"
	nameClaimJKK = "klaim_jkk"
	nameClaimJKM = "klaim_jkm"
)

// Claim slots.
const (
	slotClaimWhich = "claim_which"
	slotClaimWhere = "claim_where"
	slotClaimWhen  = "claim_when"
	slotClaimHeir  = "claim_heir"
)

func init() {
	flowClaim = register(&Flow{
		Name: nameClaim, Label: labelClaim, Finish: startClaim, Clear: clearing(slotClaimWhich),
		Resume: "common.resume_question", BackTo: "common.back_to_question",
		Steps: []*Step{
			{Name: "which", Slot: slotClaimWhich, Ask: "claim.which", Options: claimOptions, Parse: parseClaimKind},
		},
	})
	flowClaimJKK = register(&Flow{
		Name: nameClaimJKK, Label: intent.LabelKlaimJKK, Finish: jkkChecklist, Clear: clearing(slotClaimWhere, slotClaimWhen),
		Resume: "common.resume_question", BackTo: "common.back_to_question", MenuAfter: true,
		Steps: []*Step{
			{Name: "where", Slot: slotClaimWhere, Ask: "claim.jkk_where", Options: jkkWhereOptions, Parse: keywords(jkkWhere)},
			{Name: "when", Slot: slotClaimWhen, Ask: "claim.jkk_when", Options: jkkWhenOptions, Parse: keywords(jkkWhen)},
		},
	})
	flowClaimJKM = register(&Flow{
		Name: nameClaimJKM, Label: intent.LabelKlaimJKM, Start: condolences, Finish: jkmChecklist, Clear: clearing(slotClaimHeir),
		Resume: "common.resume_question", BackTo: "common.back_to_question", MenuAfter: true,
		Steps: []*Step{
			{Name: "heir", Slot: slotClaimHeir, Ask: "claim.jkm_heir", Options: heirOptions, Parse: keywords(heirs)},
		},
	})
}

func claimOptions(x *run) []Option {
	return optionsOf(x, "claim.choice_jkk", string(intent.LabelKlaimJKK), "claim.choice_jkm", string(intent.LabelKlaimJKM),
		"claim.choice_jht", string(intent.LabelKlaimJHT))
}

// parseClaimKind takes a choice, or words that tell which ("suami saya meninggal").
func parseClaimKind(x *run, a Answer) (string, error) {
	if a.Value != "" {
		return a.Value, nil
	}
	switch l := x.r.classifier().Classify(a.Text).Label; l {
	case intent.LabelKlaimJKK, intent.LabelKlaimJKM, intent.LabelKlaimJHT, intent.LabelInfoJKK, intent.LabelInfoJKM:
		return string(l), nil
	}
	return "", invalid("common.pick_one")
}

// startClaim goes on with the claim chosen.
func startClaim(x *run) error {
	label := intent.Label(x.slots[slotClaimWhich])
	delete(x.slots, slotClaimWhich)
	x.Conv.Flow, x.Conv.State = flowMenu, ""
	return x.r.dispatch(x, label)
}

// keywords is the Parse of a step answered by a choice or by words that mean one.
func keywords(table []keywordChoice) func(x *run, a Answer) (string, error) {
	return func(_ *run, a Answer) (string, error) {
		if a.Value != "" {
			return a.Value, nil
		}
		low := " " + strings.Join(words.Tokens(a.Text), " ") + " "
		for _, c := range table {
			for _, w := range c.words {
				if strings.Contains(low, " "+w) {
					return c.value, nil
				}
			}
		}
		return "", invalid("common.pick_one")
	}
}

// keywordChoice is an option's value and the words (or word starts) that pick it.
type keywordChoice struct {
	value string
	words []string
}

var (
	jkkWhere = []keywordChoice{
		{"perjalanan", []string{"jalan", "berangkat", "pulang", "way", "commut"}},
		{"kerja", []string{"kerja", "tempat", "antar", "ngojek", "narik", "jualan", "dagang", "kebun", "sawah", "melaut", "mesin", "proyek", "kantor", "work"}},
	}
	jkkWhen = []keywordChoice{
		{"baru", []string{"hari ini", "kemarin", "kmrn", "tadi", "barusan", "semalam", "today", "yesterday"}},
		{"lama", []string{"minggu", "bulan", "lalu", "lebih", "week", "month", "ago"}},
	}
	heirs = []keywordChoice{
		{"pasangan", []string{"suami", "istri", "isteri", "husband", "wife"}},
		{"anak", []string{"anak", "child", "son", "daughter"}},
		{"orang_tua", []string{"orang tua", "ortu", "bapak", "ibu", "ayah", "parent", "mother", "father"}},
		{"lainnya", []string{"saudara", "lain", "other", "kakak", "adik"}},
	}
)

func jkkWhereOptions(x *run) []Option {
	return optionsOf(x, "claim.jkk_at_work", "kerja", "claim.jkk_on_the_way", "perjalanan")
}

func jkkWhenOptions(x *run) []Option {
	return optionsOf(x, "claim.jkk_recent", "baru", "claim.jkk_older", "lama")
}

func heirOptions(x *run) []Option {
	return optionsOf(x, "claim.heir_spouse", "pasangan", "claim.heir_child", "anak", "claim.heir_parent", "orang_tua", "claim.heir_other", "lainnya")
}

func jkkChecklist(x *run) error {
	var b strings.Builder
	if x.slots[slotClaimWhen] == "baru" {
		b.WriteString(x.t("claim.jkk_urgent") + "\n\n")
	} else {
		b.WriteString(x.t("claim.jkk_late") + "\n\n")
	}
	b.WriteString(x.t("claim.jkk_documents"))
	b.WriteString("\n" + x.t("claim.jkk_police"))
	b.WriteString("\n\n" + x.t("claim.jkk_where_to_go"))
	x.say(b.String())
	return nil
}

func condolences(x *run) error {
	x.say(x.t("claim.jkm_condolences"))
	return nil
}

func jkmChecklist(x *run) error {
	text := x.t("claim.jkm_documents")
	if x.slots[slotClaimHeir] == "pasangan" {
		text += "\n" + x.t("claim.jkm_marriage_book")
	}
	x.say(text + "\n\n" + x.t("claim.jkm_benefit"))
	return nil
}
