package flows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"bpubot/bot"
	"bpubot/flows/intent"
	"bpubot/flows/words"

	"github.com/looplab/fsm"
)

// The runner: every conversation with more than one message is a Flow, a table of Steps. The
// runner alone asks the questions, reads the answers (choices, yes/no words, typos),
// re-prompts with the specific problem, counts failures and offers a person, answers a question
// asked in the middle and comes back, and handles "kembali", "batal", "menu", "ubah <field>",
// pauses and restarts. A flow file only says what to ask and what an answer means.
//
// Every move from one state to another is an event of the flow's looplab/fsm machine, built
// from the table once: a move the table does not allow is an error, not a silent jump.

// Step is one question of a flow.
type Step struct {
	Name string
	// Ask is the locale key of the question, filled in with Args; Text, when set, writes the
	// question instead.
	Ask  string
	Args func(x *run) []any
	Text func(x *run) string
	// Options are the choices offered; an answer may pick one by number, value, label (with or
	// without punctuation), a unique prefix or the words it Means ("iya bener" for "Ya, benar").
	Options func(x *run) []Option
	Contact bool // offer the platform's button that shares the worker's phone number
	// Suggests: the options are suggestions (the NIK's province), picked only by number, value
	// or whole label; other words are for Parse to read ("jawa", "bogor" are not the suggestion).
	Suggests bool

	// Parse reads an answer: the value to keep, or an error made by invalid (a re-prompt with
	// the problem and the question again). Any other error fails the message.
	Parse func(x *run, a Answer) (string, error)
	// Save keeps the value (by default in Slot) and may say something; it returns where to go:
	// "" for the next step of the table, a step the step Goes to, End, Quit or Stay.
	Save func(x *run, value string) (string, error)
	Slot string
	Goes []string

	Skip     func(x *run) bool // not asked now (the answer is known, or does not apply)
	Field    string            // what "ubah <field>" calls it (words.yaml fields); "" is not editable
	FollowUp bool              // part of the answer before it: asked again after that one is changed
	FreeText bool              // takes almost any words: a question must look like one to interrupt
	Numeric  bool              // answered with digits: a message with digits is never a question
	Counted  bool              // shown as "(n/total)"
}

// Option is one choice a step offers.
type Option struct {
	Label string
	Value string
	Means words.Kind // yes, no, skip... words that pick this option
}

// Answer is a message read as the answer to a step.
type Answer struct {
	Text    string     // as typed, trimmed
	Value   string     // the option picked, "" when none
	Kinds   words.Kind // what the words mean, read where the step offers options
	Contact *bot.Contact
}

// Where a Save sends the worker, besides a step.
const (
	End  = "_end"  // the flow is done: Finish runs
	Quit = "_quit" // the flow ends without Finish (declined, cancelled, nothing to do)
	Stay = "_stay" // stay on this step without asking it again
)

// Runner states every flow has.
const (
	stCancel = "_cancel" // "batal": are you sure?
	stIdle   = "_idle"   // back after a long pause: continue or start again?
	stEdit   = "_edit"   // "ubah": which answer?
	stEnd    = "_end"
)

// Slots the runner keeps.
const (
	slotTrail   = "_trail"   // the steps answered, in order: the path "kembali" walks back
	slotReturn  = "_return"  // the step a runner state returns to
	slotEditing = "_editing" // the step to go back to once a changed answer is in
)

