package flows

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/flows/intent"
	"bpubot/flows/tariff"
	"bpubot/locales"
	"bpubot/models"

	"github.com/looplab/fsm"
	"gorm.io/gorm"
)

// Answer flows: the questions workers ask besides signing up. Each short multi-step flow is a
// looplab/fsm machine over its own states; one-message answers need no machine.
const (
	flowPremium  = "iuran"
	flowClaim    = "klaim"
	flowClaimJKK = "klaim_jkk"
	flowClaimJKM = "klaim_jkm"
	flowStop     = "berhenti"
	flowErase    = "hapus_data"
)

// Menu and button values that start a flow, and the intents they stand for.
var menuValues = map[string]intent.Label{
	"daftar": intent.LabelDaftar, "daftar_lain": intent.LabelDaftar, "iuran": intent.LabelIuranInfo,
	"bayar": intent.LabelBayar, "status": intent.LabelCekStatus, "klaim": "klaim", "manfaat": intent.LabelManfaat,
	"petugas": intent.LabelPetugas, "klaim_jkk": intent.LabelKlaimJKK, "klaim_jkm": intent.LabelKlaimJKM,
	"klaim_jht": intent.LabelKlaimJHT, "berhenti": intent.LabelBerhenti, "hapus_data": intent.LabelHapusData,
	"bantuan": intent.LabelBantuan, "mulai": "mulai",
}

// frame is an interrupted flow, resumed when the interruption is answered.
type frame struct {
	Flow  string `json:"flow"`
	State string `json:"state"`
}

