// Package flows holds bpubot's conversations: the main menu, sign-up and the other answer
// flows, each a looplab/fsm state machine rebuilt per message at the stored state. Flows only
// speak bot.Session and bot.Reply, never a platform, so they run the same on every channel.
package flows

import (
	"context"
	"fmt"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/flows/intent"
	"bpubot/flows/tariff"
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
}

// DefaultConfig is what runs when nothing is configured.
func DefaultConfig() Config {
	return Config{ConsentVersion: "2026-01", IdleTimeout: 24 * time.Hour, MaxFailures: 3, MinAge: 15, MaxAge: 90, Location: jakarta()}
}

func jakarta() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.FixedZone("WIB", 7*3600)
	}
	return loc
}

// Router is the bot.Flows of bpubot: it routes each message to the conversation's flow.
type Router struct {
	Config Config
	Sealer *models.Sealer
	Tariff *tariff.Tariff
	Intent *intent.Classifier // nil for the built-in one
}

var _ bot.Flows = (*Router)(nil)

// Flow names stored in Conversation.Flow.
const (
	flowMenu   = ""
	flowSignup = "signup"
)

// run is one message going through the router: the session plus the decoded slots.
type run struct {
	*bot.Session
	r     *Router
	ctx   context.Context
	slots map[string]string
}

func (x *run) lang() string { return x.Conv.Lang }

func (x *run) t(key string, args ...any) string { return locales.Text(x.lang(), key, args...) }

func (x *run) say(text string, choices ...bot.Choice) {
	x.Say(bot.Reply{Text: text, Choices: choices})
}