// Flow is a conversation as a table of steps.
type Flow struct {
	Name string
	// Labels are the questions that start it: asking one again mid-flow is not an interruption.
	Labels []intent.Label
	Steps  []*Step
	// Start prepares a new run (the slots it needs) and may say something first.
	Start func(x *run) error
	// Finish ends the flow after its last step: what it records and says. It may start
	// another flow.
	Finish func(x *run) error
	// Clear forgets the flow's slots, when it ends or starts again.
	Clear func(x *run)
	// Cancelled is said when the worker cancels; Resume asks whether to continue after a pause;
	// BackTo comes before the question again after an interruption.
	Cancelled, Resume, BackTo string
	ConfirmCancel             bool // "batal" asks first: there are answers to lose
	Keep                      bool // leaving for the menu keeps the place, to continue later
	NoIdle                    bool // never asks "continue or start again?"
	MenuAfter                 bool // offers the menu once done
	// Aside: a question put to the worker on the side of whatever they were doing (a
	// reminder), above it on the stack. A message that is not one of its answers is meant for
	// what is below: the flow steps aside without a word and the message goes on there (see
	// aside.go). Seen tells whether the worker has the question yet; until then every message
	// goes on, and the question stays on top.
	Aside bool
	Seen  func(x *run) (seen, error)

	index   map[string]int
	pool    sync.Pool // of *fsm.FSM built from events, reused across messages
	events  fsm.Events
	editing bool // has editable steps
}

// flows are every flow, by name; filled by init functions of the flow files.
var flows = map[string]*Flow{}

// register builds a flow's transition table and adds it to flows. It panics on a broken table:
// flows are package variables, so a mistake shows at start-up and in every test.
func register(f *Flow) *Flow {
	f.index = map[string]int{}
	for i, s := range f.Steps {
		if _, dup := f.index[s.Name]; dup || strings.HasPrefix(s.Name, "_") {
			panic(fmt.Sprintf("flow %s: bad or repeated step name %q", f.Name, s.Name))
		}
		f.index[s.Name] = i
		f.editing = f.editing || s.Field != ""
	}
	for _, s := range f.Steps {
		for _, g := range s.Goes {
			if _, ok := f.index[g]; !ok && g != End && g != Quit {
				panic(fmt.Sprintf("flow %s: step %s goes to unknown %q", f.Name, s.Name, g))
			}
		}
	}
	f.events = f.buildEvents()
	f.pool.New = func() any { return fsm.NewFSM(stEnd, f.events, nil) }
	if _, dup := flows[f.Name]; dup {
		panic("flow registered twice: " + f.Name)
	}
	flows[f.Name] = f
	return f
}

// buildEvents lists every legal move of the flow:
//   - answer>S: a valid answer moves forward to the next step that is not skipped, or to a step
//     the table says it Goes to; finish and quit leave the flow;
//   - back>S: "kembali" to any earlier step;
//   - edit, edit>S: "ubah" (the list of answers) and "ubah <field>" to an editable step;
//   - return>S: back from a runner state or a changed answer to where the worker was;
//   - cancel, cancel_yes: "batal" and its confirmation; idle, restart>S: a pause;
//   - start>S: a new run begins (the machine rests at _end between runs).
func (f *Flow) buildEvents() fsm.Events {
	steps := make([]string, len(f.Steps))
	for i, s := range f.Steps {
		steps[i] = s.Name
	}
	runnerStates := []string{stCancel, stIdle}
	if f.editing {
		runnerStates = append(runnerStates, stEdit)
	}
	all := append(slices.Clone(steps), runnerStates...)
	var ev fsm.Events
	add := func(name string, src []string, dst string) {
		src = slices.DeleteFunc(slices.Clone(src), func(s string) bool { return s == dst })
		if len(src) > 0 {
			ev = append(ev, fsm.EventDesc{Name: name, Src: src, Dst: dst})
		}
	}
	for i, s := range f.Steps {
		// Forward: the next step, and the ones after it while they may be skipped.
		for j := i + 1; j < len(f.Steps); j++ {
			add("answer>"+steps[j], []string{s.Name}, steps[j])
			if f.Steps[j].Skip == nil {
				break
			}
		}
		for _, g := range s.Goes {
			if g != End && g != Quit {
				add("answer>"+g, []string{s.Name}, g)
			}
		}
		add("back>"+s.Name, steps[i+1:], s.Name)
		if s.Field != "" {
			add("edit>"+s.Name, append(slices.Clone(all), stEdit), s.Name)
		}
		add("return>"+s.Name, all, s.Name)
		add("restart>"+s.Name, all, s.Name)
		add("start>"+s.Name, []string{stEnd}, s.Name)
	}
	add("finish", steps, stEnd)
	add("quit", all, stEnd)
	add("cancel", append(slices.Clone(steps), stIdle, stEdit), stCancel)
	add("cancel_yes", []string{stCancel}, stEnd)
	add("idle", append(slices.Clone(steps), stCancel, stEdit), stIdle)
	if f.editing {
		add("edit", append(slices.Clone(steps), stIdle, stCancel), stEdit)
	}
	return ev
}

