// Package flows holds bpubot's conversations: the main menu, and every conversation of more
// than one message as a table of steps run by one runner (runner.go) over a looplab/fsm machine
// per flow. Flows only speak bot.Session and bot.Reply, never a platform, so they run the same
// on every channel.
package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/flows/coverage"
	"bpubot/flows/intent"
	"bpubot/flows/reminder"
	"bpubot/flows/tariff"
	"bpubot/flows/words"
	"bpubot/locales"
	"bpubot/models"
)

// Config holds the rules flows follow that an operator may change.
type Config struct {
	ConsentVersion string        // version of the personal-data notice the worker agrees to
	IdleTimeout    time.Duration // after this long without a message, ask whether to continue
	MaxFailures    int           // bad answers in a row before a human is offered
	MinAge, MaxAge int           // accepted age at registration (uncertain in the rules: configurable)
	Location       *time.Location
	// StaffChannel and StaffChat, when both set, are where a notice goes each time a worker asks
	// to talk to a person (telegram.staff_chat_id); StaffLang is its language.
	StaffChannel, StaffChat, StaffLang string
	// OfficeHours are when staff answer requests, in Location's time.
	OfficeHours OfficeHours
}

// DefaultConfig is what runs when nothing is configured.
func DefaultConfig() Config {
	return Config{ConsentVersion: "2026-01", IdleTimeout: 24 * time.Hour, MaxFailures: 3, MinAge: 15, MaxAge: 90,
		Location: jakarta(), OfficeHours: DefaultOfficeHours()}
}

func jakarta() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.FixedZone("WIB", 7*3600)
	}
	return loc
}

// Classifier reads free text as an intent; *intent.Classifier is the one bpubot uses.
type Classifier interface {
	Classify(text string) intent.Result
}

// Router is the bot.Flows of bpubot: it routes each message to the conversation's flow.
type Router struct {
	Config Config
	Sealer *models.Sealer
	Tariff *tariff.Tariff
	// Rules compute coverage (tariff and holidays) for status and reminders; zero uses Tariff
	// with the built-in holidays.
	Rules coverage.Rules
	// Schedule is when reminders go out and how long a "sudah bayar" pauses them; zero is
	// reminder.DefaultSchedule.
	Schedule reminder.Schedule
	Intent   Classifier // nil for the built-in one
	Words    *words.Set // nil for the built-in one
}

var _ bot.Flows = (*Router)(nil)

// flowMenu is the conversation at the main menu, in no flow.
const flowMenu = ""

// run is one message going through the router: the session plus the decoded slots.
type run struct {
	*bot.Session
	r      *Router
	ctx    context.Context
	slots  map[string]string
	note   string                 // a locale key said before the next question ("cek lagi NIK-mu")
	sure   bool                   // a request for a person was plain: open it without asking
	opened string                 // the request just opened, for the worker
	req    *models.HandoffRequest // the worker's open request, once read in this message
	claim  intent.Label           // the claim a question named, for the claim flow to begin with
	// partners are the partners looked up in this message, by lower-case code, nil for none.
	partners map[string]*models.Partner
	// quotes are the periods quoted in this message (tariff.Periods from today), by participant.
	quotes map[tariff.Participant][]tariff.PeriodQuote
	cmd    *commandReading // the message read as a command, once
}

// commandReading is what words.Set.Command read in an input.
type commandReading struct {
	input string
	kind  words.Kind
}

// command reads the message as a command on its own ("batal", "menu", "petugas"): once per
// message for the router, the runner and the request it may open, again only when the input
// changed (a message passed on from a question put aside).
func (x *run) command() words.Kind {
	in := x.In.Input()
	if x.cmd == nil || x.cmd.input != in {
		x.cmd = &commandReading{input: in, kind: x.r.words().Command(in)}
	}
	return x.cmd.kind
}

func (x *run) lang() string { return x.Conv.Lang }

func (x *run) t(key string, args ...any) string { return locales.Text(x.lang(), key, args...) }

func (x *run) say(text string, choices ...bot.Choice) {
	x.Say(bot.Reply{Text: text, Choices: choices})
}

func (x *run) choice(key, value string) bot.Choice {
	return bot.Choice{Label: x.t(key), Value: value}
}

// flow is the flow the conversation is in, nil at the menu.
func (x *run) flow() *Flow { return flows[x.Conv.Flow] }

// partner is the active partner with code, nil when there is none. It is read once per message:
// a wa.me link's "DAFTAR <code>" is looked up by the menu, the link and the sign-up's start, and
// a typed code by the answer's Parse and its Save.
func (x *run) partner(code string) (*models.Partner, error) {
	key := strings.ToLower(code)
	if p, ok := x.partners[key]; ok {
		return p, nil
	}
	p, err := models.FindPartner(x.Tx, code)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	if x.partners == nil {
		x.partners = map[string]*models.Partner{}
	}
	x.partners[key] = p
	return p, nil
}

