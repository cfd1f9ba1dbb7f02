package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"bpubot/flows/occupation"
	"bpubot/flows/tariff"
	"bpubot/flows/validate"
	"bpubot/locales"

	"github.com/spf13/cobra"
)

// Payers of a premium.
const (
	payerSelf       = "self"
	payerSponsor    = "sponsor"
	payerGovernment = "government"
)

type premiumOptions struct {
	occupation, income, programmes, date, payer, format string
	months                                              int
}

func newPremiumCmd(root *rootOptions) *cobra.Command {
	var o premiumOptions
	cmd := &cobra.Command{
		Use:   "premium",
		Short: "Quote a worker's premium (iuran): the month, the period total and each month",
		Long: "Quotes the premium the way the chat does, from the tariff (tariff.file or the embedded one): the month of --date,\n" +
			"the total for --months months from it, and every month on its own, since a discount (PP 50/2025) may start or end\n" +
			"inside the period. --occupation takes an occupation code (ojol, kurir, kreator, art, pedagang, petani, nelayan,\n" +
			"buruh_harian, lainnya) or the words a worker types (\"ojol\", \"youtuber\", \"pembantu\"). --payer government means\n" +
			"the premium is paid from APBN/APBD, which has no PP 50/2025 discount. Needs no database.",
		Example: "  bpubot premium --occupation ojol --income 2500000 --programmes jkk,jkm --date 2026-11-01 --months 12\n" +
			"  bpubot premium --occupation pembantu --income '1,5 juta' --programmes jkk,jkm,jht --date 2026-03-01 --months 3 --format json",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := root.load()
			if err != nil {
				return err
			}
			tf, err := loadTariff(cfg)
			if err != nil {
				return err
			}
			q, err := o.quote(tf, time.Now().In(cfg.Conversation.location()))
			if err != nil {
				return err
			}
			if o.format == "json" {
				return writePremiumJSON(cmd.OutOrStdout(), q)
			}
			return writePremiumText(cmd.OutOrStdout(), cfg.Conversation.DefaultLang, q)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.occupation, "occupation", "", "occupation code or the worker's own word (required)")
	f.StringVar(&o.income, "income", "", "declared monthly income in rupiah: 2500000, 2.500.000 or '2,5 juta' (required)")
	f.StringVar(&o.programmes, "programmes", "jkk,jkm", "jkk,jkm or jkk,jkm,jht")
	f.StringVar(&o.date, "date", "", "a day of the first month quoted, YYYY-MM-DD (default today)")
	f.IntVar(&o.months, "months", 1, "months paid at once: 1, 3, 6 or 12")
	f.StringVar(&o.payer, "payer", payerSelf, "who pays: self, sponsor or government (APBN/APBD: no PP 50/2025 discount)")
	f.StringVar(&o.format, "format", "text", "text or json")
	_ = cmd.MarkFlagRequired("occupation")
	_ = cmd.MarkFlagRequired("income")
	return cmd
}

// premiumQuote is a quote with what it was asked for.
type premiumQuote struct {
	Occupation string
	Income     int64
	Package    tariff.Package
	Payer      string
	Period     tariff.PeriodQuote
}

// quote checks the flags and quotes with tariff.Period, the code path of the chat's quotes.
func (o premiumOptions) quote(tf *tariff.Tariff, today time.Time) (premiumQuote, error) {
	var errs []error
	occ := occupation.Match(o.occupation)
	if occ == "" {
		errs = append(errs, fmt.Errorf("--occupation: %q is not an occupation bpubot knows (codes: %s)", o.occupation, strings.Join(occupation.Codes(), ", ")))
	}
	income, err := validate.ParseRupiah(o.income)
	min, max := tf.IncomeBounds()
	if err == nil {
		err = validate.CheckIncome(income, min, max)
	}
	if err != nil {
		errs = append(errs, fmt.Errorf("--income: want a monthly income from %d to %d rupiah, got %q", min, max, o.income))
	}
	pkg, err := parseProgrammes(o.programmes)
	if err != nil {
		errs = append(errs, err)
	}
	start := today
	if o.date != "" {
		if start, err = time.ParseInLocation(time.DateOnly, o.date, today.Location()); err != nil {
			errs = append(errs, fmt.Errorf("--date: want YYYY-MM-DD, got %q", o.date))
		}
	}
	if !slices.Contains(tariff.PeriodLengths(), o.months) {
		errs = append(errs, fmt.Errorf("--months: want 1, 3, 6 or 12, got %d", o.months))
	}
	if o.payer != payerSelf && o.payer != payerSponsor && o.payer != payerGovernment {
		errs = append(errs, fmt.Errorf("--payer: want self, sponsor or government, got %q", o.payer))
	}
	if o.format != "text" && o.format != "json" {
		errs = append(errs, fmt.Errorf("--format: want text or json, got %q", o.format))
	}
	if err := errors.Join(errs...); err != nil {
		return premiumQuote{}, err
	}
	p := tariff.Participant{Income: income, Occupation: occ, Package: pkg, GovSponsored: o.payer == payerGovernment}
	pq, err := tf.Period(p, start, o.months)
	if err != nil {
		return premiumQuote{}, err
	}
	return premiumQuote{Occupation: occ, Income: income, Package: pkg, Payer: o.payer, Period: pq}, nil
}

