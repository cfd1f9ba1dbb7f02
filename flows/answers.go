package flows

import (
	"regexp"
	"strconv"
	"strings"

	"bpubot/bot"
	"bpubot/flows/intent"
	"bpubot/flows/words"
	"bpubot/models"
)

// Menu and button values that start something, and the intents they stand for.
var menuValues = map[string]intent.Label{
	"daftar": intent.LabelDaftar, "daftar_lain": intent.LabelDaftar, "iuran": intent.LabelIuranInfo,
	"bayar": intent.LabelBayar, "status": intent.LabelCekStatus, "klaim": labelClaim, "manfaat": intent.LabelManfaat,
	"petugas": intent.LabelPetugas, "klaim_jkk": intent.LabelKlaimJKK, "klaim_jkm": intent.LabelKlaimJKM,
	"klaim_jht": intent.LabelKlaimJHT, "berhenti": intent.LabelBerhenti, "hapus_data": intent.LabelHapusData,
	"bantuan": intent.LabelBantuan, "mulai": labelResumeMessages, "bahasa": intent.LabelBahasa,
}

// Labels of the menu that no classifier returns.
const (
	labelClaim          intent.Label = "klaim" // which claim?
	labelResumeMessages intent.Label = "mulai" // reminders and announcements again
)

// frame is an interrupted flow, resumed when the interruption is answered.
type frame struct {
	Flow  string `json:"flow"`
	State string `json:"state"`
}

// maxFrames bounds the questions asked inside questions.
const maxFrames = 4

// stack is the conversation's interrupted flows, innermost last.
func (x *run) stack() []frame {
	if x.Conv.Stack == "" || x.Conv.Stack == "[]" {
		return nil
	}
	var s []frame
	_ = models.DecodeJSON(x.Conv.Stack, &s) // a broken column only means nothing to resume
	return s
}

func (x *run) setStack(s []frame) {
	if s == nil {
		s = []frame{}
	}
	x.Conv.Stack = models.EncodeJSON(s)
}

// answers are what each intent gets: a one-message answer or the start of a flow.
var answers map[intent.Label]func(r *Router, x *run) error

func init() {
	answers = map[intent.Label]func(r *Router, x *run) error{
		intent.LabelManfaat:     text("benefits.text"),
		intent.LabelSalam:       text("smalltalk.greeting"),
		intent.LabelTerimaKasih: text("smalltalk.thanks"),
		intent.LabelBantuan:     text("smalltalk.help"),
		intent.LabelPenipuan:    text("info.scam"),
		intent.LabelSakitBiasa:  text("info.ordinary_illness"),
		intent.LabelSudahBayar:  text("payment.reported"),
		intent.LabelInfoJKK:     benefitInfo("info.jkk"),
		intent.LabelInfoJKM:     benefitInfo("info.jkm"),
		intent.LabelJatuhTempo:  (*Router).dueDate,
		intent.LabelTelatBayar:  (*Router).latePayment,
		intent.LabelCekStatus:   (*Router).status,
		intent.LabelBayar:       (*Router).payment,
		intent.LabelUbahData:    (*Router).changeData,
		intent.LabelBahasa:      (*Router).language,
		labelResumeMessages:     (*Router).resumeMessages,
		intent.LabelDaftar:      (*Router).startSignup,
		intent.LabelPetugas:     func(r *Router, x *run) error { return r.handoff(x, true) },
		intent.LabelIuranInfo:   starts(namePremium),
		labelClaim:              claim(""),
		intent.LabelKlaimJKK:    claim(intent.LabelKlaimJKK),
		intent.LabelKlaimJKM:    claim(intent.LabelKlaimJKM),
		intent.LabelKlaimJHT:    claim(intent.LabelKlaimJHT),
		intent.LabelBerhenti:    starts(nameStop),
		intent.LabelHapusData:   starts(nameErase),
	}
}

// text is a one-message answer.
func text(key string) func(r *Router, x *run) error {
	return func(r *Router, x *run) error {
		x.say(x.t(key))
		return r.done(x, true)
	}
}

// claim begins the claim flow at the claim the question named, or at "which claim?".
func claim(l intent.Label) func(r *Router, x *run) error {
	return func(r *Router, x *run) error {
		x.claim = l
		return r.startFlow(x, flowClaim)
	}
}

// starts begins a flow; flows are looked up when asked for, as they register in init.
func starts(flow string) func(r *Router, x *run) error {
	return func(r *Router, x *run) error { return r.startFlow(x, flows[flow]) }
}

// dispatch does what an intent (or a menu value) asks for.
func (r *Router) dispatch(x *run, label intent.Label) error {
	if label != intent.LabelUnknown {
		x.Conv.Unknowns = 0
	}
	if answer, ok := answers[label]; ok {
		return answer(r, x)
	}
	return r.unknown(x)
}

// unknown answers what the bot did not understand; the second time in a row it offers the
// menu and a person.
func (r *Router) unknown(x *run) error {
	x.Conv.Unknowns++
	if x.Conv.Unknowns >= 2 {
		x.Conv.Unknowns = 0
		x.say(x.t("smalltalk.unknown_again"), r.menuChoices(x)...)
		return nil
	}
	x.say(x.t("smalltalk.unknown"))
	return nil
}