func (f *Flow) step(name string) *Step {
	if i, ok := f.index[name]; ok {
		return f.Steps[i]
	}
	return nil
}

// machine is a run of a flow for one message: the flow's fsm at the conversation's state.
type machine struct {
	f *Flow
	m *fsm.FSM
	x *run
}

// machine takes one of the flow's prebuilt machines and sets it to the stored state: this
// restores where the conversation was, as if it had been built there. Moves are events only.
// A state this version does not know (stored by an older one) is restored as the first
// question not yet answered, so nothing the worker entered is lost.
func (f *Flow) machine(x *run) *machine {
	m := f.pool.Get().(*fsm.FSM)
	mc := &machine{f: f, m: m, x: x}
	state := x.Conv.State
	if state != stEnd && !isRunnerState(state) && f.step(state) == nil {
		if state = mc.resumeAt(""); state == "" {
			state = mc.lastStep()
		}
		x.Conv.State = state
	}
	m.SetState(state)
	return mc
}

func (mc *machine) release() { mc.f.pool.Put(mc.m) }

// fire moves the machine and the conversation.
func (mc *machine) fire(event string) error {
	if err := mc.m.Event(mc.x.ctx, event); err != nil {
		return fmt.Errorf("flow %s: %s from %q: %w", mc.f.Name, event, mc.m.Current(), err)
	}
	mc.x.Conv.State = mc.m.Current()
	mc.x.Conv.Failures = 0
	return nil
}

// ---- starting, asking, leaving -------------------------------------------------------------

// startFlow begins f at its first step that is not skipped.
func (r *Router) startFlow(x *run, f *Flow) error {
	f.reset(x)
	x.Conv.Flow, x.Conv.State, x.Conv.Failures = f.Name, stEnd, 0
	if f.Start != nil {
		if err := f.Start(x); err != nil {
			return err
		}
		if x.Conv.Flow != f.Name || x.Conv.State != stEnd {
			return nil // Start went elsewhere (an open request shown, say)
		}
	}
	mc := f.machine(x)
	defer mc.release()
	return mc.begin("start")
}

// reset forgets the flow's answers and where the runner was in it.
func (f *Flow) reset(x *run) {
	if f.Clear != nil {
		f.Clear(x)
	}
	for _, k := range []string{slotTrail, slotReturn, slotEditing} {
		delete(x.slots, k)
	}
}

// begin moves by event ("start", "restart") to the first step that is not skipped and asks it;
// when every step is skipped (all known already) the flow is done.
func (mc *machine) begin(event string) error {
	first := mc.firstFrom(0)
	if first == "" {
		return mc.finish()
	}
	if err := mc.fire(event + ">" + first); err != nil {
		return err
	}
	mc.entered(first)
	return mc.ask("")
}

// lastStep is the last step that is not skipped (a sign-up's summary), stEnd when none is.
func (mc *machine) lastStep() string {
	for i := len(mc.f.Steps) - 1; i >= 0; i-- {
		if s := mc.f.Steps[i]; s.Skip == nil || !s.Skip(mc.x) {
			return s.Name
		}
	}
	return stEnd
}

// firstFrom is the first step from index i on that is not skipped, "" when none is left.
func (mc *machine) firstFrom(i int) string {
	for ; i < len(mc.f.Steps); i++ {
		if s := mc.f.Steps[i]; s.Skip == nil || !s.Skip(mc.x) {
			return s.Name
		}
	}
	return ""
}

