package flows

import (
	"errors"
	"time"

	"bpubot/flows/tariff"
	"bpubot/locales"
	"bpubot/models"
)

// Answers about the worker's own membership: status, how and when to pay, paying late.

// member is this chat's enrolled worker with their newest enrollment, nil when there is none.
func (r *Router) member(x *run) (*models.MemberStatus, error) {
	if x.Conv.MemberID == nil {
		return nil, nil
	}
	st, err := models.MemberStatusOf(x.Tx, *x.Conv.MemberID)
	if errors.Is(err, models.ErrNotFound) || (err == nil && st.Enrollment == nil) {
		return nil, nil
	}
	return st, err
}

// participant is what a member's premium depends on.
func participant(st *models.MemberStatus) tariff.Participant {
	return tariff.Participant{Income: st.Enrollment.DeclaredIncome, Occupation: st.Member.Occupation,
		Package: tariff.Package(st.Enrollment.Package), GovSponsored: st.Partner != nil && st.Partner.GovSponsored}
}

// sponsor is who pays a member's premium instead of them, nil when they pay themselves.
func sponsor(st *models.MemberStatus) *models.Partner {
	if st.Partner != nil && st.Partner.Sponsored {
		return st.Partner
	}
	return nil
}

func (r *Router) status(x *run) error {
	st, err := r.member(x)
	if err != nil {
		return err
	}
	if st == nil {
		x.say(x.t("status.not_member"), x.choice("menu.signup", "daftar"), x.choice("common.to_menu", "menu"))
		return r.done(x, false)
	}
	text := r.statusText(x, st)
	if e := st.Enrollment; e.PaidUntil != nil && sponsor(st) == nil {
		text += "\n" + x.t("status.paid_until", "date", locales.Date(x.lang(), e.PaidUntil.In(r.Config.Location)))
		if n, total := r.arrears(x, participant(st), *e.PaidUntil); n > 0 {
			text += "\n" + x.t("status.arrears", "n", n, "amount", locales.Money(total), "lapse", r.Config.LapseMonths)
		}
	}
	x.say(text)
	return r.done(x, false)
}

func (r *Router) statusText(x *run, st *models.MemberStatus) string {
	e := st.Enrollment
	status := x.t("status." + e.Status)
	premium := x.t("signup.premium_plain", "amount", locales.Money(e.MonthlyPremium))
	if p := sponsor(st); p != nil {
		premium = x.t("signup.paid_by", "partner", p.Name)
		if e.Status == models.EnrollmentPendingPayment {
			status = x.t("status.pending_sponsor", "partner", p.Name)
		}
	}
	return x.t("status.summary",
		"status", status,
		"package", x.t("package."+e.Package),
		"premium", premium,
		"since", locales.Date(x.lang(), e.CreatedAt.In(r.Config.Location)),
	)
}

func (r *Router) payment(x *run) error {
	st, err := r.member(x)
	if err != nil {
		return err
	}
	if st != nil {
		if p := sponsor(st); p != nil {
			x.say(x.t("payment.sponsored", "partner", p.Name))
			return r.done(x, true)
		}
	}
	amount := ""
	if st != nil {
		if q, err := r.Tariff.Month(participant(st), x.today()); err == nil {
			amount = x.t("payment.your_amount", "amount", locales.Money(q.Total)) + "\n"
		}
	}
	x.say(x.t("payment.text", "amount", amount, "lapse", r.Config.LapseMonths))
	return r.done(x, true)
}

// dueDate answers "kapan jatuh tempo": the rule, and the worker's own next due date.
func (r *Router) dueDate(x *run) error {
	text := x.t("info.due_rule")
	st, err := r.member(x)
	if err != nil {
		return err
	}
	if st != nil {
		text += "\n\n" + r.ownDue(x, st)
	}
	x.say(text)
	return r.done(x, true)
}

// ownDue is the member's own next payment: who pays, or which month is next, how much, by when.
func (r *Router) ownDue(x *run, st *models.MemberStatus) string {
	if p := sponsor(st); p != nil {
		return x.t("payment.sponsored", "partner", p.Name)
	}
	now := x.today()
	next := monthStart(st.Enrollment.CreatedAt.In(r.Config.Location))
	if paid := st.Enrollment.PaidUntil; paid != nil {
		next = monthStart(paid.In(r.Config.Location)).AddDate(0, 1, 0)
	}
	if n, total := r.arrears(x, participant(st), next.AddDate(0, 0, -1)); n > 0 {
		return x.t("status.arrears", "n", n, "amount", locales.Money(total), "lapse", r.Config.LapseMonths)
	}
	if next.Before(monthStart(now)) {
		next = monthStart(now)
	}
	q, err := r.Tariff.Month(participant(st), next)
	if err != nil {
		return ""
	}
	due := dueDay(next)
	return x.t("info.due_own", "month", locales.Month(x.lang(), next), "amount", locales.Money(q.Total),
		"date", locales.Weekday(x.lang(), due.Weekday())+", "+locales.Date(x.lang(), due))
}

// latePayment answers "telat bayar": no fine, arrears, lapse after LapseMonths, and what is
// not certain (an accident while in arrears) goes to staff.
func (r *Router) latePayment(x *run) error {
	text := x.t("info.late_rule", "lapse", r.Config.LapseMonths)
	if n := monthsIn(x.In.Text); n > r.Config.LapseMonths {
		text += "\n\n" + x.t("info.late_lapsed", "n", n)
	}
	st, err := r.member(x)
	if err != nil {
		return err
	}
	if st != nil {
		if own := r.ownDue(x, st); own != "" {
			text += "\n\n" + own
		}
	}
	x.say(text, x.choice("menu.human", "petugas"), x.choice("common.to_menu", "menu"))
	return r.done(x, false)
}

// arrears counts the months due and unpaid after paidUntil up to today: a month is due once
// its due day has passed.
func (r *Router) arrears(x *run, p tariff.Participant, paidUntil time.Time) (int, int64) {
	now := x.today()
	var n int
	var total int64
	for month := monthStart(paidUntil.In(r.Config.Location)).AddDate(0, 1, 0); n <= 120; month = month.AddDate(0, 1, 0) {
		if !now.After(dueDay(month).AddDate(0, 0, 1)) {
			break
		}
		q, err := r.Tariff.Month(p, month)
		if err != nil {
			break
		}
		n++
		total += q.Total
	}
	return n, total
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// dueDay is the last day to pay for the month of m: the 15th, or the Monday after when the 15th
// is a weekend. Public holidays move it too; the message says so rather than the bot guessing
// the holiday calendar.
func dueDay(m time.Time) time.Time {
	d := time.Date(m.Year(), m.Month(), 15, 0, 0, 0, 0, m.Location())
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, 2)
	case time.Sunday:
		return d.AddDate(0, 0, 1)
	}
	return d
}

// benefitInfo answers a "what if" question ("kalau kecelakaan gmn", "kalau saya meninggal
// keluarga dapat apa"): the benefit and how a claim works, with no condolences and no
// checklist, since nothing has happened; for a member, what a work-accident death would pay.
func benefitInfo(key string) func(r *Router, x *run) error {
	return func(r *Router, x *run) error {
		text := x.t(key)
		st, err := r.member(x)
		if err != nil {
			return err
		}
		if st != nil {
			income := st.Enrollment.DeclaredIncome
			text += "\n" + x.t("info.jkk_own", "income", locales.Money(income), "amount", locales.Money(48*income))
		}
		x.say(text)
		return r.done(x, true)
	}
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