// stack is the conversation's interrupted flows, innermost last.
func (x *run) stack() []frame {
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

// oneMessage are the answers that are one message, then done.
var oneMessage = map[intent.Label]string{
	intent.LabelKlaimJHT:    "claim.jht",
	intent.LabelManfaat:     "benefits.text",
	intent.LabelSalam:       "smalltalk.greeting",
	intent.LabelTerimaKasih: "smalltalk.thanks",
	intent.LabelBantuan:     "smalltalk.help",
}

func (r *Router) classifier() *intent.Classifier {
	if r.Intent != nil {
		return r.Intent
	}
	return intent.Default()
}

// dispatch starts what an intent (or a menu value) asks for.
func (r *Router) dispatch(x *run, label intent.Label) error {
	if label != intent.LabelUnknown {
		x.Conv.Unknowns = 0
	}
	if key, ok := oneMessage[label]; ok {
		x.say(x.t(key))
		return r.done(x, true)
	}
	switch label {
	case intent.LabelDaftar:
		if x.Conv.Flow == flowSignup {
			return r.signup(x).ask()
		}
		return r.startSignup(x)
	case intent.LabelIuranInfo:
		return r.premium(x)
	case intent.LabelBayar:
		return r.payment(x)
	case intent.LabelCekStatus:
		if err := r.status(x); err != nil {
			return err
		}
		return r.done(x, false)
	case "klaim":
		x.Conv.Flow, x.Conv.State = flowClaim, "which"
		x.say(x.t("claim.which"), x.choice("claim.choice_jkk", "klaim_jkk"), x.choice("claim.choice_jkm", "klaim_jkm"), x.choice("claim.choice_jht", "klaim_jht"))
		return nil
	case intent.LabelKlaimJKK:
		return r.claimJKK(x, true)
	case intent.LabelKlaimJKM:
		return r.claimJKM(x, true)
	case intent.LabelPetugas:
		return r.handoff(x)
	case intent.LabelBerhenti:
		return r.stop(x, true)
	case "mulai":
		return r.resumeMessages(x)
	case intent.LabelHapusData:
		return r.erase(x, true)
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
		if top.Flow == flowSignup {
			q := r.signup(x).question()
			q.Text = x.t("common.back_to_question") + "\n\n" + q.Text
			x.Say(q)
			return nil
		}
		return r.repeat(x)
	}
	x.Conv.Flow, x.Conv.State = flowMenu, ""
	if offerMenu {
		x.say(x.t("menu.more"), r.menuChoices(x)...)
	}
	return nil
}

// interrupt answers a question asked in the middle of a flow, then returns to it.
func (r *Router) interrupt(x *run, label intent.Label) error {
	x.setStack(append(x.stack(), frame{Flow: x.Conv.Flow, State: x.Conv.State}))
	x.Conv.Flow, x.Conv.State = flowMenu, ""
	x.Conv.Failures = 0
	return r.dispatch(x, label)
}

// interruption tells whether free text given as an answer is really another question. Steps
// that take almost any text (a name, a city) need a surer classification than steps whose
// answer did not parse.
func (r *Router) interruption(x *run, parsedOK bool) (intent.Label, bool) {
	res := r.classifier().Classify(x.In.Text)
	switch res.Label {
	case intent.LabelUnknown, intent.LabelSalam, intent.LabelTerimaKasih, intent.LabelDaftar:
		return "", false
	}
	min := 0.7
	if parsedOK {
		// "Putri Bayar" is a name, "Orang Lain" too: text that reads as a valid answer is a
		// question only if it is worded like one.
		if !looksLikeQuestion(x.In.Text) {
			return "", false
		}
		min = 0.85
	}
	return res.Label, res.Confidence >= min
}

// questionWords mark a message as a question or request rather than a name or place.
var questionWords = map[string]bool{
	"berapa": true, "brp": true, "brapa": true, "gimana": true, "gmn": true, "gmna": true, "bagaimana": true, "bgmn": true,
	"kapan": true, "dimana": true, "mana": true, "apa": true, "apakah": true, "bisa": true, "bisakah": true, "kok": true,
	"cara": true, "caranya": true, "tolong": true, "mau": true, "pengen": true, "pingin": true, "ingin": true, "minta": true,
	"gak": true, "ga": true, "nggak": true, "tidak": true, "stop": true, "berhenti": true, "hapus": true, "how": true,
	"what": true, "where": true, "when": true, "can": true, "please": true, "piye": true, "pinten": true, "pripun": true,
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

// routeAnswerFlow continues a multi-step answer flow.
func (r *Router) routeAnswerFlow(x *run) error {
	switch x.Conv.Flow {
	case flowClaim:
		if label, ok := menuValues[x.In.Input()]; ok {
			return r.dispatch(x, label)
		}
		return r.fromText(x)
	case flowPremium:
		return r.premiumAnswer(x)
	case flowClaimJKK:
		return r.claimJKKAnswer(x)
	case flowClaimJKM:
		return r.claimJKMAnswer(x)
	case flowStop:
		return r.stopAnswer(x)
	case flowErase:
		return r.eraseAnswer(x)
	}
	x.Conv.Flow = flowMenu
	return r.menu(x)
}

// fromText routes free text by its intent.
func (r *Router) fromText(x *run) error {
	if x.In.Kind != bot.KindText {
		r.showMenu(x, false)
		return nil
	}
	x.slots[slotLastQuestion] = truncate(x.In.Text, 500)
	res := r.classifier().Classify(x.In.Text)
	x.Conv.Flow, x.Conv.State = flowMenu, ""
	if res.Label == intent.LabelUnknown && x.New {
		// A first message we cannot read ("p", "halo kak...") still deserves a welcome.
		r.showMenu(x, true)
		return nil
	}
	return r.dispatch(x, res.Label)
}

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

// ---- premium (iuran_info) ------------------------------------------------------------------

// premium quotes the worker's own premium: from their enrollment, from what they entered in a
// sign-up in progress, or after asking their occupation and income.
func (r *Router) premium(x *run) error {
	if p, ok, err := r.memberParticipant(x); err != nil {
		return err
	} else if ok {
		x.say(r.quoteText(x, p, true))
		return r.done(x, true)
	}
	if occ, inc := x.slots[slotOccupation], x.slots[slotIncome]; occ != "" && inc != "" {
		var income int64
		fmt.Sscan(inc, &income)
		pkg := tariff.Package(x.slots[slotPackage])
		if !pkg.Valid() {
			pkg = tariff.PackageJKKJKM
		}
		x.say(r.quoteText(x, tariff.Participant{Income: income, Occupation: occ, Package: pkg}, false))
		return r.done(x, true)
	}
	x.Conv.Flow, x.Conv.State = flowPremium, stOccupation
	if occ := x.slots[slotOccupation]; occ != "" {
		// A sign-up in progress already told us the occupation.
		x.slots["q_occupation"] = occ
		x.Conv.State = stIncome
	}
	return r.askPremium(x)
}

var premiumEvents = fsm.Events{
	{Name: "next", Src: []string{stOccupation}, Dst: stIncome},
	{Name: "next", Src: []string{stIncome}, Dst: stDone},
}

func (r *Router) premiumMachine(x *run) *fsm.FSM {
	return fsm.NewFSM(x.Conv.State, premiumEvents, fsm.Callbacks{})
}

func (r *Router) askPremium(x *run) error {
	if x.Conv.State == stIncome {
		min, max := r.Tariff.IncomeBounds()
		x.say(x.t("premium.ask_income", "min", locales.Money(min), "max", locales.Money(max)), incomeChoices(x, r.Tariff)...)
		return nil
	}
	x.say(x.t("premium.ask_occupation"), occupationChoices(x)...)
	return nil
}

func (r *Router) premiumAnswer(x *run) error {
	m := r.premiumMachine(x)
	input := x.In.Input()
	switch m.Current() {
	case stOccupation:
		code := matchOccupation(strings.ToLower(input))
		if code == "" {
			if label, ok := r.interruption(x, false); ok {
				return r.dispatch(x, label)
			}
			x.Conv.Failures++
			x.say(x.t("signup.occupation_invalid"))
			return r.askPremium(x)
		}
		x.slots["q_occupation"] = code
	case stIncome:
		amount, err := parseIncome(r.Tariff, input)
		if err != nil {
			if label, ok := r.interruption(x, false); ok {
				return r.dispatch(x, label)
			}
			x.Conv.Failures++
			min, max := r.Tariff.IncomeBounds()
			x.say(x.t(err.Error(), "min", locales.Money(min), "max", locales.Money(max)))
			return r.askPremium(x)
		}
		x.slots["q_income"] = fmt.Sprint(amount)
	}
	if err := m.Event(x.ctx, "next"); err != nil {
		return err
	}
	x.Conv.State = m.Current()
	x.Conv.Failures = 0
	if m.Current() != stDone {
		return r.askPremium(x)
	}
	var income int64
	fmt.Sscan(x.slots["q_income"], &income)
	p := tariff.Participant{Income: income, Occupation: x.slots["q_occupation"], Package: tariff.PackageJKKJKM}
	delete(x.slots, "q_income")
	delete(x.slots, "q_occupation")
	x.say(r.quoteText(x, p, false))
	return r.done(x, true)
}

// memberParticipant is the tariff participant of this chat's enrolled worker, if any.
func (r *Router) memberParticipant(x *run) (tariff.Participant, bool, error) {
	if x.Conv.MemberID == nil {
		return tariff.Participant{}, false, nil
	}
	var m models.Member
	if err := x.Tx.Take(&m, *x.Conv.MemberID).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return tariff.Participant{}, false, nil
	} else if err != nil {
		return tariff.Participant{}, false, err
	}
	e, err := models.LatestEnrollment(x.Tx, m.ID)
	if errors.Is(err, models.ErrNotFound) {
		return tariff.Participant{}, false, nil
	} else if err != nil {
		return tariff.Participant{}, false, err
	}
	gov := false
	if e.PartnerID != nil {
		var p models.Partner
		if err := x.Tx.Take(&p, *e.PartnerID).Error; err == nil {
			gov = p.GovSponsored
		}
	}
	return tariff.Participant{Income: e.DeclaredIncome, Occupation: m.Occupation, Package: tariff.Package(e.Package), GovSponsored: gov}, true, nil
}

// quoteText is a premium for this month and for 1/3/6/12 months from now.
func (r *Router) quoteText(x *run, p tariff.Participant, own bool) string {
	month := x.Now.In(r.Config.Location)
	q, err := r.Tariff.Month(p, month)
	if err != nil {
		return x.t("common.error")
	}
	var periods []string
	for _, n := range tariff.PeriodLengths() {
		pq, err := r.Tariff.Period(p, month, n)
		if err != nil {
			continue
		}
		periods = append(periods, x.t("premium.period_line", "n", n, "amount", locales.Money(pq.Total)))
	}
	discount := ""
	if q.Discount > 0 {
		discount = x.t("premium.discount_note", "full", locales.Money(q.Total+q.Discount), "name", q.DiscountName)
	}
	key := "premium.quote"
	if own {
		key = "premium.quote_own"
	}
	return x.t(key,
		"month", locales.Month(x.lang(), month),
		"package", x.t("package."+string(p.Package)),
		"income", locales.Money(p.Income),
		"occupation", x.t("occupation."+p.Occupation),
		"amount", locales.Money(q.Total),
		"discount", discount,
		"periods", strings.Join(periods, "\n"),
	)
}

// ---- payment (bayar) -----------------------------------------------------------------------

func (r *Router) payment(x *run) error {
	amount := ""
	if p, ok, err := r.memberParticipant(x); err != nil {
		return err
	} else if ok {
		if q, err := r.Tariff.Month(p, x.Now.In(r.Config.Location)); err == nil {
			amount = x.t("payment.your_amount", "amount", locales.Money(q.Total)) + "\n"
		}
	}
	x.say(x.t("payment.text", "amount", amount))
	return r.done(x, true)
}

// ---- status (cek_status) with payments -----------------------------------------------------

// arrears counts the months due and unpaid after paidUntil up to today: a month is due once
// its 15th has passed.
func (r *Router) arrears(x *run, p tariff.Participant, paidUntil time.Time) (int, int64) {
	now := x.Now.In(r.Config.Location)
	month := time.Date(paidUntil.Year(), paidUntil.Month(), 1, 0, 0, 0, 0, r.Config.Location).AddDate(0, 1, 0)
	var n int
	var total int64
	for ; ; month = month.AddDate(0, 1, 0) {
		due := month.AddDate(0, 0, 14)
		if !now.After(due.AddDate(0, 0, 1)) {
			break
		}
		q, err := r.Tariff.Month(p, month)
		if err != nil {
			break
		}
		n++
		total += q.Total
		if n > 120 {
			break
		}
	}
	return n, total
}
