package staff

import (
	"context"
	"strings"
	"time"

	"bpubot/bot"
	"bpubot/bot/payments"
	"bpubot/flows"
	"bpubot/flows/coverage"
	"bpubot/models"
)

// What the web console shows that no other way in asks for: the staff member behind a session,
// the dashboard's figures, a worker's page, a broadcast's progress while it sends. Roles are
// checked here as everywhere (allow, inScope); reading figures and progress is not audited,
// reading a worker's page is.

// ActorByID is a staff member coming back to the console with a session. The stored row is
// read on every request, so disabling someone or changing their role counts at once.
func (s *Service) ActorByID(ctx context.Context, id int64) (Actor, error) {
	st, err := models.FindStaff(s.db(ctx), id, "")
	if err != nil || st.Disabled || st.PasswordHash == "" {
		return Actor{}, ErrNotStaff
	}
	return ActorOf(*st, ViaConsole), nil
}

// AuditLoginLimited records a console log-in refused before its password was checked, because
// the account or the address tried too often. Who is the staff member of that name, if any:
// what was typed is never kept (it may be a password typed into the wrong field).
func (s *Service) AuditLoginLimited(ctx context.Context, name, why string) {
	who := Actor{Name: "?", Via: ViaConsole}
	if st, err := models.FindStaff(s.db(ctx), 0, name); err == nil {
		who = ActorOf(*st, ViaConsole)
	}
	s.audit(ctx, who, "login_limited", "", 0, why)
}

// Dashboard is the console's overview: enrolments and where sign-ups stop.
type Dashboard struct {
	Members int64 // with an enrollment
	// PerDay counts enrollments of each of the last Days days, oldest first, in the staff's
	// time zone; every day is there, with 0 when there were none.
	PerDay       []models.KeyCount
	ByPartner    []models.KeyCount // partner code, "" for none
	ByOccupation []models.KeyCount
	ByProvince   []models.KeyCount // Kemendagri province code
	ByChannel    []models.KeyCount
	// Funnel is the sign-up step by step: how many reached each step (finished included) and
	// how many are at it now, having stopped there or still answering.
	Funnel   []FunnelStep
	Finished int64
	// Coverage counts members by the state of their latest enrollment (CoverageStates order).
	Coverage []models.KeyCount
	// OpenHandoffs is how many requests to talk to a person wait.
	OpenHandoffs int64
}

// FunnelStep is one step of the sign-up in the funnel.
type FunnelStep struct {
	Step    string
	Reached int64
	At      int64
}

// Dashboard counts the workers the actor may see: everyone, or their own partner's.
func (s *Service) Dashboard(ctx context.Context, a Actor, days int) (*Dashboard, error) {
	if err := s.allow(ctx, a, OpWorkersList); err != nil {
		return nil, err
	}
	partnerID := s.scoped(a, models.Segment{}).PartnerID
	db := s.db(ctx)
	loc, now := s.loc(), s.now()
	d := &Dashboard{}
	today := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc)
	from := today.AddDate(0, 0, 1-days)
	perDay, err := models.EnrollmentsPerDay(db, partnerID, from, loc)
	if err != nil {
		return nil, err
	}
	counted := map[string]int64{}
	for _, c := range perDay {
		counted[c.Key] = c.N
	}
	for day := from; !day.After(today); day = day.AddDate(0, 0, 1) {
		key := day.Format(time.DateOnly)
		d.PerDay = append(d.PerDay, models.KeyCount{Key: key, N: counted[key]})
	}
	for _, by := range []struct {
		dim string
		out *[]models.KeyCount
	}{{models.ByPartner, &d.ByPartner}, {models.ByOccupation, &d.ByOccupation}, {models.ByProvince, &d.ByProvince}, {models.ByChannel, &d.ByChannel}} {
		if *by.out, err = models.MembersBy(db, by.dim, partnerID); err != nil {
			return nil, err
		}
	}
	for _, c := range d.ByChannel {
		d.Members += c.N
	}
	if err := s.funnel(ctx, d, partnerID); err != nil {
		return nil, err
	}
	if err := s.coverageCounts(ctx, d, partnerID); err != nil {
		return nil, err
	}
	if d.OpenHandoffs, err = models.CountOpenHandoffs(db, partnerID); err != nil {
		return nil, err
	}
	return d, nil
}

