package flows

import (
	"errors"
	"strings"
	"time"

	"bpubot/bot/payments"
	"bpubot/flows/coverage"
	"bpubot/flows/tariff"
	"bpubot/locales"
	"bpubot/models"
)

// Answers about the worker's own membership: status, how and when to pay, paying late, "sudah
// bayar". Every one reads the member's coverage from their payments (payments.Coverage) with
// the configured tariff and holidays, the same as reminders and staff reports.

// standing is this chat's enrolled member with their coverage now.
type standing struct {
	*models.MemberStatus
	Coverage coverage.Coverage
}

// rules are the coverage rules: the configured ones, or the router's tariff with the built-in
// holidays.
func (r *Router) rules() coverage.Rules {
	if r.Rules.Tariff != nil && r.Rules.Calendar != nil {
		return r.Rules
	}
	return coverage.Rules{Tariff: r.Tariff, Calendar: coverage.DefaultCalendar()}
}

// member is this chat's enrolled worker with their newest enrollment and their coverage, nil
// when there is none.
func (r *Router) member(x *run) (*standing, error) {
	if x.Conv.MemberID == nil {
		return nil, nil
	}
	st, err := models.MemberStatusOf(x.Tx, *x.Conv.MemberID)
	if errors.Is(err, models.ErrNotFound) || (err == nil && st.Enrollment == nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c, err := payments.Coverage(x.Tx, r.rules(), st.Member.ID, x.Now)
	if err != nil {
		return nil, err
	}
	return &standing{MemberStatus: st, Coverage: c.Coverage}, nil
}

// participant is what a member's premium depends on.
func participant(st *standing) tariff.Participant {
	return tariff.Participant{Income: st.Enrollment.DeclaredIncome, Occupation: st.Member.Occupation,
		Package: tariff.Package(st.Enrollment.Package), GovSponsored: st.Partner != nil && st.Partner.GovSponsored}
}

// sponsor is who pays a member's premium instead of them, nil when they pay themselves.
func sponsor(st *standing) *models.Partner {
	if st.Partner != nil && st.Partner.Sponsored {
		return st.Partner
	}
	return nil
}

// status answers "cek status", "sudah bayar belum": the membership's standing, paid until,
// what is owed month by month and what to pay now, the next due date, what happens at lapse
// and how to re-activate; for a sponsored worker, who pays.
func (r *Router) status(x *run) error {
	st, err := r.member(x)
	if err != nil {
		return err
	}
	if st == nil {
		if x.signingUp() {
			// Asked in the middle of sign-up: the way to a status is to finish it.
			x.say(x.t("status.signing_up"))
			return r.done(x, false)
		}
		x.say(x.t("status.not_member"), x.choice("menu.signup", "daftar"), x.choice("common.to_menu", "menu"))
		return r.done(x, false)
	}
	lines := []string{r.statusText(x, st)}
	c := st.Coverage
	if c.Paid {
		lines = append(lines, x.t("status.paid_until", "date", x.date(lastDay(c.PaidUntil))))
	}
	if p := sponsor(st); p != nil {
		if c.Standing == coverage.StateArrears || c.Standing == coverage.StateLapsed {
			lines = append(lines, x.t("status.sponsor_behind", "partner", p.Name, "months", monthList(x, c.PayNow())))
		}
	} else {
		lines = append(lines, r.owed(x, st)...)
	}
	if len(c.Reported) > 0 {
		months := make([]coverage.MonthDue, len(c.Reported))
		for i, rep := range c.Reported {
			months[i] = coverage.MonthDue{Month: rep.Month}
		}
		lines = append(lines, x.t("status.reported", "months", monthList(x, months)))
	}
	x.say(strings.Join(lines, "\n"))
	return r.done(x, false)
}

func (r *Router) statusText(x *run, st *standing) string {
	e, c := st.Enrollment, st.Coverage
	status := x.t("status.state." + string(c.Standing))
	premium := x.t("signup.premium_plain", "amount", locales.Money(e.MonthlyPremium))
	if p := sponsor(st); p != nil {
		premium = x.t("signup.paid_by", "partner", p.Name)
		if c.Standing == coverage.StatePending {
			status = x.t("status.pending_sponsor", "partner", p.Name)
		}
	}
	return x.t("status.summary",
		"status", status,
		"package", x.t("package."+e.Package),
		"premium", premium,
		"since", x.date(e.CreatedAt.In(r.Config.Location)),
	)
}

// owed is what a worker who pays themselves has to pay: the first payment; or the months in
// arrears with what each costs and the total, and when the membership lapses if they stay
// unpaid; or, lapsed, how to re-activate; and then the next month due and the rule at lapse.
func (r *Router) owed(x *run, st *standing) []string {
	c := st.Coverage
	var lines []string
	switch c.Standing {
	case coverage.StatePending:
		return []string{x.t("info.due_first", "amount", locales.Money(st.Enrollment.PeriodPremium), "n", st.Enrollment.PaymentMonths)}
	case coverage.StateLapsed:
		return []string{
			x.t("status.lapsed_since", "date", x.date(c.LapsedAt), "lapse", coverage.MaxArrears),
			x.t("status.reactivate", "month", x.month(c.Next.Month), "amount", locales.Money(c.Next.Amount)),
		}
	case coverage.StateArrears:
		lines = append(lines, x.t("status.arrears_head", "n", len(c.Arrears)), monthLines(x, c.Arrears),
			x.t("status.pay_now", "amount", locales.Money(c.ArrearsTotal)))
		if !c.LapsesAt.IsZero() {
			lines = append(lines, x.t("status.lapses_on", "date", x.date(c.LapsesAt.AddDate(0, 0, -1))))
		}
	}
	lines = append(lines, nextDue(x, c.Next))
	if c.LapsesAt.IsZero() {
		lines = append(lines, x.t("status.lapse_rule", "lapse", coverage.MaxArrears))
	}
	return lines
}

// nextDue says which month is next, how much and by when (holidays counted).
func nextDue(x *run, d coverage.MonthDue) string {
	return x.t("info.due_own", "month", x.month(d.Month), "amount", locales.Money(d.Amount),
		"date", locales.Weekday(x.lang(), d.Due.Weekday())+", "+x.date(d.Due))
}

// monthLines lists months with their amounts, one a line.
func monthLines(x *run, months []coverage.MonthDue) string {
	lines := make([]string, len(months))
	for i, d := range months {
		lines[i] = x.t("status.month_line", "month", x.month(d.Month), "amount", locales.Money(d.Amount))
	}
	return strings.Join(lines, "\n")
}

// monthList names months in a sentence: "Maret 2026", "Mar–Mei 2026", "Januari 2026 dan
// Maret 2026".
func monthList(x *run, months []coverage.MonthDue) string {
	var parts []string
	for i := 0; i < len(months); {
		j := i
		for j+1 < len(months) && months[j+1].Month == months[j].Month+1 {
			j++
		}
		if i == j {
			parts = append(parts, x.month(months[i].Month))
		} else {
			parts = append(parts, locales.MonthRange(x.lang(), months[i].Month.Start(), months[j].Month.Start()))
		}
		i = j + 1
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " " + x.t("common.and") + " " + parts[len(parts)-1]
}

func (x *run) date(t time.Time) string { return locales.Date(x.lang(), t) }

func (x *run) month(m tariff.YearMonth) string { return locales.Month(x.lang(), m.Start()) }

// lastDay is the last day of month m.
func lastDay(m tariff.YearMonth) time.Time { return (m + 1).Start().AddDate(0, 0, -1) }

// standingLine is what a member owes, or that their membership lapsed; "" when all is paid.
func standingLine(x *run, c coverage.Coverage) string {
	switch c.Standing {
	case coverage.StateArrears:
		return x.t("status.arrears", "n", len(c.Arrears), "amount", locales.Money(c.ArrearsTotal), "lapse", coverage.MaxArrears)
	case coverage.StateLapsed:
		return x.t("status.lapsed", "lapse", coverage.MaxArrears)
	}
	return ""
}

func (r *Router) payment(x *run) error {
	st, err := r.member(x)
	if err != nil {
		return err
	}
	amount := ""
	if st != nil {
		if p := sponsor(st); p != nil {
			x.say(x.t("payment.sponsored", "partner", p.Name))
			return r.done(x, true)
		}
		amount = payNowLine(x, st) + "\n"
	}
	x.say(x.t("payment.text", "amount", amount, "lapse", coverage.MaxArrears))
	return r.done(x, true)
}

// payNowLine is what a member who pays themselves should pay now: the first payment (the
// period chosen at sign-up), the arrears, or the month due.
func payNowLine(x *run, st *standing) string {
	c := st.Coverage
	switch c.Standing {
	case coverage.StatePending:
		return x.t("info.due_first", "amount", locales.Money(st.Enrollment.PeriodPremium), "n", st.Enrollment.PaymentMonths)
	case coverage.StateArrears:
		return x.t("status.pay_now", "amount", locales.Money(c.ArrearsTotal))
	}
	return x.t("payment.your_amount", "amount", locales.Money(c.Next.Amount))
}

// dueDate answers "kapan jatuh tempo": the rule, and the worker's own next due date.
func (r *Router) dueDate(x *run) error {
	text := x.t("info.due_rule")
	st, err := r.member(x)
	if err != nil {
		return err
	}
	if st != nil {
		text += "\n\n" + ownDue(x, st)
	}
	x.say(text)
	return r.done(x, true)
}

// ownDue is the member's own next payment: who pays, what is owed, or which month is next, how
// much and by when (holidays counted).
func ownDue(x *run, st *standing) string {
	if p := sponsor(st); p != nil {
		return x.t("payment.sponsored", "partner", p.Name)
	}
	c := st.Coverage
	if c.Standing == coverage.StatePending {
		// Nothing paid yet: the first payment is what is due, and cover starts with it.
		return x.t("info.due_first", "amount", locales.Money(st.Enrollment.PeriodPremium), "n", st.Enrollment.PaymentMonths)
	}
	if line := standingLine(x, c); line != "" {
		return line
	}
	return nextDue(x, c.Next)
}

// latePayment answers "telat bayar": no fine, arrears, lapse after more than MaxArrears months,
// and what is not certain (an accident while in arrears) goes to staff.
func (r *Router) latePayment(x *run) error {
	text := x.t("info.late_rule", "lapse", coverage.MaxArrears)
	if n := monthsIn(x.In.Text); n > coverage.MaxArrears {
		text += "\n\n" + x.t("info.late_lapsed", "n", n)
	}
	st, err := r.member(x)
	if err != nil {
		return err
	}
	if st != nil {
		text += "\n\n" + ownDue(x, st)
	}
	x.say(text, x.choice("menu.human", "petugas"), x.choice("common.to_menu", "menu"))
	return r.done(x, false)
}

// reportPaid answers "sudah bayar": the months due now (the arrears, the month due, the first
// payment or the one that re-activates a lapsed membership) are recorded as the worker's own
// report (payments.ReportPaid), which pauses their reminders and shows to staff as
// unverified. The worker is thanked, and told honestly that it counts once the payment point
// or staff confirm it.
func (r *Router) reportPaid(x *run) error {
	st, err := r.member(x)
	if err != nil {
		return err
	}
	switch {
	case st == nil:
		x.say(x.t("payment.reported"))
		return r.done(x, true)
	case sponsor(st) != nil:
		x.say(x.t("payment.sponsored", "partner", sponsor(st).Name))
		return r.done(x, true)
	}
	months := dueNow(st.Coverage, x.Now)
	if len(months) == 0 {
		x.say(x.t("payment.already_paid", "date", x.date(lastDay(st.Coverage.PaidUntil))))
		return r.done(x, true)
	}
	if err := r.report(x, st.Member.ID, months); err != nil {
		return err
	}
	return r.done(x, true)
}

// dueNow are the months a worker is asked to pay now: the arrears, and the next month when it
// is this month or earlier (pending, lapsed, or not yet due).
func dueNow(c coverage.Coverage, now time.Time) []coverage.MonthDue {
	months := c.Arrears
	if c.Next.Month <= tariff.MonthOf(now) || c.Standing == coverage.StatePending || c.Standing == coverage.StateLapsed {
		months = append(months[:len(months):len(months)], c.Next)
	}
	return months
}

// benefitInfo answers a "what if" question ("kalau kecelakaan gmn", "kalau saya meninggal
// keluarga dapat apa"): the benefit and how a claim works, with no condolences and no
// checklist, since nothing has happened; for a member, what a work-accident death would pay.
func benefitInfo(key string) func(r *Router, x *run) error {
	return func(r *Router, x *run) error {
		if err := benefitText(x, key); err != nil {
			return err
		}
		return r.done(x, true)
	}
}

// benefitText says the benefit of key, with the member's own figure.
func benefitText(x *run, key string) error {
	text := x.t(key)
	if x.Conv.MemberID != nil {
		st, err := models.MemberStatusOf(x.Tx, *x.Conv.MemberID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		if err == nil && st.Enrollment != nil {
			income := st.Enrollment.DeclaredIncome
			text += "\n" + x.t("info.jkk_own", "income", locales.Money(income), "amount", locales.Money(48*income))
		}
	}
	x.say(text)
	return nil
}

// changeData answers "data saya salah": in the middle of sign-up, the list of answers to change;
// once registered, staff change it.
func (r *Router) changeData(x *run) error {
	if stack := x.stack(); len(stack) > 0 && stack[len(stack)-1].Flow == nameSignup {
		top := stack[len(stack)-1]
		x.setStack(stack[:len(stack)-1])
		x.Conv.Flow, x.Conv.State = top.Flow, top.State
		mc := flowSignup.machine(x)
		defer mc.release()
		return mc.edit("")
	}
	if x.Conv.MemberID != nil {
		x.say(x.t("edit.registered"), x.choice("menu.human", "petugas"), x.choice("common.to_menu", "menu"))
		return r.done(x, false)
	}
	x.say(x.t("edit.nothing"), x.choice("menu.signup", "daftar"), x.choice("common.to_menu", "menu"))
	return r.done(x, false)
}

// signingUp reports a sign-up in progress that this message interrupted.
func (x *run) signingUp() bool {
	for _, f := range x.stack() {
		if f.Flow == flowSignup.Name {
			return true
		}
	}
	return false
}
