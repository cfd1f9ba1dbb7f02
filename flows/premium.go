package flows

import (
	"strconv"
	"strings"

	"bpubot/bot"
	"bpubot/flows/intent"
	"bpubot/flows/occupation"
	"bpubot/flows/tariff"
	"bpubot/flows/validate"
	"bpubot/locales"
)

// Premium quote ("iurannya berapa?"): the worker's own premium when they are registered or
// signing up, else after their occupation and income, unless the question said them already
// ("brp iuran kalo gaji 2 juta" is quoted at once).
const namePremium = "iuran"

// Premium quote slots.
const (
	slotQOccupation = "q_occupation"
	slotQIncome     = "q_income"
	slotQPackage    = "q_package"
	slotQSponsor    = "q_sponsor" // the member's sponsor, who pays instead of them
	slotQOwn        = "q_own"     // the quote is of the worker's own enrollment
)

func init() {
	register(&Flow{
		Name: namePremium, Labels: []intent.Label{intent.LabelIuranInfo},
		Start: startPremium, Finish: finishPremium, Clear: clearing(slotQOccupation, slotQIncome, slotQPackage, slotQSponsor, slotQOwn),
		Resume: "common.resume_question", BackTo: "common.back_to_question", MenuAfter: true,
		Steps: []*Step{
			{Name: stOccupation, Slot: slotQOccupation, Skip: occupationNotNeeded,
				Ask: "premium.ask_occupation", Options: occupationOptions, Parse: parseOccupation, Save: saveQuoteOccupation},
			{Name: stIncome, Numeric: true, Slot: slotQIncome, Skip: known(slotQIncome),
				Ask: "premium.ask_income", Args: incomeBounds, Options: incomeOptions, Parse: parseIncomeAnswer},
		},
	})
}

// clearing is a Clear that forgets the given slots.
func clearing(slots ...string) func(x *run) {
	return func(x *run) {
		for _, k := range slots {
			delete(x.slots, k)
		}
	}
}

// known skips a step whose answer is in slot already.
func known(slot string) func(x *run) bool {
	return func(x *run) bool { return x.slots[slot] != "" }
}

// startPremium fills in what is known: the worker's enrollment, the sign-up in progress, or
// what the question itself said.
func startPremium(x *run) error {
	st, err := x.r.member(x)
	if err != nil {
		return err
	}
	switch {
	case st != nil:
		p := participant(st)
		x.slots[slotQOccupation], x.slots[slotQIncome], x.slots[slotQPackage] = p.Occupation, strconv.FormatInt(p.Income, 10), string(p.Package)
		x.slots[slotQOwn] = "1"
		if s := sponsor(st); s != nil {
			x.slots[slotQSponsor] = s.Name
		}
		return nil
	case x.slots[slotOccupation] != "" || x.slots[slotIncome] != "":
		// A sign-up in progress: quote what the worker entered in it.
		x.slots[slotQOccupation], x.slots[slotQIncome], x.slots[slotQPackage] = x.slots[slotOccupation], x.slots[slotIncome], x.slots[slotPackage]
		if sponsored(x) {
			x.slots[slotQSponsor] = x.slots[slotPartnerName]
		}
	}
	if x.In.Kind != bot.KindText {
		return nil
	}
	// What the question says comes first: "brp iuran ojol kalo gaji 2 juta".
	if code := occupation.Match(x.In.Text); code != "" && code != "lainnya" {
		x.slots[slotQOccupation] = code
	}
	if amount, ok := validate.FindRupiah(x.In.Text); ok {
		min, max := x.r.Tariff.IncomeBounds()
		if validate.CheckIncome(amount, min, max) == nil {
			x.slots[slotQIncome] = strconv.FormatInt(amount, 10)
		}
	}
	return nil
}

// occupationNotNeeded: the occupation is known, or the worker asked with their income in the
// question and gets the answer at once.
func occupationNotNeeded(x *run) bool {
	return x.slots[slotQOccupation] != "" || x.slots[slotQIncome] != ""
}

func saveQuoteOccupation(x *run, v string) (string, error) {
	code, _, _ := strings.Cut(v, ":") // "lainnya:penjahit" is quoted as lainnya
	x.slots[slotQOccupation] = code
	return "", nil
}

func finishPremium(x *run) error {
	if name := x.slots[slotQSponsor]; name != "" {
		x.say(x.t("payment.sponsored", "partner", name))
		return nil
	}
	income, _ := strconv.ParseInt(x.slots[slotQIncome], 10, 64)
	pkg := tariff.Package(x.slots[slotQPackage])
	if !pkg.Valid() {
		pkg = tariff.PackageJKKJKM
	}
	p := tariff.Participant{Income: income, Occupation: x.slots[slotQOccupation], Package: pkg}
	text := quoteText(x, p, x.slots[slotQOwn] != "")
	if p.Occupation == "" {
		// Quoted without asking the occupation: say what changes for transport workers.
		if note := transportNote(x, p); note != "" {
			text += "\n" + note
		}
	}
	x.say(text)
	return nil
}

// quoteText is a premium for this month and for 1/3/6/12 months from now.
func quoteText(x *run, p tariff.Participant, own bool) string {
	periods, err := x.periods(p)
	if err != nil {
		return x.t("common.error")
	}
	q, year := periods[0].Months[0], periods[len(periods)-1]
	lines := make([]string, len(periods))
	for i, pq := range periods {
		lines[i] = x.t("premium.period_line", "n", len(pq.Months), "amount", locales.Money(pq.Total))
	}
	discount := ""
	if q.Discount > 0 {
		discount = x.t("premium.discount_note", "full", locales.Money(q.Total+q.Discount), "name", q.DiscountName)
	}
	key, occupation := "premium.quote", x.t("occupation."+p.Occupation)
	if own {
		key = "premium.quote_own"
	} else if p.Occupation == "" {
		key = "premium.quote_any"
	}
	text := x.t(key,
		"month", locales.Month(x.lang(), x.today()),
		"package", x.t("package."+string(p.Package)),
		"income", locales.Money(p.Income),
		"occupation", occupation,
		"amount", locales.Money(q.Total),
		"discount", discount,
		"periods", strings.Join(lines, "\n"),
	)
	if runs := year.Breakdown(); len(runs) > 1 && runs[0].DiscountName != "" {
		next := runs[1]
		text += "\n" + x.t("premium.discount_ends", "name", runs[0].DiscountName, "month", locales.Month(x.lang(), runs[0].Last),
			"next", locales.Month(x.lang(), next.First), "amount", locales.Money(next.Monthly))
	}
	return text
}

// transportNote is the line for ojol, drivers and couriers, whose discount runs longer, when
// their premium differs from the one quoted.
func transportNote(x *run, p tariff.Participant) string {
	t := p
	t.Occupation = "ojol"
	general, err1 := x.periods(p)
	transport, err2 := x.periods(t)
	if err1 != nil || err2 != nil {
		return ""
	}
	year := transport[len(transport)-1]
	if general[len(general)-1].Total == year.Total {
		return ""
	}
	return x.t("premium.transport_note", "amount", locales.Money(transport[0].Total), "total", locales.Money(year.Total))
}
