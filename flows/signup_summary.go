package flows

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"bpubot/flows/tariff"
	"bpubot/locales"
	"bpubot/models"
)

// The sign-up's money and its end: what the worker pays, the summary, the registration.

// signupParticipant is what the premium of the sign-up in progress depends on.
func signupParticipant(x *run, pkg tariff.Package) tariff.Participant {
	income, _ := strconv.ParseInt(x.slots[slotIncome], 10, 64)
	return tariff.Participant{Income: income, Occupation: x.slots[slotOccupation], Package: pkg,
		GovSponsored: x.slots[slotPayer] == payerGov}
}

// monthly is this month's premium of a package; 0 when it cannot be quoted.
func monthly(x *run, pkg tariff.Package) int64 {
	q, err := x.r.Tariff.Month(signupParticipant(x, pkg), x.today())
	if err != nil {
		return 0
	}
	return q.Total
}

// periods quotes every period p may pay from this month, once per message: a question, its
// options and the answer read against them quote the same periods.
func (x *run) periods(p tariff.Participant) ([]tariff.PeriodQuote, error) {
	if q, ok := x.quotes[p]; ok {
		return q, nil
	}
	q, err := x.r.Tariff.Periods(p, x.today())
	if err != nil {
		return nil, err
	}
	if x.quotes == nil {
		x.quotes = map[tariff.Participant][]tariff.PeriodQuote{}
	}
	x.quotes[p] = q
	return q, nil
}

// periodOf is the quote of paying n months among periods.
func periodOf(periods []tariff.PeriodQuote, n int) (tariff.PeriodQuote, bool) {
	for _, q := range periods {
		if len(q.Months) == n {
			return q, true
		}
	}
	return tariff.PeriodQuote{}, false
}

// signupPeriods quotes the periods of the package chosen.
func signupPeriods(x *run) ([]tariff.PeriodQuote, error) {
	return x.periods(signupParticipant(x, tariff.Package(x.slots[slotPackage])))
}

// periodQuote quotes paying n months from this month for the package chosen.
func periodQuote(x *run, n int) (tariff.PeriodQuote, bool) {
	periods, err := signupPeriods(x)
	if err != nil {
		return tariff.PeriodQuote{}, false
	}
	return periodOf(periods, n)
}

// summary is the answers to check before registering, with what it costs: who pays, or the
// monthly premium and the period's total, month by month where a discount ends inside it.
func summary(x *run) string {
	pkg := tariff.Package(x.slots[slotPackage])
	periods, err := signupPeriods(x)
	if err != nil {
		return x.t("common.error")
	}
	month := periods[0].Months[0]
	partner := x.t("signup.partner_none")
	if name := x.slots[slotPartnerName]; name != "" {
		partner = name
	}
	income, _ := strconv.ParseInt(x.slots[slotIncome], 10, 64)
	var premium, payment string
	if sponsored(x) {
		premium = x.t("signup.paid_by", "partner", x.slots[slotPartnerName])
	} else {
		premium = x.t("signup.premium_plain", "amount", locales.Money(month.Total))
		if month.Discount > 0 {
			premium = x.t("signup.premium_discounted", "amount", locales.Money(month.Total), "full", locales.Money(month.Total+month.Discount), "name", month.DiscountName)
		}
		months, _ := strconv.Atoi(x.slots[slotPeriod])
		if q, ok := periodOf(periods, months); ok {
			payment = "\n" + x.t("signup.summary_pay", "n", months, "total", locales.Money(q.Total)) + runLines(x, q)
		}
	}
	return x.t("signup.summary",
		"name", x.slots[slotName],
		"nik", x.slots[slotNIKMasked],
		"birth", birthText(x),
		"sex", x.t("sex."+x.slots[slotSex]),
		"phone", x.slots[slotPhone],
		"occupation", occupationText(x),
		"city", regencyName(x, x.lang()),
		"province", provinceName(x),
		"income", locales.Money(income),
		"package", x.t("package."+string(pkg)),
		"partner", partner,
		"premium", premium,
	) + payment
}