// entered records a step on the path "kembali" walks back along. Coming back to a step already
// on it cuts the path there; a step visited to change one answer is a detour, not a step.
func (mc *machine) entered(step string) {
	x := mc.x
	if x.slots[slotEditing] != "" {
		return
	}
	t := mc.trail()
	if i := slices.Index(t, step); i >= 0 {
		t = t[:i+1]
	} else {
		t = append(t, step)
	}
	x.slots[slotTrail] = strings.Join(t, ",")
}

func (mc *machine) trail() []string {
	if t := mc.x.slots[slotTrail]; t != "" {
		return strings.Split(t, ",")
	}
	return nil
}

// question is the current state's question.
func (mc *machine) question() bot.Reply {
	x := mc.x
	switch state := mc.m.Current(); state {
	case stCancel:
		return bot.Reply{Text: x.t(mc.f.Name + ".cancel_confirm"), Choices: choices(cancelOptions(x))}
	case stIdle:
		return bot.Reply{Text: x.t(mc.f.Resume), Choices: choices(resumeOptions(x))}
	case stEdit:
		return bot.Reply{Text: x.t("edit.ask"), Choices: choices(mc.editOptions())}
	}
	s := mc.f.step(mc.m.Current())
	if s == nil {
		return bot.Reply{Text: x.t("common.error")}
	}
	var text string
	switch {
	case s.Text != nil:
		text = s.Text(x)
	case s.Args != nil:
		text = x.t(s.Ask, s.Args(x)...)
	default:
		text = x.t(s.Ask)
	}
	if s.Counted {
		if n, total := mc.count(s); n > 0 {
			text = x.t("common.step", "n", n, "total", total) + text
		}
	}
	reply := bot.Reply{Text: text, RequestContact: s.Contact}
	if s.Options != nil {
		reply.Choices = choices(s.Options(x))
	}
	return reply
}

// count numbers a counted step among those the worker will be asked.
func (mc *machine) count(s *Step) (n, total int) {
	for _, o := range mc.f.Steps {
		if !o.Counted || (o != s && o.Skip != nil && o.Skip(mc.x)) {
			continue
		}
		total++
		if o == s {
			n = total
		}
	}
	return n, total
}

// options are what the current state offers, as the runner reads answers against them.
func (mc *machine) options() []Option {
	switch mc.m.Current() {
	case stCancel:
		return cancelOptions(mc.x)
	case stIdle:
		return resumeOptions(mc.x)
	case stEdit:
		return mc.editOptions()
	}
	if s := mc.f.step(mc.m.Current()); s != nil && s.Options != nil {
		return s.Options(mc.x)
	}
	return nil
}

// ask says the current question, after note (a locale key) when there is one.
func (mc *machine) ask(note string, args ...any) error {
	if note == "" {
		note, mc.x.note = mc.x.note, ""
	}
	q := mc.question()
	if note != "" {
		q.Text = mc.x.t(note, args...) + "\n\n" + q.Text
	}
	mc.x.Say(q)
	return nil
}

// reject answers an answer the step cannot take: the problem, the question again, and after too
// many tries the offer of a person. Text that is not an answer may be another question ("iurannya
// berapa?"): that is answered first, then the question comes back.
func (mc *machine) reject(p *problem) error {
	x := mc.x
	s := mc.f.step(mc.m.Current())
	digits := s != nil && s.Numeric && strings.ContainsAny(x.In.Text, "0123456789")
	// A short answer that did not fit ("3 bln" for the programme) is a slip, not a question;
	// one worded as a question, or a whole sentence, may be one.
	// A short phrase that reads surely as a request of its own ("cek status", "cara bayar") is
	// one too.
	sentence := looksLikeQuestion(x.In.Text) || len(strings.Fields(x.In.Text)) >= 4
	if x.In.Kind == bot.KindText && !digits {
		if label, conf, ok := x.r.interruptionOf(x, false); ok && (sentence || conf >= surelyAnotherRequest) && !slices.Contains(mc.f.Labels, label) {
			return x.r.interrupt(x, label)
		}
	}
	return mc.reprompt(p)
}

