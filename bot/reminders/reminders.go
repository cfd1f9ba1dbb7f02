// Package reminders sends premium reminders: it finds the workers who may be due one
// (Plan, one query per zone over every member), decides exactly what each is due from their
// coverage (flows/reminder), and writes each reminder once: a row in reminders_sent, whose
// unique indexes allow one per (member, month, stage) and one a day per member, the
// conversation put on the reminder and its outbox row, in one transaction. Running it twice,
// in two processes at once, or again after a process died in the middle sends nothing twice
// and loses nothing still due. Jobs (jobs.go) run it on River: a periodic planner on the
// elected leader, and send jobs on every process.
package reminders

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"bpubot/bot"
	"bpubot/bot/payments"
	"bpubot/flows/coverage"
	"bpubot/flows/reminder"
	"bpubot/flows/tariff"
	"bpubot/flows/validate"
	"bpubot/models"
)

// Flows puts a reminder to a worker: *flows.Router.
type Flows interface {
	Remind(ctx context.Context, s *bot.Session, memberID int64, rem reminder.Reminder, key string) error
}

// Channel is a channel reminders go out on.
type Channel struct {
	Name string
	// WroteWithin, when set, limits reminders to chats whose worker wrote within this long
	// (WhatsApp: messages a worker did not just ask for go only to recent chats).
	WroteWithin time.Duration
}

// Service plans and sends reminders. One value serves every goroutine.
type Service struct {
	DB       *models.DB
	Rules    coverage.Rules
	Schedule reminder.Schedule
	Flows    Flows
	// Channels are the channels reminders go out on, each to the chats it allows; a worker
	// with chats on several gets them on the one they wrote from last.
	Channels []Channel
	// Notify, when set, is told the channels that got new rows (the dispatcher's wake-up).
	Notify func(channel string)
	Log    *slog.Logger
	Clock  func() time.Time // nil means time.Now
}

