package flows

import (
	"errors"

	"bpubot/flows/coverage"
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
		if x.signingUp() {
			// Asked in the middle of sign-up: the way to a status is to finish it.
			x.say(x.t("status.signing_up"))
			return r.done(x, false)
		}
		x.say(x.t("status.not_member"), x.choice("menu.signup", "daftar"), x.choice("common.to_menu", "menu"))
		return r.done(x, false)
	}
	text := r.statusText(x, st)
	if e := st.Enrollment; e.PaidUntil != nil && sponsor(st) == nil {
		text += "\n" + x.t("status.paid_until", "date", locales.Date(x.lang(), e.PaidUntil.In(r.Config.Location)))
		c, err := r.coverage(x, st)
		if err != nil {
			return err
		}
		if line := standingLine(x, c); line != "" {
			text += "\n" + line
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

// coverage is the member's standing now (flows/coverage), from the months their payments cover.
func (r *Router) coverage(x *run, st *models.MemberStatus) (coverage.Coverage, error) {
	e := coverage.Enrollment{Participant: participant(st), Start: tariff.MonthOf(st.Enrollment.CreatedAt),
		Sponsored: sponsor(st) != nil, Location: coverage.Zone(st.Member.ProvinceCode)}
	var paid []coverage.Payment
	if until := st.Enrollment.PaidUntil; until != nil {
		// Paid up to a month, on time: when each payment came is not recorded here.
		first, last := min(e.Start, tariff.MonthOf(*until)), tariff.MonthOf(*until)
		paid = []coverage.Payment{{First: first, Last: last, PaidAt: first.Start(), Verified: true}}
	}
	rules := coverage.Rules{Tariff: r.Tariff, Calendar: coverage.DefaultCalendar()}
	return rules.Compute(e, paid, x.Now)
}

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
	if st != nil {
		if p := sponsor(st); p != nil {
			x.say(x.t("payment.sponsored", "partner", p.Name))
			return r.done(x, true)
		}
	}
	amount := ""
	switch {
	case st != nil && st.Enrollment.PaidUntil == nil:
		// The first payment is the period chosen at sign-up.
		amount = x.t("info.due_first", "amount", locales.Money(st.Enrollment.PeriodPremium), "n", st.Enrollment.PaymentMonths) + "\n"
	case st != nil:
		if q, err := r.Tariff.Month(participant(st), x.today()); err == nil {
			amount = x.t("payment.your_amount", "amount", locales.Money(q.Total)) + "\n"
		}
	}
	x.say(x.t("payment.text", "amount", amount, "lapse", coverage.MaxArrears))
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
		own, err := r.ownDue(x, st)
		if err != nil {
			return err
		}
		text += "\n\n" + own
	}
	x.say(text)
	return r.done(x, true)
}

// ownDue is the member's own next payment: who pays, what is owed, or which month is next, how
// much and by when (holidays counted).
func (r *Router) ownDue(x *run, st *models.MemberStatus) (string, error) {
	if p := sponsor(st); p != nil {
		return x.t("payment.sponsored", "partner", p.Name), nil
	}
	if st.Enrollment.PaidUntil == nil {
		// Nothing paid yet: the first payment is what is due, and cover starts with it.
		return x.t("info.due_first", "amount", locales.Money(st.Enrollment.PeriodPremium), "n", st.Enrollment.PaymentMonths), nil
	}
	c, err := r.coverage(x, st)
	if err != nil {
		return "", err
	}
	if line := standingLine(x, c); line != "" {
		return line, nil
	}
	due := c.Next.Due
	return x.t("info.due_own", "month", locales.Month(x.lang(), c.Next.Month.Start()), "amount", locales.Money(c.Next.Amount),
		"date", locales.Weekday(x.lang(), due.Weekday())+", "+locales.Date(x.lang(), due)), nil
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
		own, err := r.ownDue(x, st)
		if err != nil {
			return err
		}
		text += "\n\n" + own
	}
	x.say(text, x.choice("menu.human", "petugas"), x.choice("common.to_menu", "menu"))
	return r.done(x, false)
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
	st, err := x.r.member(x)
	if err != nil {
		return err
	}
	if st != nil {
		income := st.Enrollment.DeclaredIncome
		text += "\n" + x.t("info.jkk_own", "income", locales.Money(income), "amount", locales.Money(48*income))
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