// reprompt says the problem and the question again, counting the failure; after too many it
// offers a person.
func (mc *machine) reprompt(p *problem) error {
	x := mc.x
	x.Conv.Failures++
	q := mc.question()
	text := x.t(p.key, p.args...)
	if max := x.r.Config.MaxFailures; max > 0 && x.Conv.Failures >= max {
		text += "\n\n" + x.t("common.offer_human")
		q.Choices = append(q.Choices, x.choice("menu.human", "petugas"))
	}
	q.Text = text + "\n\n" + q.Text
	x.Say(q)
	return nil
}

// problem is a re-prompt: what was wrong with an answer, as a locale key and its arguments.
type problem struct {
	key  string
	args []any
}

func (p *problem) Error() string { return "invalid answer: " + p.key }

// invalid makes the error a Parse returns for an answer it cannot take.
func invalid(key string, args ...any) error { return &problem{key: key, args: args} }

// leave ends the flow: back to what it interrupted, or the menu.
func (mc *machine) leave(offerMenu bool) error {
	mc.f.reset(mc.x)
	return mc.x.r.done(mc.x, offerMenu)
}

func (mc *machine) finish() error {
	x := mc.x
	if mc.m.Current() != stEnd {
		if err := mc.fire("finish"); err != nil {
			return err
		}
	}
	if x.note != "" {
		// A word meant for the next question ("semoga cepat pulih") when none is left to ask.
		x.say(x.t(x.note))
		x.note = ""
	}
	if mc.f.Finish != nil {
		if err := mc.f.Finish(x); err != nil {
			return err
		}
	}
	if x.Conv.Flow != mc.f.Name {
		return nil // Finish went on to another flow
	}
	return mc.leave(mc.f.MenuAfter)
}

// quit ends the flow without Finish; what to say has been said.
func (mc *machine) quit(offerMenu bool) error {
	if mc.m.Current() != stEnd {
		if err := mc.fire("quit"); err != nil {
			return err
		}
	}
	return mc.leave(offerMenu)
}

// ---- one message ---------------------------------------------------------------------------

// handleFlow reads a message in the middle of flow f.
func (r *Router) handleFlow(x *run, f *Flow) error {
	mc := f.machine(x)
	defer mc.release()
	if mc.m.Current() == stEnd {
		return r.startFlow(x, f)
	}
	if f.Aside {
		return r.aside(x, mc)
	}
	switch cmd := x.command(); {
	case cmd.Has(words.Back):
		return mc.back()
	case cmd.Has(words.Cancel):
		return mc.cancel()
	}
	if f.editing {
		if field, ok := x.r.words().Edit(x.In.Input()); ok {
			return mc.edit(field)
		}
	}
	switch mc.m.Current() {
	case stCancel:
		return mc.answerCancel()
	case stIdle:
		return mc.answerIdle()
	case stEdit:
		return mc.answerEdit()
	}
	return mc.answer()
}

func isRunnerState(s string) bool { return s == stCancel || s == stIdle || s == stEdit }

// answer reads the message as the answer to the current step.
func (mc *machine) answer() error {
	x := mc.x
	s := mc.f.step(mc.m.Current())
	a := mc.read()
	if a.Text == "" && a.Value == "" && a.Contact == nil {
		return mc.reject(&problem{key: "common.empty"})
	}
	if s.FreeText && a.Value == "" && x.In.Kind == bot.KindText {
		// A step that takes almost any words: a question has to be worded like one.
		if label, ok := x.r.interruption(x, true); ok && !slices.Contains(mc.f.Labels, label) {
			return x.r.interrupt(x, label)
		}
	}
	value, err := s.Parse(x, a)
	var p *problem
	if errors.As(err, &p) {
		return mc.reject(p)
	}
	if err != nil {
		return err
	}
	return mc.keep(s, value)
}