// Now is the service's time.
func (s *Service) Now() time.Time {
	if s.Clock != nil {
		return s.Clock()
	}
	return time.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// zone is one of Indonesia's time zones with its provinces, as the planner's query takes them.
type zone struct {
	loc       *time.Location
	provinces []string
	others    bool // every province but these: WIB, which unknown codes get too
}

// zones lists the three zones by the province table (coverage.Zone reads it the same way).
func zones() []zone {
	var wita, wit []string
	for _, p := range validate.Provinces() {
		switch coverage.Zone(p.Code) {
		case coverage.WITA:
			wita = append(wita, p.Code)
		case coverage.WIT:
			wit = append(wit, p.Code)
		}
	}
	return []zone{
		{loc: coverage.WIB, provinces: append(slices.Clone(wita), wit...), others: true},
		{loc: coverage.WITA, provinces: wita},
		{loc: coverage.WIT, provinces: wit},
	}
}

// Plan lists the workers who may be due a reminder at now, by member id, ascending: in every zone inside
// its allowed hours, those with the window's month unpaid and nothing sent in the window yet
// (models.DueForReminders), and those whose "ingatkan besok" has come. Send decides exactly.
// Zones in the same window are asked about in one query: it reads every member once.
func (s *Service) Plan(ctx context.Context, now time.Time) ([]int64, error) {
	db := s.DB.WithContext(ctx)
	var all []int64
	for _, p := range s.Plans(now) {
		due, err := models.DueForReminders(db, p)
		if err != nil {
			return nil, err
		}
		snoozed, err := models.SnoozesDue(db, p.Provinces, p.Others, now)
		if err != nil {
			return nil, err
		}
		all = append(append(all, due...), snoozed...)
	}
	slices.Sort(all)
	return slices.Compact(all), nil
}

// Plans are the planner's questions at now: one for the zones inside their allowed hours
// that are in the same window (all three, most of the time), with their provinces.
func (s *Service) Plans(now time.Time) []models.ReminderPlan {
	var groups [][]zone
	var plans []models.ReminderPlan
	all := zones()
	for _, z := range all {
		if !s.Schedule.Allowed(now, z.loc) {
			continue
		}
		p := s.planQuery(z.loc, now)
		i := slices.IndexFunc(plans, func(q models.ReminderPlan) bool { return samePlan(p, q) })
		if i < 0 {
			plans, groups = append(plans, p), append(groups, nil)
			i = len(plans) - 1
		}
		groups[i] = append(groups[i], z)
	}
	for i, g := range groups {
		// The default zone (WIB) takes every province but the others'; a group with it lists
		// the provinces of the zones left out.
		if slices.ContainsFunc(g, func(z zone) bool { return z.others }) {
			plans[i].Others = true
			for _, z := range all {
				if !z.others && !slices.ContainsFunc(g, func(y zone) bool { return y.loc == z.loc }) {
					plans[i].Provinces = append(plans[i].Provinces, z.provinces...)
				}
			}
			continue
		}
		for _, z := range g {
			plans[i].Provinces = append(plans[i].Provinces, z.provinces...)
		}
	}
	return plans
}

// samePlan reports whether two zones' questions are the same but for their provinces.
func samePlan(a, b models.ReminderPlan) bool {
	return a.Month == b.Month && a.WindowDay == b.WindowDay && slices.Equal(a.PaidRanges, b.PaidRanges) &&
		a.FirstFrom.Equal(b.FirstFrom) && a.FirstTo.Equal(b.FirstTo)
}

// planQuery is the planner's question for the zone loc at now, but for its provinces: the
// window now is in there, and which payment standings can be due a reminder in it.
func (s *Service) planQuery(loc *time.Location, now time.Time) models.ReminderPlan {
	sch := s.Schedule
	slot := sch.SlotAt(s.Rules.Calendar, now, loc)
	m := slot.Month
	from := func(k int) time.Time { return (m + tariff.YearMonth(k)).Start() }
	p := models.ReminderPlan{
		Month: payments.MonthNumber(m), MonthFrom: from(0),
		WindowDay: reminder.Day(slot.Start, loc), ReportedSince: now.Add(-sch.ReportPause), Chats: s.chatRules(now),
	}
	// paid_until is the last day of the last month paid: P. The month is due (before, eve) or
	// late (after) when P < m; more than MaxArrears+1 months back the membership lapsed
	// before this window and nothing more is sent. In the before window every standing in
	// between may be due (a reminder, arrears, the last notice); later in the month only a
	// worker whose previous month is paid (the day before, the first late month) or whose
	// lapse this month's lateness makes.
	lapse := coverage.MaxArrears + 1
	if slot.Window == reminder.WindowBefore {
		p.PaidRanges = [][2]time.Time{{from(-lapse), from(0)}}
	} else {
		p.PaidRanges = [][2]time.Time{{from(-1), from(0)}, {from(-lapse), from(-lapse + 1)}}
	}
	if slot.Window != reminder.WindowAfter && sch.FirstPaymentMonths > 0 {
		p.FirstFrom, p.FirstTo = from(1-sch.FirstPaymentMonths), from(1)
	}
	return p
}

func (s *Service) chatRules(now time.Time) []models.ChatRule {
	rules := make([]models.ChatRule, len(s.Channels))
	for i, c := range s.Channels {
		rules[i] = models.ChatRule{Channel: c.Name}
		if c.WroteWithin > 0 {
			rules[i].WroteSince = now.Add(-c.WroteWithin)
		}
	}
	return rules
}

// Decision is the reminder one worker is due, and where it goes.
type Decision struct {
	MemberID int64
	Chat     models.ReminderChat
	Reminder reminder.Reminder
}

// Key is the dedupe key of the decision's outbox row: one per (member, month, stage), one a
// day for reminders asked for again.
func (d Decision) Key() string {
	key := fmt.Sprintf("reminder:%d:%d:%s", d.MemberID, payments.MonthNumber(d.Reminder.Month), d.Reminder.Stage)
	if d.Reminder.Stage == reminder.Snooze {
		key += fmt.Sprintf(":%d", d.Reminder.Day)
	}
	return key
}

// history is how far back Decide reads the reminders sent: a window is never longer than a
// month, and a month's stages lie within two.
const history = 62 * 24 * time.Hour

// Decide works out what each of members is due at now: their coverage from their latest
// enrollment's payments, the
// chat their reminders go to, their snooze and what was sent to them lately, through the
// schedule. Workers due nothing are left out. It writes nothing: stale lists the workers
// whose "ingatkan besok" came to nothing (the month was paid meanwhile, the worker stopped
// reminders), for Send to drop.
func (s *Service) Decide(ctx context.Context, members []int64, now time.Time) (decisions []Decision, stale []int64, err error) {
	if len(members) == 0 {
		return nil, nil, nil
	}
	db := s.DB.WithContext(ctx)
	latest, err := models.LatestEnrollments(db, members)
	if err != nil {
		return nil, nil, err
	}
	enrollments := make([]int64, 0, len(latest))
	for _, id := range latest {
		enrollments = append(enrollments, id)
	}
	slices.Sort(enrollments)
	recs, err := models.LoadCoverages(db, enrollments)
	if err != nil {
		return nil, nil, err
	}
	chats, err := models.ReminderChats(db, members, s.chatRules(now))
	if err != nil {
		return nil, nil, err
	}
	snoozes, err := models.ReminderSnoozes(db, members)
	if err != nil {
		return nil, nil, err
	}
	sent, err := models.RemindersSince(db, members, reminder.Day(now.Add(-history), coverage.WIB))
	if err != nil {
		return nil, nil, err
	}
	for i := range recs {
		rec := &recs[i]
		member := rec.Enrollment.MemberID
		c, err := payments.Compute(s.Rules, rec, now)
		if err != nil {
			s.log().Warn("reminder: coverage cannot be computed; no reminder", "member", member, "err", err)
			continue
		}
		w := reminder.Worker{Coverage: c, Start: tariff.MonthOf(rec.Enrollment.CreatedAt), Location: coverage.Zone(rec.ProvinceCode)}
		for _, r := range sent[member] {
			w.Sent = append(w.Sent, reminder.Sent{Month: payments.YearMonth(r.Month), Stage: reminder.Stage(r.Stage), Day: r.Day})
		}
		sn, snoozed := snoozes[member]
		if snoozed {
			w.Snooze = &reminder.Snoozed{Month: payments.YearMonth(sn.Month), DueAt: sn.DueAt}
		}
		chat, reachable := chats[member]
		rem, ok := s.Schedule.Decide(s.Rules.Calendar, w, now)
		switch {
		case ok && reachable:
			decisions = append(decisions, Decision{MemberID: member, Chat: chat, Reminder: rem})
		case snoozed && !sn.DueAt.After(now) && s.Schedule.Allowed(now, w.Location) && !sentOn(w.Sent, reminder.Day(now, w.Location)):
			stale = append(stale, member)
		}
	}
	return decisions, stale, nil
}

func sentOn(sent []reminder.Sent, day int) bool {
	return slices.ContainsFunc(sent, func(r reminder.Sent) bool { return r.Day == day })
}

// Send decides what each of members is due at now and writes every reminder (Write), returning
// how many were written. A reminder another process wrote first is not written again.
func (s *Service) Send(ctx context.Context, members []int64, now time.Time) (int, error) {
	decisions, stale, err := s.Decide(ctx, members, now)
	if err != nil {
		return 0, err
	}
	if len(stale) > 0 {
		if err := models.DropSnoozes(s.DB.WithContext(ctx), stale, now); err != nil {
			return 0, err
		}
	}
	written := 0
	channels := map[string]bool{}
	defer func() {
		for ch := range channels {
			if s.Notify != nil {
				s.Notify(ch)
			}
		}
	}()
	for _, d := range decisions {
		ok, err := s.Write(ctx, d, now)
		if err != nil {
			return written, err
		}
		if ok {
			written++
			channels[d.Chat.Channel] = true
		}
	}
	return written, nil
}

// errTaken rolls back a reminder someone else wrote first.
var errTaken = errors.New("reminder written already")

// Write writes one reminder in one transaction: the reminders_sent row, which refuses a
// second reminder of the same (member, month, stage) or the same day, the snooze it serves,
// the conversation put on the reminder and its outbox row in the bulk lane. It reports false
// when the reminder (or another today's) was there already and nothing was written.
func (s *Service) Write(ctx context.Context, d Decision, now time.Time) (bool, error) {
	key := d.Key()
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = s.DB.WithContext(ctx).Transaction(func(tx *models.Tx) error {
			took, err := models.TakeSnooze(tx, d.MemberID, now)
			if err != nil {
				return err
			}
			if d.Reminder.Stage == reminder.Snooze && !took {
				return errTaken // served by another process meanwhile
			}
			ok, err := models.RecordReminder(tx, models.ReminderSent{MemberID: d.MemberID, Month: payments.MonthNumber(d.Reminder.Month),
				Stage: string(d.Reminder.Stage), Day: d.Reminder.Day, Channel: d.Chat.Channel, DedupeKey: key, SentAt: now})
			if err != nil {
				return err
			}
			if !ok {
				return errTaken
			}
			rows, err := bot.QueuePrompt(ctx, tx, bot.Prompt{Channel: d.Chat.Channel, ChatID: d.Chat.ChatID, Lang: d.Chat.Lang, DedupeKey: key, Now: now},
				func(sess *bot.Session) error { return s.Flows.Remind(ctx, sess, d.MemberID, d.Reminder, key) })
			if err == nil && len(rows) == 0 {
				err = errors.New("the reminder said nothing")
			}
			return err
		})
		if !models.IsBusy(err) || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
	}
	switch {
	case errors.Is(err, errTaken):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("reminder %s: %w", key, err)
	}
	return true, nil
}
