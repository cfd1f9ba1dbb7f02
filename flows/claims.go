package flows

import (
	"strings"

	"bpubot/bot"
	"bpubot/flows/intent"
	"bpubot/flows/words"
)

// Claims: which claim, then the one or two things that change the answer, then the checklist.
// A "what if" question ("kalau saya meninggal keluarga dapat apa") is not a claim: it gets the
// benefit (benefitInfo in status.go).
var flowClaim *Flow

const nameClaim = "klaim"

// Claim slots.
const (
	slotClaimWhich = "claim_which" // klaim_jkk, klaim_jkm or klaim_jht
	slotClaimWhere = "claim_where"
	slotClaimWhen  = "claim_when"
	slotClaimHeir  = "claim_heir"
)

func init() {
	flowClaim = register(&Flow{
		Name: nameClaim, Labels: []intent.Label{labelClaim, intent.LabelKlaimJKK, intent.LabelKlaimJKM, intent.LabelKlaimJHT}, Start: startClaim, Finish: claimChecklist,
		Clear:  clearing(slotClaimWhich, slotClaimWhere, slotClaimWhen, slotClaimHeir),
		Resume: "common.resume_question", BackTo: "common.back_to_question", MenuAfter: true,
		Steps: []*Step{
			{Name: "which", Slot: slotClaimWhich, Skip: known(slotClaimWhich),
				Ask: "claim.which", Options: claimOptions, Parse: parseClaimKind, Save: saveClaimKind, Goes: []string{End}},
			// A work accident: where, then when (the 2×24 hours).
			{Name: "where", Slot: slotClaimWhere, Skip: claimKnows(intent.LabelKlaimJKK, slotClaimWhere),
				Ask: "claim.jkk_where", Options: jkkWhereOptions, Parse: keywords(jkkWhere)},
			{Name: "when", Slot: slotClaimWhen, Skip: claimKnows(intent.LabelKlaimJKK, slotClaimWhen),
				Ask: "claim.jkk_when", Options: jkkWhenOptions, Parse: keywords(jkkWhen)},
			// A death: who the heir is.
			{Name: "heir", Slot: slotClaimHeir, Skip: claimKnows(intent.LabelKlaimJKM, slotClaimHeir),
				Ask: "claim.jkm_heir", Options: heirOptions, Parse: keywords(heirs)},
		},
	})
}

// startClaim begins with the claim the question named ("suami saya meninggal" is JKM), and
// what it said already: "tadi pagi jatuh pas antar paket" is at work, and recent.
func startClaim(x *run) error {
	l := x.claim
	if l == "" {
		return nil
	}
	if l == intent.LabelKlaimJKK && x.In.Kind == bot.KindText {
		if v := matchKeywords(jkkWhereSaid, x.In.Text); v != "" {
			x.slots[slotClaimWhere] = v
		}
		if v := matchKeywords(jkkWhen, x.In.Text); v != "" {
			x.slots[slotClaimWhen] = v
		}
	}
	return saveClaimKindNote(x, string(l))
}

// claimKnows skips a question of another claim, or one the worker answered already.
func claimKnows(l intent.Label, slot string) func(x *run) bool {
	return func(x *run) bool { return x.slots[slotClaimWhich] != string(l) || x.slots[slot] != "" }
}

func claimOptions(x *run) []Option {
	return optionsOf(x, "claim.choice_jkk", string(intent.LabelKlaimJKK), "claim.choice_jkm", string(intent.LabelKlaimJKM),
		"claim.choice_jht", string(intent.LabelKlaimJHT))
}

// parseClaimKind takes a choice, or words that tell which ("suami saya meninggal"); a "what
// if" question gets the benefit instead.
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

// saveClaimKind goes on with the claim chosen: JHT and the "what if" questions are one answer.
func saveClaimKind(x *run, v string) (string, error) {
	switch l := intent.Label(v); l {
	case intent.LabelKlaimJHT, intent.LabelInfoJKK, intent.LabelInfoJKM:
		x.slots[slotClaimWhich] = v
		return End, nil
	}
	return "", saveClaimKindNote(x, v)
}

// saveClaimKindNote keeps the claim and, for a death, says the condolences before the question.
func saveClaimKindNote(x *run, v string) error {
	x.slots[slotClaimWhich] = v
	switch intent.Label(v) {
	case intent.LabelKlaimJKK:
		x.note = "claim.jkk_sorry"
	case intent.LabelKlaimJKM:
		x.note = "claim.jkm_condolences"
	}
	return nil
}

// keywords is the Parse of a step answered by a choice or by words that mean one.
func keywords(table []keywordChoice) func(x *run, a Answer) (string, error) {
	return func(_ *run, a Answer) (string, error) {
		if a.Value != "" {
			return a.Value, nil
		}
		if v := matchKeywords(table, a.Text); v != "" {
			return v, nil
		}
		return "", invalid("common.pick_one")
	}
}

// matchKeywords is the value of the first choice one of whose words text holds, "" for none.
func matchKeywords(table []keywordChoice, text string) string {
	low := " " + strings.Join(words.Tokens(text), " ") + " "
	for _, c := range table {
		for _, w := range c.words {
			if strings.Contains(low, " "+w) {
				return c.value
			}
		}
	}
	return ""
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
	// jkkWhereSaid reads where from the first message: "kecelakaan kerja" is the name of the
	// programme, not where it happened, so only words of the work itself count.
	jkkWhereSaid = []keywordChoice{
		{"perjalanan", []string{"di jalan", "berangkat", "pulang", "on the way"}},
		{"kerja", []string{"antar", "ngojek", "narik", "jualan", "dagang", "kebun", "sawah", "melaut", "mesin", "proyek", "at work", "saat kerja", "pas kerja", "waktu kerja", "lagi kerja"}},
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

// claimChecklist ends the claim with what to bring and where to go, by claim.
func claimChecklist(x *run) error {
	if answer, ok := claimAnswers[intent.Label(x.slots[slotClaimWhich])]; ok {
		return answer(x)
	}
	return nil
}

// claimAnswers are the end of each claim: the checklist, or the one answer.
var claimAnswers = map[intent.Label]func(x *run) error{
	intent.LabelKlaimJKK: func(x *run) error {
		urgency := "claim.jkk_late"
		if x.slots[slotClaimWhen] == "baru" {
			urgency = "claim.jkk_urgent"
		}
		x.say(x.t(urgency) + "\n\n" + x.t("claim.jkk_documents") + "\n" + x.t("claim.jkk_police") + "\n\n" + x.t("claim.jkk_where_to_go"))
		return nil
	},
	intent.LabelKlaimJKM: func(x *run) error {
		text := x.t("claim.jkm_documents")
		if x.slots[slotClaimHeir] == "pasangan" {
			text += "\n" + x.t("claim.jkm_marriage_book")
		}
		x.say(text + "\n\n" + x.t("claim.jkm_benefit"))
		return nil
	},
	intent.LabelKlaimJHT: func(x *run) error { x.say(x.t("claim.jht")); return nil },
	intent.LabelInfoJKK:  func(x *run) error { return benefitText(x, "info.jkk") },
	intent.LabelInfoJKM:  func(x *run) error { return benefitText(x, "info.jkm") },
}
