package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"bpubot/bot/payments"
	"bpubot/flows/coverage"
	"bpubot/locales"
	"bpubot/models"

	"github.com/spf13/cobra"
)

func newArrearsCmd(root *rootOptions) *cobra.Command {
	var partner, format string
	cmd := &cobra.Command{
		Use:   "arrears",
		Short: "A partner's workers behind on their premiums, for the partner's staff (NIK masked)",
		Long: "Lists the workers enrolled through a partner whose premiums are not paid up: in arrears (1 to 3 months,\n" +
			"still payable), lapsed (more than 3 months in a row unpaid) or never paid. Sponsored workers get no\n" +
			"reminders of their own: this list is how their sponsor learns what to pay. Each row gives the months owed,\n" +
			"the amount (month by month, at each month's rate) and when the membership lapses if nothing is paid.\n" +
			"NIK and phone are masked.",
		Example: "  bpubot arrears --partner pemkab_blitar\n  bpubot arrears --partner pemkab_blitar --format csv > tunggakan.csv",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "table" && format != "csv" {
				return fmt.Errorf("--format: want table or csv, got %q", format)
			}
			return root.withStaffSession(cmd, func(s *staffSession) error { return s.arrears(cmd, partner, format) })
		},
	}
	cmd.Flags().StringVar(&partner, "partner", "", "the partner's code (required)")
	cmd.Flags().StringVar(&format, "format", "table", "table or csv")
	_ = cmd.MarkFlagRequired("partner")
	return cmd
}

// arrears lists the workers of a partner who are not paid up, as a table or CSV.
func (s *staffSession) arrears(cmd *cobra.Command, partner, format string) error {
	db := s.db.WithContext(cmd.Context())
	p, err := models.PartnerByCode(db, partner)
	if errors.Is(err, models.ErrNotFound) {
		return errors.New(locales.Text(s.lang, "payments.arrears_no_partner", "code", partner))
	} else if err != nil {
		return err
	}
	var rows []arrearsRow
	err = payments.EachCoverage(db, s.intake.Rules, models.CoverageFilter{PartnerID: &p.ID}, time.Now(), func(ss []payments.Standing) error {
		var behind []payments.Standing
		var ids []int64
		for _, st := range ss {
			if st.Coverage.Standing != coverage.StateActive {
				behind = append(behind, st)
				ids = append(ids, st.Record.Enrollment.MemberID)
			}
		}
		if len(behind) == 0 {
			return nil
		}
		byID, err := models.MembersByIDs(db, ids)
		if err != nil {
			return err
		}
		for _, st := range behind {
			rows = append(rows, newArrearsRow(s, st, byID[st.Record.Enrollment.MemberID]))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if format == "csv" {
		return writeArrearsCSV(cmd.OutOrStdout(), rows)
	}
	return writeArrearsTable(cmd.OutOrStdout(), s.lang, p, rows)
}

// arrearsRow is one worker behind on premiums; NIK and phone masked.
type arrearsRow struct {
	MemberID   int64
	Name       string
	NIK, Phone string
	Standing   coverage.State
	Coverage   coverage.Coverage
	Amount     int64 // what to pay now
}

func newArrearsRow(s *staffSession, st payments.Standing, m models.Member) arrearsRow {
	c := st.Coverage
	nik := "????????????????"
	if plain, err := s.intake.Sealer.Open(m.NIKEnc); err == nil {
		nik = plain
	}
	r := arrearsRow{MemberID: m.ID, Name: m.FullName, NIK: models.MaskNIK(nik), Phone: models.MaskPhone(m.Phone), Standing: c.Standing,
		Coverage: c}
	for _, d := range c.PayNow() {
		r.Amount += d.Amount
	}
	return r
}

// isoDay is t's date, in t's own zone (the worker's), as YYYY-MM-DD, or "" for none.
func isoDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

var arrearsHeader = []string{"member_id", "name", "nik", "phone", "standing", "paid_until", "months_due", "amount_due",
	"lapses_on", "lapsed_on"}

func writeArrearsCSV(w io.Writer, rows []arrearsRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(arrearsHeader); err != nil {
		return err
	}
	for _, r := range rows {
		c := r.Coverage
		var months []string
		for _, d := range c.PayNow() {
			months = append(months, d.Month.String())
		}
		paid := ""
		if c.Paid {
			paid = c.PaidUntil.String()
		}
		if err := cw.Write([]string{strconv.FormatInt(r.MemberID, 10), r.Name, r.NIK, r.Phone, string(r.Standing), paid,
			strings.Join(months, " "), strconv.FormatInt(r.Amount, 10), isoDay(c.LapsesAt), isoDay(c.LapsedAt)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeArrearsTable(w io.Writer, lang string, p *models.Partner, rows []arrearsRow) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, locales.Text(lang, "payments.arrears_none", "partner", p.Name))
		return err
	}
	var total int64
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, locales.Text(lang, "payments.arrears_header"))
	for _, r := range rows {
		c := r.Coverage
		var months []string
		for _, d := range c.PayNow() {
			months = append(months, locales.Month(lang, d.Month.Start())+" "+locales.Money(d.Amount))
		}
		note := ""
		switch {
		case !c.LapsedAt.IsZero():
			note = locales.Text(lang, "payments.arrears_lapsed", "date", locales.Date(lang, c.LapsedAt))
		case !c.LapsesAt.IsZero():
			note = locales.Text(lang, "payments.arrears_lapses", "date", locales.Date(lang, c.LapsesAt))
		}
		paid := "-"
		if c.Paid {
			paid = locales.Month(lang, c.PaidUntil.Start())
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.MemberID, r.Name, r.NIK,
			locales.Text(lang, "payments.state."+string(r.Standing)), paid, strings.Join(months, ", "), locales.Money(r.Amount), note)
		total += r.Amount
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, locales.Text(lang, "payments.arrears_total", "partner", p.Name, "n", len(rows), "amount", locales.Money(total)))
	return err
}