// keep keeps a valid answer to step s and goes on.
func (mc *machine) keep(s *Step, value string) error {
	x := mc.x
	next := ""
	var err error
	if s.Save != nil {
		if next, err = s.Save(x, value); err != nil {
			return err
		}
	} else if s.Slot != "" {
		x.slots[s.Slot] = value
	}
	return mc.advance(s, next)
}

// read makes the message an Answer, matching the options the current state offers.
func (mc *machine) read() Answer {
	x := mc.x
	a := Answer{Text: strings.TrimSpace(x.In.Text), Value: x.In.Value, Contact: x.In.Contact}
	opts := mc.options()
	if a.Value != "" && !slices.ContainsFunc(opts, func(o Option) bool { return o.Value == a.Value }) {
		a.Value = "" // picked from another message's choices: read the words instead
		if a.Text == "" {
			a.Text = x.In.Value
		}
	}
	if s := mc.f.step(mc.m.Current()); a.Text != "" && len(opts) > 0 && (s == nil || !s.Suggests) {
		// Where the step offers options, the words say which: "iya bener", "ga ada kode".
		a.Kinds = x.r.words().ReadExpecting(a.Text).Kinds
		if a.Value == "" {
			a.Value = matchOption(opts, a.Text, a.Kinds)
		}
	}
	return a
}

// advance goes on after an answer was kept: to next (from Save), or the next step of the
// table; while an answer is being changed, back to where the worker was once it is in.
func (mc *machine) advance(from *Step, next string) error {
	x := mc.x
	switch next {
	case Stay:
		return nil
	case Quit:
		return mc.quit(false)
	case End:
		return mc.finish()
	}
	if next == "" {
		next = mc.firstFrom(mc.f.index[from.Name] + 1)
		if next == "" {
			return mc.finish()
		}
	}
	event := "answer>" + next
	if ret := x.slots[slotEditing]; ret != "" && !mc.f.step(next).FollowUp && !slices.Contains(from.Goes, next) {
		next = mc.resumeAt(ret)
		delete(x.slots, slotEditing)
		event = "return>" + next
	}
	if next == "" {
		return mc.finish()
	}
	if err := mc.fire(event); err != nil {
		return err
	}
	mc.entered(next)
	return mc.ask("")
}

// resumeAt is where to go back to after a change: ret, or an earlier step the change made
// necessary and still unanswered (a sponsor removed: the payment period is needed again).
func (mc *machine) resumeAt(ret string) string {
	end := len(mc.f.Steps)
	if i, ok := mc.f.index[ret]; ok {
		end = i
	}
	for _, s := range mc.f.Steps[:end] {
		if s.Slot != "" && mc.x.slots[s.Slot] == "" && (s.Skip == nil || !s.Skip(mc.x)) {
			return s.Name
		}
	}
	if s := mc.f.step(ret); s != nil && s.Skip != nil && s.Skip(mc.x) {
		return mc.firstFrom(end + 1)
	}
	return ret
}

// back goes one step back along the path; before the first step it leaves the flow.
func (mc *machine) back() error {
	x := mc.x
	switch cur := mc.m.Current(); {
	case isRunnerState(cur):
		return mc.returnTo(mc.x.slots[slotReturn])
	case x.slots[slotEditing] != "":
		// Changing an answer: "kembali" leaves it as it was.
		ret := x.slots[slotEditing]
		delete(x.slots, slotEditing)
		return mc.returnTo(ret)
	}
	t := mc.trail()
	if i := slices.Index(t, mc.m.Current()); i >= 0 {
		t = t[:i+1]
	}
	if len(t) <= 1 {
		if mc.f.Cancelled != "" {
			x.say(x.t(mc.f.Cancelled))
		}
		return mc.quit(true)
	}
	prev := t[len(t)-2]
	x.slots[slotTrail] = strings.Join(t[:len(t)-1], ",")
	if err := mc.fire("back>" + prev); err != nil {
		return err
	}
	return mc.ask("")
}