func (x *run) today() time.Time { return x.Now.In(x.r.Config.Location) }

func (r *Router) words() *words.Set {
	if r.Words != nil {
		return r.Words
	}
	return words.Default()
}

func (r *Router) classifier() Classifier {
	if r.Intent != nil {
		return r.Intent
	}
	return intent.Default()
}

// Handle implements bot.Flows.
func (r *Router) Handle(ctx context.Context, s *bot.Session) error {
	x := &run{Session: s, r: r, ctx: ctx, slots: map[string]string{}}
	if err := models.DecodeJSON(s.Conv.Slots, &x.slots); err != nil {
		return fmt.Errorf("decode slots: %w", err)
	}
	if x.slots == nil {
		x.slots = map[string]string{}
	}
	if err := r.route(x); err != nil {
		return err
	}
	s.Conv.Slots = models.EncodeJSON(x.slots)
	return nil
}

func (r *Router) route(x *run) error {
	in := x.In
	slash := false
	idle := !x.New && r.Config.IdleTimeout > 0 && x.Now.Sub(x.Conv.UpdatedAt) > r.Config.IdleTimeout

	switch in.Kind {
	case bot.KindStart:
		if code := strings.TrimSpace(in.Payload); code != "" {
			return r.startWithPartner(x, code)
		}
		if x.flow() != nil {
			// A chat opened again (or the console restarted) in the middle of something.
			x.say(x.t("common.welcome_back"))
			return r.repeat(x)
		}
		r.resetToMenu(x)
		r.showMenu(x, true)
		return nil
	case bot.KindUnsupported:
		x.say(x.t("common.unsupported"))
		if x.flow() == nil {
			return nil
		}
		return r.repeat(x)
	case bot.KindText:
		// Telegram commands arrive as "/daftar" or "/daftar@bpubot".
		if t := strings.TrimSpace(in.Text); strings.HasPrefix(t, "/") {
			name, _, _ := strings.Cut(t[1:], "@")
			x.In.Text = strings.ToLower(name)
			in = x.In
			slash = true
		}
	}

	if lang, ok := r.words().Language(in.Text); ok && in.Kind == bot.KindText {
		return r.switchLanguage(x, lang)
	}

	cmd := x.command()
	switch {
	case cmd.Has(words.Menu) || (slash && in.Text == "start"):
		r.leaveToMenu(x)
		return nil
	case cmd.Has(words.Human):
		if x.flow() == flowHandoff {
			return r.handleFlow(x, flowHandoff)
		}
		if x.flow() != nil {
			return r.interrupt(x, intent.LabelPetugas)
		}
		return r.handoff(x, true)
	case (cmd.Has(words.Cancel) || cmd.Has(words.Back)) && x.flow() == nil:
		r.showMenu(x, false)
		return nil
	}

	if slash {
		// A command is never an answer: "/bantuan" at the name question is not a name.
		label, ok := menuValues[in.Text]
		switch {
		case !ok && cmd.Has(words.Back|words.Cancel) && x.flow() != nil:
			return r.handleFlow(x, x.flow()) // "/batal", "/kembali": the runner's to read
		case !ok && x.flow() != nil:
			x.say(x.t("smalltalk.unknown"))
			return r.repeat(x)
		case !ok:
			return r.unknown(x)
		case x.flow() == nil:
			return r.dispatch(x, label)
		case x.flow() == flowSignup && label == intent.LabelDaftar:
			return r.repeat(x)
		}
		return r.interrupt(x, label)
	}

	f := x.flow()
	if f == nil {
		return r.menu(x)
	}
	if idle && !f.NoIdle {
		mc := f.machine(x)
		defer mc.release()
		return mc.pause()
	}
	return r.handleFlow(x, f)
}

// repeat asks the question the conversation is on again, or shows the menu.
func (r *Router) repeat(x *run) error {
	f := x.flow()
	if f == nil {
		x.Conv.Flow, x.Conv.State = flowMenu, ""
		r.showMenu(x, false)
		return nil
	}
	mc := f.machine(x)
	defer mc.release()
	if mc.m.Current() == stEnd {
		return r.startFlow(x, f)
	}
	return mc.ask("")
}

// switchLanguage changes the conversation's language, says so in the new one, and goes on
// where the worker was.
func (r *Router) switchLanguage(x *run, lang string) error {
	if !locales.Supported(lang) {
		lang = locales.Default
	}
	x.Conv.Lang = lang
	x.say(x.t("language.switched"))
	switch {
	case x.flow() != nil && x.flow() != flowLanguage:
		return r.repeat(x)
	case len(x.stack()) > 0:
		return r.done(x, false) // asked in the middle of something: back to it
	}
	x.Conv.Flow, x.Conv.State = flowMenu, ""
	r.showMenu(x, false)
	return nil
}

func (r *Router) leaveToMenu(x *run) {
	r.resetToMenu(x)
	r.showMenu(x, false)
}

