package flows

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"bpubot/bot"
	"bpubot/models"
)

// Questions on the side: a flow marked Aside (a reminder) is put to the worker by the bot, not
// asked for, and lands on top of whatever the worker was doing, which goes on the stack. Its
// answers are read first; anything else is meant for what is below, so the question steps
// aside without a word, the message is handled as if it were not there, and the worker's
// flow goes on untouched.
//
// The bot queues such a question ahead of sending it: a worker may write before it reaches
// them. Until Seen says it has arrived, every message goes to what is below (a "2" still picks
// the second option of the question the worker was answering), and the question stays on top,
// its buttons still accepted, for when it does arrive.

// seen is whether the worker has a question put to them on the side.
type seen int

const (
	seenYes     seen = iota // delivered: the next message may answer it
	seenWaiting             // still queued: the worker does not have it yet
	seenNever               // it will not arrive (the platform refused it)
)

// Slots of an Aside flow: its own data, kept when it stays on top, and the choices offered
// before it, against which a message meant for what is below is read.
func asideData(f *Flow) string   { return asideDataSlot(f.Name) }
func asideBefore(f *Flow) string { return asideBeforeSlot(f.Name) }

func asideDataSlot(flow string) string   { return "_aside_" + flow }
func asideBeforeSlot(flow string) string { return "_aside_before_" + flow }

// putAside puts the Aside flow f on top of the conversation: what the worker is in goes on the
// stack, the choices offered so far are kept to read answers to it, and data is the flow's
// own. It does not say anything: begin the flow, or leave it at state.
func (r *Router) putAside(x *run, f *Flow, data string, offered []bot.Choice) {
	if cur := x.flow(); cur == f {
		// The question already on top is replaced, over the same stack and what was offered
		// before it.
		before := x.slots[asideBefore(f)]
		f.reset(x)
		x.slots[asideBefore(f)] = before
	} else {
		if cur != nil && x.Conv.State != stEnd {
			x.setStack(append(x.stack(), frame{Flow: x.Conv.Flow, State: x.Conv.State}))
		}
		if offered == nil {
			offered = []bot.Choice{}
		}
		x.slots[asideBefore(f)] = models.EncodeJSON(offered)
	}
	x.Conv.Flow, x.Conv.State, x.Conv.Failures = f.Name, stEnd, 0
	x.slots[asideData(f)] = data
}

// aside reads a message while the Aside flow of mc is on top.
func (r *Router) aside(x *run, mc *machine) error {
	f := mc.f
	s := f.step(mc.m.Current())
	state := seenYes
	if f.Seen != nil {
		var err error
		if state, err = f.Seen(x); err != nil {
			return err
		}
	}
	opts := mc.options()
	if x.In.Kind == bot.KindButton && slices.ContainsFunc(opts, func(o Option) bool { return o.Value == x.In.Value }) {
		state = seenYes // a button of the question was pressed: it has arrived
	}
	if state == seenYes && s != nil {
		if n, ok := bareNumber(x.In.Text); ok && x.In.Kind == bot.KindText {
			// A number answers the question just put, whatever the engine read it as.
			x.In.Value = ""
			if n >= 1 && n <= len(opts) {
				x.In.Value = opts[n-1].Value
			}
		}
		value, err := s.Parse(x, mc.read())
		var p *problem
		switch {
		case err == nil:
			return mc.keep(s, value)
		case !errors.As(err, &p):
			return err
		}
	}
	return r.stepAside(x, mc, state == seenWaiting)
}

// stepAside takes the Aside flow of mc off the top without a word and handles the message as
// if it had not been there; with stay, the flow goes back on top afterwards, unanswered.
func (r *Router) stepAside(x *run, mc *machine, stay bool) error {
	f := mc.f
	at, data, offers := mc.m.Current(), x.slots[asideData(f)], choices(mc.options())
	var before []bot.Choice
	_ = models.DecodeJSON(x.slots[asideBefore(f)], &before) // a broken slot only means nothing to read against
	if at != stEnd {
		if err := mc.fire("quit"); err != nil {
			return err
		}
	}
	f.reset(x)
	delete(x.slots, asideBefore(f))
	if stack := x.stack(); len(stack) > 0 {
		top := stack[len(stack)-1]
		x.setStack(stack[:len(stack)-1])
		x.Conv.Flow, x.Conv.State = top.Flow, top.State
	} else {
		x.Conv.Flow, x.Conv.State = flowMenu, ""
	}
	if x.In.Kind == bot.KindText {
		// The words are read against the question the worker had before this one.
		x.In.Value = ""
		if c, ok := bot.MatchChoice(before, x.In.Text); ok {
			x.In.Value = c.Value
		}
	}
	if err := r.route(x); err != nil {
		return err
	}
	if !stay || at == stEnd || x.Conv.MemberID == nil {
		return nil
	}
	r.putAside(x, f, data, x.Offering())
	x.Conv.State = at
	x.Offer(offers...)
	return nil
}

// bareNumber reads a message that is only a number ("2", "2.").
func bareNumber(text string) (int, bool) {
	t := strings.TrimRight(strings.TrimSpace(text), ".)")
	n, err := strconv.Atoi(t)
	return n, err == nil
}