// parseProgrammes reads "jkk,jkm" or "jkk,jkm,jht" in any order and case.
func parseProgrammes(s string) (tariff.Package, error) {
	seen := map[string]bool{}
	for _, part := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == '+' || r == ' ' }) {
		switch part {
		case "jkk", "jkm", "jht":
			seen[part] = true
		default:
			return "", fmt.Errorf("--programmes: unknown programme %q (want jkk, jkm and optionally jht)", part)
		}
	}
	switch {
	case !seen["jkk"] || !seen["jkm"]:
		return "", fmt.Errorf("--programmes: JKK and JKM are always included, got %q (want jkk,jkm or jkk,jkm,jht)", s)
	case seen["jht"]:
		return tariff.PackageJKKJKMJHT, nil
	}
	return tariff.PackageJKKJKM, nil
}

type premiumJSON struct {
	Occupation string             `json:"occupation"`
	Income     int64              `json:"income"`
	Programmes []tariff.Programme `json:"programmes"`
	Payer      string             `json:"payer"`
	Monthly    int64              `json:"monthly"`
	Total      int64              `json:"total"`
	Months     []premiumMonthJSON `json:"months"`
}

type premiumMonthJSON struct {
	Month        string `json:"month"`
	Amount       int64  `json:"amount"`
	Discount     int64  `json:"discount"`
	DiscountName string `json:"discount_name,omitempty"`
}

func writePremiumJSON(w io.Writer, q premiumQuote) error {
	out := premiumJSON{Occupation: q.Occupation, Income: q.Income, Programmes: q.Package.Programmes(), Payer: q.Payer,
		Monthly: q.Period.Months[0].Total, Total: q.Period.Total}
	for _, m := range q.Period.Months {
		out.Months = append(out.Months, premiumMonthJSON{Month: tariff.MonthOf(m.Month).String(), Amount: m.Total,
			Discount: m.Discount, DiscountName: m.DiscountName})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writePremiumText(w io.Writer, lang string, q premiumQuote) error {
	first := q.Period.Months[0]
	fmt.Fprintln(w, locales.Text(lang, "payments.premium_who", "package", locales.Text(lang, "package."+string(q.Package)),
		"occupation", locales.Text(lang, "occupation."+q.Occupation), "income", locales.Money(q.Income),
		"payer", locales.Text(lang, "payments.payer."+q.Payer)))
	fmt.Fprintln(w, locales.Text(lang, "payments.premium_month", "month", locales.Month(lang, first.Month),
		"amount", locales.Money(first.Total), "discount", discountNote(lang, first.Discount, first.Total, first.DiscountName)))
	fmt.Fprintln(w, locales.Text(lang, "payments.premium_total", "n", len(q.Period.Months), "from", locales.Month(lang, first.Month),
		"amount", locales.Money(q.Period.Total)))
	for _, s := range q.Period.Breakdown() {
		fmt.Fprintln(w, locales.Text(lang, "payments.premium_stretch", "span", locales.MonthRange(lang, s.First, s.Last), "n", s.Months,
			"amount", locales.Money(s.Monthly), "total", locales.Money(s.Total),
			"discount", discountNote(lang, s.Discount, s.Monthly, s.DiscountName)))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, locales.Text(lang, "payments.premium_header"))
	for _, m := range q.Period.Months {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", locales.Month(lang, m.Month), locales.Money(m.Total), locales.Money(m.Discount))
	}
	return tw.Flush()
}

// discountNote is "" without a discount, else " (normal Rp16.800, diskon PP 50/2025)".
func discountNote(lang string, discount, charged int64, name string) string {
	if discount == 0 {
		return ""
	}
	return locales.Text(lang, "payments.premium_discount", "full", locales.Money(charged+discount), "name", name)
}