// funnel counts where the conversations still signing up are, and those who finished.
func (s *Service) funnel(ctx context.Context, d *Dashboard, partnerID *int64) error {
	code := ""
	if partnerID != nil {
		ps, err := models.Partners(s.db(ctx))
		if err != nil {
			return err
		}
		code = "\x00" // a partner that does not exist matches no conversation
		for _, p := range ps {
			if p.ID == *partnerID {
				code = p.Code
			}
		}
	}
	at := map[string]int64{}
	err := models.EachSignupConversation(s.db(ctx), func(c models.Conversation) error {
		step, partner := flows.SignupPlace(c)
		if step != "" && (partnerID == nil || strings.EqualFold(partner, code)) {
			at[step]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	d.Finished = d.Members
	steps := flows.SignupSteps()
	d.Funnel = make([]FunnelStep, len(steps))
	reached := d.Finished
	for i := len(steps) - 1; i >= 0; i-- {
		reached += at[steps[i]]
		d.Funnel[i] = FunnelStep{Step: steps[i], Reached: reached, At: at[steps[i]]}
	}
	return nil
}

func (s *Service) coverageCounts(ctx context.Context, d *Dashboard, partnerID *int64) error {
	n := map[string]int64{}
	err := payments.EachCoverage(s.db(ctx), s.rules(), models.CoverageFilter{PartnerID: partnerID}, s.now(), func(batch []payments.Standing) error {
		for _, st := range batch {
			n[string(st.Coverage.State)]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, state := range CoverageStates {
		d.Coverage = append(d.Coverage, models.KeyCount{Key: state, N: n[state]})
	}
	return nil
}

func (s *Service) rules() coverage.Rules {
	if s.Coverage != nil {
		return *s.Coverage
	}
	return coverage.Default()
}

// WorkerPage is everything the console shows of one worker, NIK and phone masked.
type WorkerPage struct {
	Worker      Worker
	Enrollments []models.MemberEnrollment
	// Coverage of the latest enrollment; nil without one.
	Coverage *coverage.Coverage
	Payments []models.Payment
	// Messages are the reminders and announcements sent to the worker's chats lately.
	Messages []SentMessage
	Handoffs []Handoff
	Chats    []Chat
}

// SentMessage is a reminder or an announcement a worker was sent.
type SentMessage struct {
	Broadcast *int64 // the announcement's broadcast; nil for a reminder
	Text      string // NIK and phone numbers masked
	Channel   string
	Status    string
	Error     string
	QueuedAt  time.Time
	SentAt    *time.Time
}

// Chat is one of a worker's chats, the address masked.
type Chat struct {
	Channel       string
	Chat          string
	OptedOut      bool
	Unreachable   bool
	LastInboundAt time.Time
}

// workerPageLimit bounds each list of the page.
const workerPageLimit = 50

// WorkerPage loads a worker's page. Partner staff reach only their own partner's workers;
// another's reads as not found. The view is audited.
func (s *Service) WorkerPage(ctx context.Context, a Actor, memberID int64) (*WorkerPage, error) {
	if err := s.allow(ctx, a, OpWorkersList); err != nil {
		return nil, err
	}
	db := s.db(ctx)
	partner, err := models.MemberPartner(db, memberID)
	if err != nil {
		return nil, err
	}
	if err := s.inScope(ctx, a, partner, target("member", memberID)); err != nil {
		return nil, err
	}
	st, err := models.MemberStatusOf(db, memberID)
	if err != nil {
		return nil, notFound(err)
	}
	m := st.Member
	row := models.MemberRow{MemberID: m.ID, FullName: m.FullName, NIKEnc: m.NIKEnc, Phone: m.Phone, Occupation: m.Occupation,
		ProvinceCode: m.ProvinceCode, RegencyCode: m.RegencyCode, City: m.City, Lang: m.Lang, OptedOut: m.OptedOut, CreatedAt: m.CreatedAt}
	if st.Enrollment != nil {
		row.Status = &st.Enrollment.Status
	}
	if st.Partner != nil {
		row.PartnerCode = &st.Partner.Code
	}
	p := &WorkerPage{Worker: s.worker(row)}
	if p.Enrollments, err = models.EnrollmentsOf(db, memberID); err != nil {
		return nil, err
	}
	if len(p.Enrollments) > 0 {
		standing, err := payments.Coverage(db, s.rules(), memberID, s.now())
		if err != nil {
			return nil, err
		}
		p.Coverage = &standing.Coverage
	}
	if p.Payments, err = models.PaymentsOf(db, memberID, workerPageLimit); err != nil {
		return nil, err
	}
	sent, err := models.BulkMessagesTo(db, memberID, workerPageLimit)
	if err != nil {
		return nil, err
	}
	for _, o := range sent {
		var r bot.Reply
		_ = models.DecodeJSON(o.Payload, &r) // a redacted payload has no text to show
		p.Messages = append(p.Messages, SentMessage{Broadcast: o.BroadcastID, Text: bot.MaskText(r.Text), Channel: o.Channel,
			Status: o.Status, Error: failureReason(o.LastError), QueuedAt: o.CreatedAt, SentAt: o.SentAt})
	}
	reqs, err := models.HandoffsOf(db, memberID, workerPageLimit)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.ID
	}
	added, err := models.HandoffMessages(db, ids)
	if err != nil {
		return nil, err
	}
	for _, r := range reqs {
		p.Handoffs = append(p.Handoffs, view(r, added[r.ID]))
	}
	chats, err := models.ContactsOf(db, memberID)
	if err != nil {
		return nil, err
	}
	for _, c := range chats {
		p.Chats = append(p.Chats, Chat{Channel: c.Channel, Chat: bot.MaskID(c.ChatID), OptedOut: c.OptedOut,
			Unreachable: c.Unreachable, LastInboundAt: c.LastInboundAt})
	}
	s.audit(ctx, a, "workers.view", target("member", memberID), 1, "")
	return p, nil
}

// BroadcastProgress is BroadcastReport for a page that refreshes itself while a broadcast
// sends: the same counts, without an audit entry every few seconds (opening the report is
// audited). A broadcast whose last message has just gone is marked done here rather than at
// the next sweep, so staff watching see it finish.
func (s *Service) BroadcastProgress(ctx context.Context, a Actor, id int64) (*Report, error) {
	b, err := s.broadcast(ctx, a, id)
	if err != nil {
		return nil, err
	}
	r, err := s.report(ctx, b)
	if err != nil {
		return nil, err
	}
	// The counts just read say whether anything is left; only then is it asked again, by the
	// same check the sweep makes.
	if r.Pending == 0 && s.finishIfSent(ctx, &b.Broadcast) {
		r.Broadcast = *b
	}
	return r, nil
}

// AuditLogout records a staff member leaving the console.
func (s *Service) AuditLogout(ctx context.Context, a Actor) {
	s.audit(ctx, a, "logout", target("staff", a.ID), 0, "")
}

// BroadcastPage is a broadcast as the console's page shows it, its row read once: a draft
// with its preview as PreviewBroadcast shows it (without marking the draft previewed or
// auditing: the page shows again a preview already asked for), a confirmed one with its
// report (audited, as BroadcastReport).
type BroadcastPage struct {
	Broadcast *Broadcast
	Preview   *Preview // a draft's
	Report    *Report  // once confirmed
}

// BroadcastPage loads a broadcast's page.
func (s *Service) BroadcastPage(ctx context.Context, a Actor, id int64) (*BroadcastPage, error) {
	b, err := s.broadcast(ctx, a, id)
	if err != nil {
		return nil, err
	}
	p := &BroadcastPage{Broadcast: b}
	if b.Status == models.BroadcastDraft {
		p.Preview, err = s.preview(ctx, b)
	} else {
		p.Report, err = s.auditedReport(ctx, a, b)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}