// returnTo goes back from a runner state or a detour to step (or the first step when it is
// gone) and asks it again.
func (mc *machine) returnTo(step string) error {
	delete(mc.x.slots, slotReturn)
	if mc.f.step(step) == nil {
		step = mc.firstFrom(0)
	}
	if step != mc.m.Current() {
		if err := mc.fire("return>" + step); err != nil {
			return err
		}
	}
	return mc.ask("")
}

// into moves to a runner state, remembering the step to come back to.
func (mc *machine) into(event string) error {
	cur := mc.m.Current()
	if !isRunnerState(cur) {
		mc.x.slots[slotReturn] = cur
	}
	if err := mc.fire(event); err != nil {
		return err
	}
	return mc.ask("")
}

// cancel is "batal": flows with answers to lose ask first; others end at once.
func (mc *machine) cancel() error {
	if mc.f.ConfirmCancel {
		if mc.m.Current() == stCancel {
			return mc.cancelled() // "batal" again: they mean it
		}
		return mc.into("cancel")
	}
	if mc.f.Cancelled != "" {
		mc.x.say(mc.x.t(mc.f.Cancelled))
	}
	return mc.quit(true)
}

func (mc *machine) cancelled() error {
	if err := mc.fire("cancel_yes"); err != nil {
		return err
	}
	mc.x.say(mc.x.t(mc.f.Cancelled))
	return mc.leave(true)
}

func cancelOptions(x *run) []Option {
	return []Option{
		{Label: x.t("common.cancel_yes"), Value: "ya_batal", Means: words.Yes | words.Agree | words.Cancel},
		{Label: x.t("common.cancel_no"), Value: "lanjut", Means: words.No | words.Continue | words.Back},
	}
}

func (mc *machine) answerCancel() error {
	a := mc.read()
	switch a.Value {
	case "ya_batal":
		return mc.cancelled()
	case "lanjut":
		return mc.returnTo(mc.x.slots[slotReturn])
	}
	return mc.reject(&problem{key: "common.yes_no_invalid"})
}

// pause asks, after a long pause, whether to go on or start again.
func (mc *machine) pause() error {
	if mc.m.Current() == stIdle {
		return mc.ask("")
	}
	return mc.into("idle")
}

func resumeOptions(x *run) []Option {
	return []Option{
		{Label: x.t("common.resume_continue"), Value: "lanjut", Means: words.Continue | words.Yes},
		{Label: x.t("common.resume_restart"), Value: "ulang", Means: words.Restart},
	}
}

func (mc *machine) answerIdle() error {
	x := mc.x
	switch mc.read().Value {
	case "lanjut":
		ret := x.slots[slotReturn]
		if isRunnerState(ret) {
			ret = ""
		}
		return mc.returnTo(ret)
	case "ulang":
		mc.f.reset(x)
		if mc.f.Start != nil {
			if err := mc.f.Start(x); err != nil {
				return err
			}
		}
		return mc.begin("restart")
	}
	return mc.reject(&problem{key: "common.resume_invalid"})
}

// edit is "ubah" (the list of answers) or "ubah <field>" (that answer's question).
func (mc *machine) edit(field string) error {
	x := mc.x
	if field == "" {
		return mc.into("edit")
	}
	target := mc.fieldStep(field)
	switch {
	case target == nil:
		return mc.reprompt(&problem{key: "edit.unknown"})
	case target.Name == mc.m.Current():
		return mc.ask("") // asked it already: this is the place to change it
	case !mc.answered(target):
		return mc.reprompt(&problem{key: "edit.not_yet"})
	}
	from := mc.m.Current()
	if isRunnerState(from) {
		from = x.slots[slotReturn]
		delete(x.slots, slotReturn)
	}
	if ret := x.slots[slotEditing]; ret != "" {
		from = ret // changing another answer on the way: still back to where it began
	}
	if from != "" && from != target.Name {
		x.slots[slotEditing] = from
	}
	if err := mc.fire("edit>" + target.Name); err != nil {
		return err
	}
	return mc.ask("")
}