// runLines breaks a period down by month when what a month costs changes inside it ("Des 2026:
// Rp8.400/bulan (diskon PP 50/2025)", "Jan–Feb 2027: Rp16.800/bulan"); "" when it does not.
func runLines(x *run, q tariff.PeriodQuote) string {
	runs := q.Breakdown()
	if len(runs) < 2 {
		return ""
	}
	var b strings.Builder
	for _, r := range runs {
		discount := ""
		if r.DiscountName != "" {
			discount = x.t("signup.run_discount", "name", r.DiscountName)
		}
		b.WriteString("\n" + x.t("signup.run_line", "months", locales.MonthRange(x.lang(), r.First, r.Last),
			"amount", locales.Money(r.Monthly), "discount", discount))
	}
	return b.String()
}

func occupationText(x *run) string {
	if x.slots[slotOccupation] == "lainnya" && x.slots[slotOccOther] != "" {
		return x.slots[slotOccOther]
	}
	return x.t("occupation." + x.slots[slotOccupation])
}

// finishSignup registers the worker: the member, the consent and the enrollment, all in the
// engine's transaction.
func finishSignup(x *run) error {
	sealed, err := base64.StdEncoding.DecodeString(x.slots[slotNIKSealed])
	if err != nil || len(sealed) == 0 {
		return fmt.Errorf("sign-up finished without a NIK")
	}
	nik, err := x.r.Sealer.Open(sealed)
	if err != nil {
		return fmt.Errorf("open sealed NIK: %w", err)
	}
	hash := x.r.Sealer.Hash(nik)
	var partner *models.Partner
	if code := x.slots[slotPartner]; code != "" && code != "-" {
		if partner, err = x.partner(code); err != nil {
			return err
		}
	}
	pkg := tariff.Package(x.slots[slotPackage])
	part := signupParticipant(x, pkg)
	part.GovSponsored = partner != nil && partner.GovSponsored
	periods, err := x.periods(part)
	if err != nil {
		return fmt.Errorf("quote: %w", err)
	}
	first := periods[0].Months[0]
	months, periodTotal := 0, int64(0)
	paysSelf := partner == nil || !partner.Sponsored
	if paysSelf {
		months, _ = strconv.Atoi(x.slots[slotPeriod])
		if months == 0 {
			months = 1 // a sponsor's code withdrawn meanwhile: the first month is what is due
		}
		period, ok := periodOf(periods, months)
		if !ok {
			return fmt.Errorf("quote period: %d months", months)
		}
		periodTotal = period.Total
	}
	birth, _ := time.Parse(time.DateOnly, x.slots[slotBirthDate])
	consentAt, err := time.Parse(time.RFC3339, x.slots[slotConsentAt])
	if err != nil {
		consentAt = x.Now
	}
	member := models.Member{
		NIKHash: hash, NIKEnc: sealed, FullName: x.slots[slotName], BirthDate: &birth, Sex: x.slots[slotSex],
		Phone: x.slots[slotPhone], Occupation: x.slots[slotOccupation], OccupationOther: x.slots[slotOccOther],
		ProvinceCode: x.slots[slotProvince], RegencyCode: x.slots[slotRegency], City: regencyName(x, locales.Default),
		Lang: x.lang(), CreatedAt: x.Now, UpdatedAt: x.Now,
	}
	consent := models.Consent{Version: x.slots[slotConsentVersion], GivenAt: consentAt, Channel: x.In.Channel}
	enr := models.Enrollment{
		Package: string(pkg), DeclaredIncome: part.Income, PaymentMonths: months,
		Status: models.EnrollmentPendingPayment, MonthlyPremium: first.Total, PeriodPremium: periodTotal,
		Channel: x.In.Channel, CreatedAt: x.Now, UpdatedAt: x.Now,
	}
	if partner != nil {
		enr.PartnerID = &partner.ID
	}
	created, err := models.Register(x.Tx, &member, &consent, &enr)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	delete(x.slots, slotLinkPartner)
	if !created {
		// Registered elsewhere while this sign-up was open.
		m, err := models.FindMemberByNIKHash(x.Tx, hash)
		if err != nil {
			return fmt.Errorf("find the member registered meanwhile: %w", err)
		}
		alreadyRegistered(x, m)
		return nil
	}
	x.Conv.MemberID = &member.ID
	next := x.t("signup.done_pay", "n", months, "total", locales.Money(periodTotal))
	if !paysSelf {
		next = x.t("signup.done_sponsored", "partner", partner.Name)
	}
	x.say(x.t("signup.done", "name", member.FullName, "next", next), x.choice("menu.status", "status"), x.choice("common.to_menu", "menu"))
	return nil
}