// done ends an answer: back to the flow it interrupted, with its question again, or the menu.
func (r *Router) done(x *run, offerMenu bool) error {
	if stack := x.stack(); len(stack) > 0 {
		top := stack[len(stack)-1]
		x.setStack(stack[:len(stack)-1])
		x.Conv.Flow, x.Conv.State = top.Flow, top.State
		f := x.flow()
		if f == nil {
			return r.done(x, offerMenu)
		}
		mc := f.machine(x)
		defer mc.release()
		return mc.ask(f.BackTo)
	}
	x.Conv.Flow, x.Conv.State = flowMenu, ""
	if offerMenu {
		x.say(x.t("menu.more"), r.menuChoices(x)...)
	}
	return nil
}

// interrupt answers a question asked in the middle of a flow, then returns to it.
func (r *Router) interrupt(x *run, label intent.Label) error {
	if stack := x.stack(); len(stack) < maxFrames {
		x.setStack(append(stack, frame{Flow: x.Conv.Flow, State: x.Conv.State}))
	}
	x.Conv.Flow, x.Conv.State = flowMenu, ""
	x.Conv.Failures = 0
	return r.dispatch(x, label)
}

// interruption tells whether free text given as an answer is really another question. Steps
// that take almost any text (a name, a city) need a surer classification than steps whose
// answer did not parse.
func (r *Router) interruption(x *run, parsedOK bool) (intent.Label, bool) {
	label, _, ok := r.interruptionOf(x, parsedOK)
	return label, ok
}

// surelyAnotherRequest is the confidence at which a short phrase that is not an answer is taken
// as a request of its own in the middle of a flow.
const surelyAnotherRequest = 0.9

// interruptionOf is interruption with the classifier's confidence.
func (r *Router) interruptionOf(x *run, parsedOK bool) (intent.Label, float64, bool) {
	min := 0.7
	if parsedOK {
		// "Putri Bayar" is a name, "Orang Lain" too: text that reads as a valid answer is a
		// question only if it is worded like one.
		if !looksLikeQuestion(x.In.Text) {
			return "", 0, false
		}
		min = 0.85
	}
	res := r.classifier().Classify(x.In.Text)
	switch res.Label {
	case intent.LabelUnknown, intent.LabelSalam, intent.LabelTerimaKasih, intent.LabelDaftar:
		return "", 0, false
	}
	return res.Label, res.Confidence, res.Confidence >= min
}

// questionWords mark a message as a question or request rather than a name or place.
var questionWords = map[string]bool{
	"berapa": true, "brp": true, "brapa": true, "gimana": true, "gmn": true, "gmna": true, "bagaimana": true, "bgmn": true,
	"kapan": true, "dimana": true, "mana": true, "apa": true, "apakah": true, "bisa": true, "bisakah": true, "kok": true,
	"cara": true, "caranya": true, "tolong": true, "mau": true, "pengen": true, "pingin": true, "ingin": true, "minta": true,
	"gak": true, "ga": true, "nggak": true, "tidak": true, "stop": true, "berhenti": true, "hapus": true, "how": true,
	"what": true, "where": true, "when": true, "can": true, "please": true, "piye": true, "pinten": true, "pripun": true,
	"kalau": true, "kalo": true, "klo": true, "kl": true, "seandainya": true, "andai": true, "misal": true, "if": true,
	"ada": true, "ngaku": true, "ganti": true, "ubah": true,
}

func looksLikeQuestion(text string) bool {
	if strings.Contains(text, "?") {
		return true
	}
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if questionWords[strings.Trim(w, ".,!")] {
			return true
		}
	}
	return false
}

// fromText routes free text at the menu by its intent.
func (r *Router) fromText(x *run) error {
	if x.In.Kind != bot.KindText {
		r.showMenu(x, false)
		return nil
	}
	// Kept for a request to a person that may follow; a NIK or phone number in it is masked,
	// like in the logs: slots are not sealed.
	x.slots[slotLastQuestion] = truncate(bot.MaskText(x.In.Text), 500)
	res := r.classifier().Classify(x.In.Text)
	x.Conv.Flow, x.Conv.State = flowMenu, ""
	switch {
	case res.Label == intent.LabelUnknown && x.New:
		// A first message we cannot read ("p", "halo kak...") still deserves a welcome.
		r.showMenu(x, true)
		return nil
	case res.Label == intent.LabelPetugas:
		// Opening a request is worth a question when the wording is not plain.
		return r.handoff(x, res.Confidence >= handoffSure || r.words().Mentions(x.In.Text, words.Human))
	}
	return r.dispatch(x, res.Label)
}

// handoffSure is the confidence at which free text opens a request without asking first.
const handoffSure = 0.8

const slotLastQuestion = "_last_question"

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// language switches to the language a message asks for ("pake bahasa inggris dong", "saya ga
// ngerti bahasa inggris"), or asks which.
func (r *Router) language(x *run) error {
	if lang := intent.RequestedLanguage(x.In.Text); lang != "" {
		return r.switchLanguage(x, lang)
	}
	return r.startFlow(x, flowLanguage)
}

// monthsIn reads a number of months from a message ("telat bayar 4 bulan"), 0 when none.
func monthsIn(text string) int {
	m := monthsPattern.FindStringSubmatch(strings.ToLower(text))
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

var monthsPattern = regexp.MustCompile(`\b(\d{1,2})\s*(?:bulan|bln|month|months)\b`)