func (mc *machine) fieldStep(field string) *Step {
	for _, s := range mc.f.Steps {
		if s.Field == field {
			return s
		}
	}
	return nil
}

// answered reports whether the worker has given (or the bot knows) the step's answer.
func (mc *machine) answered(s *Step) bool {
	if s.Slot != "" && mc.x.slots[s.Slot] != "" {
		return true
	}
	return slices.Contains(mc.trail(), s.Name)
}

func (mc *machine) editOptions() []Option {
	x := mc.x
	var out []Option
	for _, s := range mc.f.Steps {
		if s.Field != "" && mc.answered(s) {
			out = append(out, Option{Label: x.t(mc.f.Name + ".field_" + s.Field), Value: s.Field})
		}
	}
	return append(out, Option{Label: x.t("edit.done"), Value: "selesai", Means: words.Done | words.No | words.Back})
}

func (mc *machine) answerEdit() error {
	a := mc.read()
	if a.Value == "" {
		if f, ok := mc.x.r.words().Field(a.Text); ok {
			a.Value = f
		}
	}
	switch {
	case a.Value == "selesai":
		return mc.returnTo(mc.x.slots[slotReturn])
	case a.Value != "":
		return mc.edit(a.Value)
	}
	return mc.reject(&problem{key: "edit.unknown"})
}

// ---- matching answers to options -----------------------------------------------------------

func choices(opts []Option) []bot.Choice {
	out := make([]bot.Choice, len(opts))
	for i, o := range opts {
		out[i] = bot.Choice{Label: o.Label, Value: o.Value}
	}
	return out
}

// matchOption picks the option text means: its label with or without punctuation and case,
// the words it Means, a unique prefix of a label, the words of one label only, or a label one
// letter off. "" when none or more than one fit.
func matchOption(opts []Option, text string, kinds words.Kind) string {
	toks := words.Tokens(text)
	if len(toks) == 0 {
		return ""
	}
	said := strings.Join(toks, " ")
	labels := make([][]string, len(opts))
	for i, o := range opts {
		labels[i] = words.Tokens(o.Label)
		if strings.Join(labels[i], " ") == said || strings.EqualFold(o.Value, text) {
			return o.Value
		}
	}
	if v := only(opts, func(i int) bool { return opts[i].Means.Has(kinds) }); v != "" || kinds != words.None {
		return v
	}
	if len(said) >= 3 {
		if v := only(opts, func(i int) bool { return strings.HasPrefix(strings.Join(labels[i], " "), said) }); v != "" {
			return v
		}
	}
	if v := only(opts, func(i int) bool { return containsWords(labels[i], toks) }); v != "" {
		return v
	}
	if len(said) >= 5 {
		return only(opts, func(i int) bool { return words.Distance(strings.Join(labels[i], " "), said) <= 1 })
	}
	return ""
}

// only is the value of the one option that fits, "" when none or several do.
func only(opts []Option, fits func(int) bool) string {
	found := ""
	for i, o := range opts {
		if fits(i) {
			if found != "" {
				return ""
			}
			found = o.Value
		}
	}
	return found
}

// containsWords reports whether every word of toks of three letters or more is in label, and
// there is at least one such word.
func containsWords(label, toks []string) bool {
	n := 0
	for _, t := range toks {
		if len(t) < 3 {
			continue
		}
		if !slices.Contains(label, t) {
			return false
		}
		n++
	}
	return n > 0
}

// ---- helpers flows use ----------------------------------------------------------------------

// optionsOf makes options from locale keys and values.
func optionsOf(x *run, pairs ...string) []Option {
	out := make([]Option, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Option{Label: x.t(pairs[i]), Value: pairs[i+1]})
	}
	return out
}

// picked is the Parse of a step answered only by choosing one of its options.
func picked(problemKey string) func(x *run, a Answer) (string, error) {
	return func(_ *run, a Answer) (string, error) {
		if a.Value == "" {
			return "", invalid(problemKey)
		}
		return a.Value, nil
	}
}
