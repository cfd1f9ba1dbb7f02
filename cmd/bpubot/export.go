package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"bpubot/models"

	"github.com/spf13/cobra"
)

func newExportCmd(root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export data for staff (personal data masked)",
	}
	var format string
	members := &cobra.Command{
		Use:     "members",
		Short:   "List enrollments with their members, NIK and phone masked",
		Example: "  bpubot export members --format csv > enrollments.csv",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "csv" && format != "json" {
				return fmt.Errorf("--format: want csv or json, got %q", format)
			}
			cfg, db, log, err := root.openDB(cmd)
			if err != nil {
				return err
			}
			defer models.Close(db)
			sealer, err := loadSealer(cfg.Security, log)
			if err != nil {
				return err
			}
			return exportMembers(cmd.OutOrStdout(), format, func(fn func(exportRecord) error) error {
				return models.EachEnrollment(db.WithContext(cmd.Context()), func(r models.EnrollmentRow) error {
					return fn(toExportRecord(r, sealer))
				})
			})
		},
	}
	members.Flags().StringVar(&format, "format", "csv", "csv or json")
	cmd.AddCommand(members)
	return cmd
}

// exportRecord is one line of the export; NIK and phone are always masked.
type exportRecord struct {
	EnrollmentID   int64  `json:"enrollment_id"`
	MemberID       int64  `json:"member_id"`
	Name           string `json:"name"`
	NIK            string `json:"nik"`
	Phone          string `json:"phone"`
	Sex            string `json:"sex"`
	BirthDate      string `json:"birth_date"`
	Occupation     string `json:"occupation"`
	ProvinceCode   string `json:"province_code"`
	City           string `json:"city"`
	Package        string `json:"package"`
	DeclaredIncome int64  `json:"declared_income"`
	PaymentMonths  int    `json:"payment_months"`
	MonthlyPremium int64  `json:"monthly_premium"`
	PeriodPremium  int64  `json:"period_premium"`
	Status         string `json:"status"`
	Partner        string `json:"partner"`
	Channel        string `json:"channel"`
	CreatedAt      string `json:"created_at"`
}

var exportHeader = []string{"enrollment_id", "member_id", "name", "nik", "phone", "sex", "birth_date", "occupation",
	"province_code", "city", "package", "declared_income", "payment_months", "monthly_premium", "period_premium",
	"status", "partner", "channel", "created_at"}

func toExportRecord(r models.EnrollmentRow, sealer *models.Sealer) exportRecord {
	nik := "????????????????"
	if plain, err := sealer.Open(r.NIKEnc); err == nil {
		nik = plain
	}
	rec := exportRecord{
		EnrollmentID: r.EnrollmentID, MemberID: r.MemberID, Name: r.FullName, NIK: models.MaskNIK(nik),
		Phone: models.MaskPhone(r.Phone), Sex: r.Sex, Occupation: r.Occupation, ProvinceCode: r.ProvinceCode,
		City: r.City, Package: r.Package, DeclaredIncome: r.DeclaredIncome, PaymentMonths: r.PaymentMonths,
		MonthlyPremium: r.MonthlyPremium, PeriodPremium: r.PeriodPremium, Status: r.Status, Channel: r.Channel,
		CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339),
	}
	if r.BirthDate != nil {
		rec.BirthDate = r.BirthDate.Format(time.DateOnly)
	}
	if r.PartnerCode != nil {
		rec.Partner = *r.PartnerCode
	}
	return rec
}

func exportMembers(w io.Writer, format string, each func(func(exportRecord) error) error) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		if _, err := io.WriteString(w, "[\n"); err != nil {
			return err
		}
		first := true
		err := each(func(r exportRecord) error {
			if !first {
				if _, err := io.WriteString(w, ","); err != nil {
					return err
				}
			}
			first = false
			return enc.Encode(r)
		})
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, "]\n")
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(exportHeader); err != nil {
		return err
	}
	err := each(func(r exportRecord) error {
		return cw.Write([]string{
			strconv.FormatInt(r.EnrollmentID, 10), strconv.FormatInt(r.MemberID, 10), r.Name, r.NIK, r.Phone, r.Sex,
			r.BirthDate, r.Occupation, r.ProvinceCode, r.City, r.Package, strconv.FormatInt(r.DeclaredIncome, 10),
			strconv.Itoa(r.PaymentMonths), strconv.FormatInt(r.MonthlyPremium, 10), strconv.FormatInt(r.PeriodPremium, 10),
			r.Status, r.Partner, r.Channel, r.CreatedAt,
		})
	})
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}