// resetToMenu leaves every flow, interrupted ones too. A flow that keeps its place (sign-up)
// is remembered: choosing it again offers to continue.
func (r *Router) resetToMenu(x *run) {
	keep := func(flow, state string) {
		f := flows[flow]
		if f == nil || !f.Keep || state == stEnd {
			return
		}
		if isRunnerState(state) {
			state = x.slots[slotReturn]
		}
		if f.step(state) != nil {
			x.slots[savedSlot(f)] = state
		}
	}
	keep(x.Conv.Flow, x.Conv.State)
	for _, fr := range x.stack() {
		keep(fr.Flow, fr.State)
	}
	delete(x.slots, slotReturn)
	delete(x.slots, slotEditing)
	x.setStack(nil)
	x.Conv.Flow, x.Conv.State, x.Conv.Failures = flowMenu, "", 0
}

// savedSlot holds where a kept flow was left.
func savedSlot(f *Flow) string { return "_saved_" + f.Name }

// resumeSaved continues a kept flow the worker left, asking first whether to go on or start
// again; ok is false when there is nothing to continue.
func (r *Router) resumeSaved(x *run, f *Flow) (bool, error) {
	saved := x.slots[savedSlot(f)]
	if saved == "" || f.step(saved) == nil {
		return false, nil
	}
	delete(x.slots, savedSlot(f))
	x.Conv.Flow, x.Conv.State, x.Conv.Failures = f.Name, saved, 0
	mc := f.machine(x)
	defer mc.release()
	return true, mc.pause()
}

func (r *Router) showMenu(x *run, greet bool) {
	text := x.t("menu.prompt")
	if greet {
		text = x.t("menu.greeting") + "\n\n" + text
	}
	x.say(text, r.menuChoices(x)...)
}

func (r *Router) menuChoices(x *run) []bot.Choice {
	return []bot.Choice{
		x.choice("menu.signup", "daftar"),
		x.choice("menu.premium", "iuran"),
		x.choice("menu.pay", "bayar"),
		x.choice("menu.status", "status"),
		x.choice("menu.claim", "klaim"),
		x.choice("menu.benefits", "manfaat"),
		x.choice("menu.human", "petugas"),
	}
}

// menu reads a message at the main menu.
func (r *Router) menu(x *run) error {
	input := strings.ToLower(x.In.Input())
	if label, ok := menuValues[input]; ok {
		return r.dispatch(x, label)
	}
	if code, ok := partnerLinkCode(x.In.Input()); ok {
		// "DAFTAR <partner code>", as a wa.me link fills it in.
		p, err := x.partner(code)
		if err != nil {
			return err
		}
		if p != nil || looksLikeCode(code) {
			return r.startWithPartner(x, code)
		}
	}
	// A bare yes or no is an answer to "anything else?", never a request.
	switch k := r.words().Read(x.In.Text).Kinds; {
	case k.Has(words.No | words.Skip | words.Done):
		x.say(x.t("menu.bye"))
		return nil
	case k.Has(words.Yes | words.Continue):
		r.showMenu(x, false)
		return nil
	}
	return r.fromText(x)
}

// partnerLinkCode reads the message a wa.me partner link fills in, "DAFTAR <code>": DAFTAR in
// capitals (a worker typing "daftar sekarang" means to sign up, not a code), then one word of
// the characters codes are made of. A known partner's code is taken whatever it looks like; an
// unknown word is taken for a code only when it looks like one (it has a digit, - or _), so
// "DAFTAR SEKARANG" typed in capitals is still a wish to sign up.
func partnerLinkCode(input string) (string, bool) {
	code, ok := strings.CutPrefix(strings.TrimSpace(input), "DAFTAR ")
	code = strings.TrimSpace(code)
	if !ok || !validPartnerCode(code) {
		return "", false
	}
	return code, true
}

func validPartnerCode(code string) bool {
	if code == "" || len(code) > 64 {
		return false
	}
	for _, c := range code {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// looksLikeCode tells an unknown partner code from a word typed after DAFTAR.
func looksLikeCode(code string) bool { return strings.ContainsAny(code, "0123456789_-") }

// startWithPartner handles a deep link or "DAFTAR <code>": a known partner is remembered for
// the sign-up; an unknown code is mentioned kindly and sign-up starts anyway.
func (r *Router) startWithPartner(x *run, code string) error {
	p, err := x.partner(code)
	switch {
	case err != nil:
		return err
	case p != nil:
		x.say(x.t("signup.partner_welcome", "partner", p.Name))
	default:
		x.say(x.t("signup.partner_unknown_link"))
	}
	r.resetToMenu(x)
	if p != nil {
		// A new link starts a new sign-up with its partner.
		delete(x.slots, savedSlot(flowSignup))
		x.slots[slotLinkPartner] = p.Code
	}
	return r.startSignup(x)
}
