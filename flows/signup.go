package flows

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/flows/tariff"
	"bpubot/flows/validate"
	"bpubot/locales"
	"bpubot/models"

	"github.com/looplab/fsm"
)

// Sign-up states, in the order a worker meets them.
const (
	stConsent         = "consent"
	stName            = "name"
	stNIK             = "nik"
	stNIKConfirm      = "nik_confirm"
	stPhone           = "phone"
	stOccupation      = "occupation"
	stOccupationOther = "occupation_other"
	stProvince        = "province"
	stCity            = "city"
	stIncome          = "income"
	stPackage         = "package"
	stPeriod          = "period"
	stPartner         = "partner"
	stSummary         = "summary"
	stEditChoice      = "edit_choice"
	stDone            = "done"
)

var signupStates = []string{stConsent, stName, stNIK, stNIKConfirm, stPhone, stOccupation, stOccupationOther,
	stProvince, stCity, stIncome, stPackage, stPeriod, stPartner, stSummary, stEditChoice}

// Slots: what the worker has entered so far, kept in Conversation.Slots between messages.
const (
	slotConsentAt      = "consent_at"
	slotConsentVersion = "consent_version"
	slotName           = "name"
	slotNIKSealed      = "nik_sealed" // AES-GCM, base64: the NIK is never stored in clear
	slotNIKMasked      = "nik_masked"
	slotBirthDate      = "birth_date"
	slotSex            = "sex"
	slotPhone          = "phone"
	slotPhoneSource    = "phone_source"
	slotOccupation     = "occupation"
	slotOccOther       = "occupation_other"
	slotProvince       = "province"
	slotCity           = "city"
	slotIncome         = "income"
	slotPackage        = "package"
	slotPeriod         = "period"
	slotPartner        = "partner"
	slotPartnerAsked   = "partner_asked"
	slotTrail          = "_trail"
	slotEditing        = "_editing"   // the state to return to after changing one answer
	slotEditFrom       = "_edit_from" // where the worker asked to change something
	slotSavedState     = "_saved_state"
	slotAwaitResume    = "_await_resume"
)

// signupEvents is the shared transition table of the forward path; one fsm.FSM is built from it
// per message. Jumps ("kembali", "ubah nama", back to the summary) may go from any state to any
// other, so they are not listed as events (that would be states² transitions to build for every
// message): jump sets the state and records the step the same way.
var signupEvents = func() fsm.Events {
	chain := []string{stConsent, stName, stNIK, stNIKConfirm, stPhone, stOccupation, stProvince, stCity,
		stIncome, stPackage, stPeriod, stPartner, stSummary}
	var ev fsm.Events
	for i := 0; i+1 < len(chain); i++ {
		ev = append(ev, fsm.EventDesc{Name: "next", Src: []string{chain[i]}, Dst: chain[i+1]})
	}
	ev = append(ev,
		fsm.EventDesc{Name: "other", Src: []string{stOccupation}, Dst: stOccupationOther},
		fsm.EventDesc{Name: "next", Src: []string{stOccupationOther}, Dst: stProvince},
		fsm.EventDesc{Name: "skip_phone", Src: []string{stNIKConfirm}, Dst: stOccupation},
		fsm.EventDesc{Name: "confirm", Src: []string{stSummary}, Dst: stDone},
	)
	return ev
}()

// editable fields: what "ubah <field>" understands, and where each starts.
var editable = []struct {
	state   string
	key     string // locale key of its label
	aliases []string
}{
	{stName, "signup.field_name", []string{"nama", "name"}},
	{stNIK, "signup.field_nik", []string{"nik", "ktp"}},
	{stPhone, "signup.field_phone", []string{"hp", "nomor", "no hp", "nomor hp", "telepon", "phone", "wa"}},
	{stOccupation, "signup.field_occupation", []string{"pekerjaan", "kerja", "job", "occupation"}},
	{stProvince, "signup.field_place", []string{"provinsi", "kota", "alamat", "domisili", "lokasi", "kabupaten"}},
	{stIncome, "signup.field_income", []string{"penghasilan", "gaji", "income", "pendapatan"}},
	{stPackage, "signup.field_package", []string{"program", "paket", "jht"}},
	{stPeriod, "signup.field_period", []string{"periode", "bulan", "period"}},
	{stPartner, "signup.field_partner", []string{"kode", "mitra", "sponsor", "partner"}},
}

type signupRun struct {
	*run
	m *fsm.FSM
}

func (r *Router) signup(x *run) *signupRun {
	sr := &signupRun{run: x}
	state := x.Conv.State
	if state == "" {
		state = stConsent
	}
	sr.m = fsm.NewFSM(state, signupEvents, fsm.Callbacks{
		"enter_state": func(_ context.Context, e *fsm.Event) { sr.entered(e.Dst) },
	})
	return sr
}