func (x *run) choice(key, value string) bot.Choice {
	return bot.Choice{Label: x.t(key), Value: value}
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
		if x.Conv.Flow == flowSignup {
			x.say(x.t("common.welcome_back"))
			return r.signup(x).ask()
		}
		r.resetToMenu(x)
		r.showMenu(x, true)
		return nil
	case bot.KindUnsupported:
		x.say(x.t("common.unsupported"))
		if x.Conv.Flow == flowMenu {
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

	if in.Kind == bot.KindButton && !x.offered(in.Value) {
		// A button from an old message, or forged data: say so and ask the current question.
		x.say(x.t("common.stale_choice"))
		return r.repeat(x)
	}

	cmd := command(in.Input())
	switch cmd {
	case "menu", "start":
		r.leaveToMenu(x)
		return nil
	case "batal":
		switch x.Conv.Flow {
		case flowSignup:
			r.clearSignup(x)
			r.resetToMenu(x)
			x.say(x.t("signup.cancelled"))
			r.showMenu(x, false)
			return nil
		case flowMenu:
			r.showMenu(x, false)
			return nil
		}
		// Cancelling a question flow goes back to what it interrupted, or the menu.
		return r.done(x, true)
	case "petugas":
		return r.handoff(x)
	}

	if slash {
		// A command is never an answer: "/bantuan" at the name question is not a name.
		label, ok := menuValues[in.Text]
		switch {
		case !ok:
			return r.unknown(x)
		case x.Conv.Flow == flowMenu:
			return r.dispatch(x, label)
		case x.Conv.Flow == flowSignup && label == intent.LabelDaftar:
			return r.signup(x).ask()
		}
		return r.interrupt(x, label)
	}
	if x.slots[slotAwaitResume] != "" {
		return r.answerResume(x)
	}
	if idle && x.Conv.Flow == flowSignup {
		x.slots[slotAwaitResume] = "1"
		x.say(x.t("signup.resume_question"), x.choice("signup.resume_continue", "lanjut"), x.choice("signup.resume_restart", "ulang"))
		return nil
	}

	switch x.Conv.Flow {
	case flowSignup:
		return r.signup(x).handle()
	case flowMenu:
		return r.menu(x)
	default:
		return r.routeAnswerFlow(x)
	}
}

// offered reports whether value is one of the choices last offered in this chat.
func (x *run) offered(value string) bool {
	for _, c := range x.Offered {
		if c.Value == value {
			return true
		}
	}
	return false
}

// repeat asks the question the conversation is on again.
func (r *Router) repeat(x *run) error {
	switch x.Conv.Flow {
	case flowSignup:
		return r.signup(x).ask()
	case flowPremium:
		return r.askPremium(x)
	case flowClaimJKK:
		return r.claimJKK(x, false)
	case flowClaimJKM:
		return r.claimJKM(x, false)
	case flowStop:
		return r.stop(x, false)
	case flowErase:
		return r.erase(x, false)
	case flowClaim:
		return r.dispatch(x, "klaim")
	}
	x.Conv.Flow = flowMenu
	r.showMenu(x, false)
	return nil
}

// command reads a global command: "menu", "/menu", "Batal", "BATAL!" ...
func command(input string) string {
	t := strings.ToLower(strings.TrimSpace(input))
	t = strings.TrimPrefix(t, "/")
	t = strings.Trim(t, " .!?")
	switch t {
	case "menu", "menu utama", "main menu":
		return "menu"
	case "start", "mulai dari awal":
		return "start"
	case "batal", "batalkan", "cancel":
		return "batal"
	case "kembali", "back", "balik", "sebelumnya":
		return "kembali"
	case "petugas", "cs", "admin", "operator", "bicara dengan petugas":
		return "petugas"
	}
	return ""
}

func (r *Router) leaveToMenu(x *run) {
	r.resetToMenu(x)
	r.showMenu(x, false)
}

// resetToMenu leaves every flow, interrupted ones too. Sign-up progress is kept: choosing
// "Daftar" again offers to continue it.
func (r *Router) resetToMenu(x *run) {
	if x.Conv.Flow == flowSignup {
		x.slots[slotSavedState] = x.Conv.State
	}
	for _, f := range x.stack() {
		if f.Flow == flowSignup {
			x.slots[slotSavedState] = f.State
		}
	}
	x.setStack(nil)
	x.Conv.Flow = flowMenu
	x.Conv.State = ""
	x.Conv.Failures = 0
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

func (r *Router) menu(x *run) error {
	input := strings.ToLower(x.In.Input())
	if label, ok := menuValues[input]; ok {
		return r.dispatch(x, label)
	}
	if code, ok := strings.CutPrefix(input, "daftar "); ok && !strings.Contains(strings.TrimSpace(code), " ") {
		// "DAFTAR <partner code>", as a wa.me link fills it in.
		return r.startWithPartner(x, strings.TrimSpace(x.In.Input()[len("daftar "):]))
	}
	return r.fromText(x)
}

// startWithPartner handles a deep link or "DAFTAR <code>": a known partner is remembered for
// the sign-up; an unknown code is mentioned kindly and sign-up starts anyway.
func (r *Router) startWithPartner(x *run, code string) error {
	p, err := models.FindPartner(x.Tx, code)
	switch {
	case err == nil:
		x.slots[slotPartner] = p.Code
		x.say(x.t("signup.partner_welcome", "partner", p.Name))
	case err == models.ErrNotFound:
		x.say(x.t("signup.partner_unknown_link"))
	default:
		return err
	}
	return r.startSignup(x)
}

func (r *Router) status(x *run) error {
	if x.Conv.MemberID == nil {
		x.say(x.t("status.not_member"), x.choice("menu.signup", "daftar"), x.choice("common.to_menu", "menu"))
		return nil
	}
	e, err := models.LatestEnrollment(x.Tx, *x.Conv.MemberID)
	if err == models.ErrNotFound {
		x.say(x.t("status.not_member"), x.choice("menu.signup", "daftar"))
		return nil
	}
	if err != nil {
		return err
	}
	text := r.statusText(x, e)
	if e.PaidUntil != nil {
		text += "\n" + x.t("status.paid_until", "date", locales.Date(x.lang(), e.PaidUntil.In(r.Config.Location)))
		if p, ok, err := r.memberParticipant(x); err != nil {
			return err
		} else if ok {
			if n, total := r.arrears(x, p, *e.PaidUntil); n > 0 {
				text += "\n" + x.t("status.arrears", "months", n, "amount", locales.Money(total))
			}
		}
	}
	x.say(text)
	return nil
}

func (r *Router) statusText(x *run, e *models.Enrollment) string {
	return x.t("status.summary",
		"status", x.t("status."+e.Status),
		"package", x.t("package."+e.Package),
		"premium", locales.Money(e.MonthlyPremium),
		"since", locales.Date(x.lang(), e.CreatedAt.In(r.Config.Location)),
	)
}