// entered records a step on the path "kembali" walks back along; a detour to change one
// answer is not a step.
func (sr *signupRun) entered(state string) {
	if !sr.editing() || state == sr.slots[slotEditing] {
		sr.pushTrail(state)
	}
}

func (r *Router) startSignup(x *run) error {
	if x.Conv.MemberID != nil && x.In.Input() != "daftar_lain" {
		// This chat already signed someone up: show that, and offer to sign up someone else.
		if e, err := models.LatestEnrollment(x.Tx, *x.Conv.MemberID); err == nil {
			x.say(x.t("signup.already_member")+"\n\n"+r.statusText(x, e),
				x.choice("signup.register_other", "daftar_lain"), x.choice("common.to_menu", "menu"))
			return nil
		} else if !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	if saved := x.slots[slotSavedState]; saved != "" {
		x.Conv.Flow = flowSignup
		x.Conv.State = saved
		delete(x.slots, slotSavedState)
		x.slots[slotAwaitResume] = "1"
		x.say(x.t("signup.resume_question"), x.choice("signup.resume_continue", "lanjut"), x.choice("signup.resume_restart", "ulang"))
		return nil
	}
	partner := x.slots[slotPartner]
	r.clearSignup(x)
	if partner != "" {
		x.slots[slotPartner] = partner
	}
	x.Conv.Flow = flowSignup
	x.Conv.State = stConsent
	x.Conv.Failures = 0
	sr := r.signup(x)
	sr.pushTrail(stConsent)
	return sr.ask()
}

func (r *Router) answerResume(x *run) error {
	delete(x.slots, slotAwaitResume)
	switch strings.ToLower(x.In.Input()) {
	case "lanjut", "ya", "iya", "lanjutkan", "continue", "yes":
		x.Conv.Flow = flowSignup
		return r.signup(x).ask()
	case "ulang", "mulai lagi", "restart", "dari awal":
		delete(x.slots, slotSavedState)
		r.clearSignup(x)
		return r.startSignup(x)
	}
	x.slots[slotAwaitResume] = "1"
	x.say(x.t("signup.resume_question"), x.choice("signup.resume_continue", "lanjut"), x.choice("signup.resume_restart", "ulang"))
	return nil
}

// clearSignup forgets the sign-up in progress.
func (r *Router) clearSignup(x *run) {
	for k := range x.slots {
		delete(x.slots, k)
	}
	x.Conv.State = ""
	x.Conv.Failures = 0
}

func (sr *signupRun) editing() bool { return sr.slots[slotEditing] != "" }

func (sr *signupRun) trail() []string {
	if sr.slots[slotTrail] == "" {
		return nil
	}
	return strings.Split(sr.slots[slotTrail], ",")
}

// pushTrail records the path "kembali" walks back along. Coming back to a state already on the
// path cuts the path there; the edit menu is a detour, never a step.
func (sr *signupRun) pushTrail(state string) {
	if state == stEditChoice {
		return
	}
	t := sr.trail()
	if i := slices.Index(t, state); i >= 0 {
		t = t[:i+1]
	} else {
		t = append(t, state)
	}
	sr.slots[slotTrail] = strings.Join(t, ",")
}

// fire moves the machine and stores the new state; then the new state's question is asked.
// "goto_<state>" jumps.
func (sr *signupRun) fire(event string) error {
	if target, ok := strings.CutPrefix(event, "goto_"); ok {
		if !slices.Contains(signupStates, target) {
			return fmt.Errorf("signup: no state %q", target)
		}
		if target != sr.m.Current() {
			sr.m.SetState(target)
			sr.entered(target)
		}
	} else if err := sr.m.Event(sr.ctx, event); err != nil {
		var noTransition fsm.NoTransitionError
		if !errors.As(err, &noTransition) {
			return fmt.Errorf("signup %s from %s: %w", event, sr.m.Current(), err)
		}
	}
	sr.Conv.State = sr.m.Current()
	sr.Conv.Failures = 0
	return nil
}

// advance goes on after a good answer: forward, or back to where the worker was when they
// asked to change one answer, unless the answer needs a follow-up question first (a new NIK
// is confirmed, a new province needs its city, "lainnya" needs the occupation typed).
func (sr *signupRun) advance(event string) error {
	cur := sr.m.Current()
	if ret := sr.slots[slotEditing]; ret != "" && event != "other" && cur != stNIK && cur != stProvince {
		event = "goto_" + ret
	}
	if event == "next" && cur == stNIKConfirm && sr.slots[slotPhoneSource] == "channel" {
		event = "skip_phone"
	}
	if event == "next" && cur == stPeriod && sr.slots[slotPartner] != "" && sr.slots[slotPartnerAsked] == "" {
		event = "goto_" + stSummary // a deep link already named the partner
	}
	if err := sr.fire(event); err != nil {
		return err
	}
	if sr.m.Current() == sr.slots[slotEditing] {
		delete(sr.slots, slotEditing)
	}
	return sr.ask()
}

// handle reads the worker's message as the answer to the current question.
func (sr *signupRun) handle() error {
	input := sr.In.Input()
	low := strings.ToLower(input)
	if command(input) == "kembali" {
		return sr.back()
	}
	if field, ok := strings.CutPrefix(low, "ubah "); ok {
		return sr.edit(strings.TrimSpace(field))
	}
	if low == "ubah" || low == "edit" {
		if sr.m.Current() != stEditChoice {
			sr.slots[slotEditFrom] = sr.m.Current()
		}
		if err := sr.fire("goto_" + stEditChoice); err != nil {
			return err
		}
		return sr.ask()
	}
	if sr.m.Current() == stPhone && sr.In.Kind == bot.KindContact {
		return sr.answerContact()
	}
	if input == "" {
		return sr.reject("common.empty")
	}
	switch sr.m.Current() {
	case stName, stCity, stOccupationOther:
		// These take almost any words, so a question asked here must be recognised first.
		if label, ok := sr.r.interruption(sr.run, true); ok && sr.In.Kind == bot.KindText {
			return sr.r.interrupt(sr.run, label)
		}
	}
	switch sr.m.Current() {
	case stConsent:
		return sr.answerConsent(low)
	case stName:
		return sr.answerName(input)
	case stNIK:
		return sr.answerNIK(input)
	case stNIKConfirm:
		return sr.answerNIKConfirm(low)
	case stPhone:
		return sr.answerPhone(input)
	case stOccupation:
		return sr.answerOccupation(low)
	case stOccupationOther:
		return sr.answerOccupationOther(input)
	case stProvince:
		return sr.answerProvince(input)
	case stCity:
		return sr.answerCity(input)
	case stIncome:
		return sr.answerIncome(input)
	case stPackage:
		return sr.answerPackage(low)
	case stPeriod:
		return sr.answerPeriod(low)
	case stPartner:
		return sr.answerPartner(input)
	case stSummary:
		return sr.answerSummary(low)
	case stEditChoice:
		return sr.edit(low)
	}
	return sr.startOver()
}

func (sr *signupRun) startOver() error {
	sr.r.clearSignup(sr.run)
	return sr.r.startSignup(sr.run)
}

func (sr *signupRun) back() error {
	t := sr.trail()
	if len(t) <= 1 {
		sr.r.clearSignup(sr.run)
		sr.Conv.Flow = flowMenu
		sr.say(sr.t("signup.cancelled"))
		sr.r.showMenu(sr.run, false)
		return nil
	}
	t = t[:len(t)-1]
	prev := t[len(t)-1]
	sr.slots[slotTrail] = strings.Join(t[:len(t)-1], ",") // the enter callback puts prev back
	delete(sr.slots, slotEditing)
	if err := sr.fire("goto_" + prev); err != nil {
		return err
	}
	return sr.ask()
}

// edit goes to the question of one field ("ubah nama"); once it is answered the worker returns
// to where they were.
func (sr *signupRun) edit(field string) error {
	from := sr.m.Current()
	if from == stEditChoice {
		from = sr.slots[slotEditFrom]
		if field == "selesai" || field == "tidak" || field == "tidak jadi" {
			if err := sr.fire("goto_" + from); err != nil {
				return err
			}
			return sr.ask()
		}
	}
	target := ""
	for _, f := range editable {
		if f.state == field || slices.Contains(f.aliases, field) {
			target = f.state
		}
	}
	if target == "" {
		return sr.reject("signup.edit_unknown")
	}
	if !sr.reached(target) {
		return sr.reject("signup.edit_not_yet")
	}
	if target != from && from != "" {
		sr.slots[slotEditing] = from
	}
	if err := sr.fire("goto_" + target); err != nil {
		return err
	}
	return sr.ask()
}

func (sr *signupRun) reached(state string) bool {
	return slices.Contains(sr.trail(), state)
}

// numericStep marks the questions answered with a number.
var numericStep = map[string]bool{stNIK: true, stPhone: true, stIncome: true, stPeriod: true}

// reject answers bad input: what was wrong with an example, the same question again, and after
// too many tries the offer of a human.
func (sr *signupRun) reject(key string, args ...any) error {
	if sr.In.Kind == bot.KindText && !(numericStep[sr.m.Current()] && strings.ContainsAny(sr.In.Text, "0123456789")) {
		// Not an answer: maybe a question ("iurannya berapa?"). Digits at a numeric step are a
		// mistyped answer, never a question.
		if label, ok := sr.r.interruption(sr.run, false); ok {
			return sr.r.interrupt(sr.run, label)
		}
	}
	sr.Conv.Failures++
	text := sr.t(key, args...)
	if sr.r.Config.MaxFailures > 0 && sr.Conv.Failures >= sr.r.Config.MaxFailures {
		text += "\n\n" + sr.t("common.offer_human")
	}
	q := sr.question()
	q.Text = text + "\n\n" + q.Text
	sr.Say(q)
	return nil
}

func (sr *signupRun) ask() error {
	sr.Say(sr.question())
	return nil
}

// question is the current state's prompt.
func (sr *signupRun) question() bot.Reply {
	x := sr.run
	step := func(n int) string { return x.t("signup.step", "n", n, "total", 10) }
	switch sr.m.Current() {
	case stConsent:
		return bot.Reply{Text: x.t("signup.ask_consent", "version", sr.r.Config.ConsentVersion),
			Choices: []bot.Choice{x.choice("signup.consent_yes", "setuju"), x.choice("signup.consent_no", "tidak")}}
	case stName:
		return bot.Reply{Text: step(1) + x.t("signup.ask_name")}
	case stNIK:
		return bot.Reply{Text: step(2) + x.t("signup.ask_nik")}
	case stNIKConfirm:
		return bot.Reply{Text: x.t("signup.ask_nik_confirm", "birth", sr.birthText(), "sex", x.t("sex."+x.slots[slotSex])),
			Choices: []bot.Choice{x.choice("common.yes_right", "ya"), x.choice("common.no_wrong", "bukan")}}
	case stPhone:
		return bot.Reply{Text: step(3) + x.t("signup.ask_phone"), RequestContact: true}
	case stOccupation:
		return bot.Reply{Text: step(4) + x.t("signup.ask_occupation"), Choices: occupationChoices(x)}
	case stOccupationOther:
		return bot.Reply{Text: x.t("signup.ask_occupation_other")}
	case stProvince:
		r := bot.Reply{Text: step(5) + x.t("signup.ask_province")}
		if p, ok := sr.nikProvince(); ok {
			r.Choices = []bot.Choice{{Label: p.Name, Value: p.Name}}
		}
		return r
	case stCity:
		return bot.Reply{Text: step(6) + x.t("signup.ask_city", "province", sr.provinceName())}
	case stIncome:
		min, max := sr.r.Tariff.IncomeBounds()
		return bot.Reply{Text: step(7) + x.t("signup.ask_income", "min", locales.Money(min), "max", locales.Money(max)), Choices: incomeChoices(x, sr.r.Tariff)}
	case stPackage:
		basic := sr.quoteMonth(tariff.PackageJKKJKM)
		full := sr.quoteMonth(tariff.PackageJKKJKMJHT)
		return bot.Reply{Text: step(8) + x.t("signup.ask_package"), Choices: []bot.Choice{
			{Label: x.t("signup.package_basic", "amount", locales.Money(basic)), Value: string(tariff.PackageJKKJKM)},
			{Label: x.t("signup.package_full", "amount", locales.Money(full)), Value: string(tariff.PackageJKKJKMJHT)},
		}}
	case stPeriod:
		var cs []bot.Choice
		for _, n := range tariff.PeriodLengths() {
			total := sr.quotePeriod(n)
			cs = append(cs, bot.Choice{Label: x.t("signup.period_choice", "n", n, "amount", locales.Money(total)), Value: strconv.Itoa(n)})
		}
		return bot.Reply{Text: step(9) + x.t("signup.ask_period"), Choices: cs}
	case stPartner:
		return bot.Reply{Text: step(10) + x.t("signup.ask_partner"), Choices: []bot.Choice{x.choice("signup.partner_skip", "lewati")}}
	case stSummary:
		return bot.Reply{Text: sr.summary(), Choices: []bot.Choice{
			x.choice("signup.confirm_yes", "konfirmasi"), x.choice("signup.confirm_edit", "ubah"), x.choice("signup.confirm_cancel", "batal"),
		}}
	case stEditChoice:
		var cs []bot.Choice
		for _, f := range editable {
			if sr.reached(f.state) {
				cs = append(cs, bot.Choice{Label: x.t(f.key), Value: f.state})
			}
		}
		return bot.Reply{Text: x.t("signup.ask_edit"), Choices: cs}
	}
	return bot.Reply{Text: x.t("common.error")}
}

func (sr *signupRun) answerConsent(low string) error {
	switch {
	case isYes(low) || low == "setuju":
		sr.slots[slotConsentAt] = sr.Now.UTC().Format(time.RFC3339)
		sr.slots[slotConsentVersion] = sr.r.Config.ConsentVersion
		return sr.advance("next")
	case isNo(low) || low == "tidak setuju":
		partner := sr.slots[slotPartner]
		sr.r.clearSignup(sr.run)
		if partner != "" {
			sr.slots[slotPartner] = partner
		}
		sr.Conv.Flow = flowMenu
		sr.say(sr.t("signup.consent_declined"), sr.choice("menu.signup", "daftar"), sr.choice("common.to_menu", "menu"))
		return nil
	}
	return sr.reject("signup.consent_invalid")
}

func (sr *signupRun) answerName(input string) error {
	name, err := validate.ValidateName(input)
	if err != nil {
		return sr.reject("validate." + string(validate.CodeOf(err)))
	}
	sr.slots[slotName] = name
	return sr.advance("next")
}

func (sr *signupRun) answerNIK(input string) error {
	nik, err := validate.ParseNIK(input, sr.Now.In(sr.r.Config.Location))
	if err != nil {
		return sr.reject("validate." + string(validate.CodeOf(err)))
	}
	age := nik.Age(sr.Now.In(sr.r.Config.Location))
	if age < sr.r.Config.MinAge || age > sr.r.Config.MaxAge {
		return sr.reject("signup.age_out_of_range", "min", sr.r.Config.MinAge, "max", sr.r.Config.MaxAge)
	}
	member, err := models.FindMemberByNIKHash(sr.Tx, sr.r.Sealer.Hash(nik.Number))
	switch {
	case err == nil:
		return sr.alreadyRegistered(member)
	case !errors.Is(err, models.ErrNotFound):
		return err
	}
	sr.slots[slotNIKSealed] = base64.StdEncoding.EncodeToString(sr.r.Sealer.Seal(nik.Number))
	sr.slots[slotNIKMasked] = models.MaskNIK(nik.Number)
	sr.slots[slotBirthDate] = nik.BirthDate.Format(time.DateOnly)
	sr.slots[slotSex] = "L"
	if nik.Female {
		sr.slots[slotSex] = "P"
	}
	if sr.In.Phone != "" && sr.slots[slotPhone] == "" {
		if phone, err := validate.NormalizePhone(sr.In.Phone); err == nil {
			sr.slots[slotPhone] = phone
			sr.slots[slotPhoneSource] = "channel"
		}
	}
	return sr.advance("next")
}

// alreadyRegistered tells the worker the NIK's status instead of enrolling it twice. Nothing
// personal of the registered member is shown: only whether and how the NIK is enrolled.
func (sr *signupRun) alreadyRegistered(m *models.Member) error {
	status := sr.t("status.registered_no_enrollment")
	if e, err := models.LatestEnrollment(sr.Tx, m.ID); err == nil {
		status = sr.t("status."+e.Status) + " · " + sr.t("package."+e.Package)
	} else if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	sr.r.clearSignup(sr.run)
	sr.Conv.Flow = flowMenu
	sr.say(sr.t("signup.nik_registered", "status", status), sr.choice("menu.human", "petugas"), sr.choice("common.to_menu", "menu"))
	return nil
}

func (sr *signupRun) answerNIKConfirm(low string) error {
	switch {
	case isYes(low) || low == "benar":
		return sr.advance("next")
	case isNo(low) || low == "bukan" || low == "salah":
		delete(sr.slots, slotNIKSealed)
		sr.say(sr.t("signup.nik_recheck"))
		if err := sr.fire("goto_" + stNIK); err != nil {
			return err
		}
		return sr.ask()
	}
	return sr.reject("common.yes_no_invalid")
}

func (sr *signupRun) answerContact() error {
	c := sr.In.Contact
	if c == nil || (c.UserID != "" && c.UserID != sr.In.UserID) {
		return sr.reject("signup.contact_not_own")
	}
	return sr.answerPhone(c.Phone)
}

func (sr *signupRun) answerPhone(input string) error {
	phone, err := validate.NormalizePhone(input)
	if err != nil {
		return sr.reject("validate." + string(validate.CodeOf(err)))
	}
	sr.slots[slotPhone] = phone
	sr.slots[slotPhoneSource] = "typed"
	return sr.advance("next")
}

var occupations = []struct {
	code     string
	keywords []string
}{
	{"ojol", []string{"ojek", "ojol", "gojek", "grab", "maxim", "driver", "sopir", "supir", "ojek online", "ojek pangkalan", "becak", "angkot", "taksi"}},
	{"kurir", []string{"kurir", "courier", "antar paket", "ekspedisi", "paket"}},
	{"kreator", []string{"youtuber", "youtube", "kreator", "konten", "kreator konten", "content creator", "tiktok", "tiktoker", "selebgram", "influencer", "streamer"}},
	{"art", []string{"art", "asisten rumah tangga", "pembantu", "prt", "pekerja rumah tangga", "babysitter", "pengasuh"}},
	{"pedagang", []string{"pedagang", "dagang", "jualan", "jual", "umkm", "warung", "usaha", "toko", "pedagang kaki lima", "pkl", "penjual"}},
	{"petani", []string{"petani", "tani", "bertani", "kebun", "sawah", "pekebun", "peternak", "ternak"}},
	{"nelayan", []string{"nelayan", "melaut", "ikan", "tambak"}},
	{"buruh_harian", []string{"buruh", "buruh harian", "kuli", "serabutan", "tukang", "harian lepas"}},
	{"lainnya", []string{"lainnya", "lain", "lain-lain", "other", "others"}},
}

// matchOccupation reads an occupation from a choice value or from words ("ngojek", "jualan").
func matchOccupation(low string) string {
	for _, o := range occupations {
		if low == o.code {
			return o.code
		}
	}
	words := " " + strings.Join(strings.Fields(strings.Trim(low, ".!?")), " ") + " "
	for _, o := range occupations {
		for _, k := range o.keywords {
			if strings.Contains(words, " "+k+" ") {
				return o.code
			}
		}
	}
	return ""
}

func occupationChoices(x *run) []bot.Choice {
	var cs []bot.Choice
	for _, o := range occupations {
		cs = append(cs, x.choice("occupation."+o.code, o.code))
	}
	return cs
}

func incomeChoices(x *run, t *tariff.Tariff) []bot.Choice {
	var cs []bot.Choice
	for _, v := range t.IncomeChoices() {
		cs = append(cs, bot.Choice{Label: locales.Money(v), Value: strconv.FormatInt(v, 10)})
	}
	return cs
}

// parseIncome reads a declared income within the tariff's bounds; the error's text is the
// locale key of the re-prompt.
func parseIncome(t *tariff.Tariff, input string) (int64, error) {
	amount, err := validate.ParseRupiah(input)
	if err != nil {
		return 0, errors.New("validate.money_invalid")
	}
	min, max := t.IncomeBounds()
	if err := validate.CheckIncome(amount, min, max); err != nil {
		return 0, errors.New("validate." + string(validate.CodeOf(err)))
	}
	return amount, nil
}

func (sr *signupRun) answerOccupation(low string) error {
	code := matchOccupation(low)
	if code == "" {
		return sr.reject("signup.occupation_invalid")
	}
	sr.slots[slotOccupation] = code
	if code == "lainnya" {
		return sr.advance("other")
	}
	delete(sr.slots, slotOccOther)
	return sr.advance("next")
}

func (sr *signupRun) answerOccupationOther(input string) error {
	place, err := validate.ValidatePlace(input)
	if err != nil {
		return sr.reject("signup.occupation_other_invalid")
	}
	sr.slots[slotOccOther] = place
	return sr.advance("next")
}

func (sr *signupRun) nikProvince() (validate.Province, bool) {
	masked := sr.slots[slotNIKMasked]
	if len(masked) < 2 {
		return validate.Province{}, false
	}
	return validate.ProvinceByCode(masked[:2])
}

func (sr *signupRun) provinceName() string {
	if p, ok := validate.ProvinceByCode(sr.slots[slotProvince]); ok {
		return p.Name
	}
	return ""
}

func (sr *signupRun) answerProvince(input string) error {
	p, ok := validate.MatchProvince(input)
	if !ok {
		return sr.reject("signup.province_invalid")
	}
	sr.slots[slotProvince] = p.Code
	return sr.advance("next")
}

func (sr *signupRun) answerCity(input string) error {
	city, err := validate.ValidatePlace(input)
	if err != nil {
		return sr.reject("signup.city_invalid")
	}
	sr.slots[slotCity] = city
	return sr.advance("next")
}

func (sr *signupRun) answerIncome(input string) error {
	amount, err := parseIncome(sr.r.Tariff, input)
	if err != nil {
		min, max := sr.r.Tariff.IncomeBounds()
		return sr.reject(err.Error(), "min", locales.Money(min), "max", locales.Money(max))
	}
	sr.slots[slotIncome] = strconv.FormatInt(amount, 10)
	return sr.advance("next")
}

func (sr *signupRun) answerPackage(low string) error {
	pkg, ok := tariff.ParsePackage(low)
	if !ok {
		switch {
		case strings.Contains(low, "tanpa") || strings.Contains(low, "tidak") || strings.Contains(low, "ga pakai"):
			pkg, ok = tariff.PackageJKKJKM, true
		case strings.Contains(low, "jht") || strings.Contains(low, "hari tua") || strings.Contains(low, "lengkap"):
			pkg, ok = tariff.PackageJKKJKMJHT, true
		case strings.Contains(low, "jkk") || strings.Contains(low, "dasar") || strings.Contains(low, "murah"):
			pkg, ok = tariff.PackageJKKJKM, true
		}
	}
	if !ok {
		return sr.reject("signup.package_invalid")
	}
	sr.slots[slotPackage] = string(pkg)
	return sr.advance("next")
}

func (sr *signupRun) answerPeriod(low string) error {
	n := 0
	words := strings.Fields(strings.NewReplacer("bulan", " ", "bln", " ", "months", " ", "month", " ").Replace(low))
	switch {
	case strings.Contains(low, "setahun") || strings.Contains(low, "1 tahun") || strings.Contains(low, "satu tahun"):
		n = 12
	case strings.Contains(low, "sebulan") || strings.Contains(low, "satu bulan"):
		n = 1
	case len(words) == 1:
		n, _ = strconv.Atoi(words[0])
	}
	if n != 1 && n != 3 && n != 6 && n != 12 {
		return sr.reject("signup.period_invalid")
	}
	sr.slots[slotPeriod] = strconv.Itoa(n)
	return sr.advance("next")
}

func (sr *signupRun) answerPartner(input string) error {
	low := strings.ToLower(input)
	if low == "lewati" || isNo(low) || low == "skip" || low == "tidak ada" || low == "ga ada" || low == "gak ada" {
		delete(sr.slots, slotPartner)
		sr.slots[slotPartnerAsked] = "none"
		return sr.advance("next")
	}
	p, err := models.FindPartner(sr.Tx, strings.TrimSpace(input))
	if errors.Is(err, models.ErrNotFound) {
		return sr.reject("signup.partner_invalid")
	}
	if err != nil {
		return err
	}
	sr.slots[slotPartner] = p.Code
	sr.slots[slotPartnerAsked] = "typed"
	return sr.advance("next")
}

func (sr *signupRun) answerSummary(low string) error {
	switch {
	case low == "konfirmasi" || isYes(low) || low == "benar" || low == "daftarkan" || low == "kirim":
		return sr.confirm()
	}
	return sr.reject("signup.summary_invalid")
}

// partner returns the partner named in the slots, if any.
func (sr *signupRun) partner() (*models.Partner, error) {
	code := sr.slots[slotPartner]
	if code == "" {
		return nil, nil
	}
	p, err := models.FindPartner(sr.Tx, code)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	return p, err
}

func (sr *signupRun) participant(pkg tariff.Package) tariff.Participant {
	p, err := sr.partner()
	if err != nil {
		p = nil
	}
	return sr.participantOf(pkg, p)
}

// participantOf is participant with the partner already looked up (nil for none).
func (sr *signupRun) participantOf(pkg tariff.Package, p *models.Partner) tariff.Participant {
	income, _ := strconv.ParseInt(sr.slots[slotIncome], 10, 64)
	gov := p != nil && p.GovSponsored
	return tariff.Participant{Income: income, Occupation: sr.slots[slotOccupation], Package: pkg, GovSponsored: gov}
}

func (sr *signupRun) month() time.Time { return sr.Now.In(sr.r.Config.Location) }

func (sr *signupRun) quoteMonth(pkg tariff.Package) int64 {
	q, err := sr.r.Tariff.Month(sr.participant(pkg), sr.month())
	if err != nil {
		return 0
	}
	return q.Total
}

func (sr *signupRun) quotePeriod(months int) int64 {
	q, err := sr.r.Tariff.Period(sr.participant(tariff.Package(sr.slots[slotPackage])), sr.month(), months)
	if err != nil {
		return 0
	}
	return q.Total
}

func (sr *signupRun) birthText() string {
	d, err := time.Parse(time.DateOnly, sr.slots[slotBirthDate])
	if err != nil {
		return ""
	}
	return locales.Date(sr.lang(), d)
}

func (sr *signupRun) occupationText() string {
	if sr.slots[slotOccupation] == "lainnya" && sr.slots[slotOccOther] != "" {
		return sr.slots[slotOccOther]
	}
	return sr.t("occupation." + sr.slots[slotOccupation])
}

func (sr *signupRun) summary() string {
	x := sr.run
	pkg := tariff.Package(x.slots[slotPackage])
	months, _ := strconv.Atoi(x.slots[slotPeriod])
	month, err := sr.r.Tariff.Month(sr.participant(pkg), sr.month())
	if err != nil {
		return x.t("common.error")
	}
	partner := x.t("signup.partner_none")
	if p, err := sr.partner(); err == nil && p != nil {
		partner = p.Name
	}
	income, _ := strconv.ParseInt(x.slots[slotIncome], 10, 64)
	premium := x.t("signup.premium_plain", "amount", locales.Money(month.Total))
	if month.Discount > 0 {
		premium = x.t("signup.premium_discounted", "amount", locales.Money(month.Total), "full", locales.Money(month.Total+month.Discount), "name", month.DiscountName)
	}
	return x.t("signup.summary",
		"name", x.slots[slotName],
		"nik", x.slots[slotNIKMasked],
		"birth", sr.birthText(),
		"sex", x.t("sex."+x.slots[slotSex]),
		"phone", x.slots[slotPhone],
		"occupation", sr.occupationText(),
		"city", x.slots[slotCity],
		"province", sr.provinceName(),
		"income", locales.Money(income),
		"package", x.t("package."+string(pkg)),
		"months", months,
		"partner", partner,
		"premium", premium,
		"total", locales.Money(sr.quotePeriod(months)),
	)
}

// confirm writes the member, the consent and the enrollment, all in the engine's transaction.
func (sr *signupRun) confirm() error {
	x := sr.run
	sealed, err := base64.StdEncoding.DecodeString(x.slots[slotNIKSealed])
	if err != nil || len(sealed) == 0 {
		return sr.fire("goto_" + stNIK)
	}
	nik, err := sr.r.Sealer.Open(sealed)
	if err != nil {
		return fmt.Errorf("open sealed NIK: %w", err)
	}
	hash := sr.r.Sealer.Hash(nik)
	partner, err := sr.partner()
	if err != nil {
		return err
	}
	pkg := tariff.Package(x.slots[slotPackage])
	months, _ := strconv.Atoi(x.slots[slotPeriod])
	part := sr.participantOf(pkg, partner)
	first, err := sr.r.Tariff.Month(part, sr.month())
	if err != nil {
		return fmt.Errorf("quote: %w", err)
	}
	period, err := sr.r.Tariff.Period(part, sr.month(), months)
	if err != nil {
		return fmt.Errorf("quote period: %w", err)
	}
	birth, _ := time.Parse(time.DateOnly, x.slots[slotBirthDate])
	consentAt, err := time.Parse(time.RFC3339, x.slots[slotConsentAt])
	if err != nil {
		consentAt = x.Now
	}
	member := models.Member{
		NIKHash: hash, NIKEnc: sealed, FullName: x.slots[slotName], BirthDate: &birth, Sex: x.slots[slotSex],
		Phone: x.slots[slotPhone], Occupation: x.slots[slotOccupation], OccupationOther: x.slots[slotOccOther],
		ProvinceCode: x.slots[slotProvince], City: x.slots[slotCity], Lang: x.lang(),
		CreatedAt: x.Now, UpdatedAt: x.Now,
	}
	consent := models.Consent{Version: x.slots[slotConsentVersion], GivenAt: consentAt, Channel: x.In.Channel}
	enr := models.Enrollment{
		MemberID: member.ID, Package: string(pkg), DeclaredIncome: part.Income, PaymentMonths: months,
		Status: models.EnrollmentPendingPayment, MonthlyPremium: first.Total, PeriodPremium: period.Total,
		Channel: x.In.Channel, CreatedAt: x.Now, UpdatedAt: x.Now,
	}
	if partner != nil {
		enr.PartnerID = &partner.ID
	}
	created, err := models.Register(x.Tx, &member, &consent, &enr)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if !created {
		// Registered elsewhere while this sign-up was open.
		m, err := models.FindMemberByNIKHash(x.Tx, hash)
		if err != nil {
			return fmt.Errorf("find the member registered meanwhile: %w", err)
		}
		return sr.alreadyRegistered(m)
	}
	x.Conv.MemberID = &member.ID
	if err := sr.fire("confirm"); err != nil {
		return err
	}
	sr.r.clearSignup(x)
	x.Conv.Flow = flowMenu
	next := x.t("signup.done_pay", "total", locales.Money(period.Total), "months", months)
	if partner != nil && partner.Sponsored {
		next = x.t("signup.done_sponsored", "partner", partner.Name)
	}
	x.say(x.t("signup.done", "name", member.FullName, "next", next), x.choice("menu.status", "status"), x.choice("common.to_menu", "menu"))
	return nil
}

func isYes(s string) bool {
	switch strings.Trim(s, " .!") {
	case "ya", "iya", "y", "yes", "ok", "oke", "okay", "setuju", "benar", "betul", "bener", "yup", "sip", "siap", "boleh", "lanjut", "nggih", "inggih":
		return true
	}
	return false
}

func isNo(s string) bool {
	switch strings.Trim(s, " .!") {
	case "tidak", "tdk", "no", "n", "nggak", "ngga", "gak", "ga", "enggak", "engga", "bukan", "jangan", "ora", "mboten", "tidak setuju":
		return true
	}
	return false
}
