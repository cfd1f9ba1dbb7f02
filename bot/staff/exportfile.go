package staff

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"bpubot/models"

	"github.com/xuri/excelize/v2"
)

// ExportFormats are the formats WriteExport writes.
var ExportFormats = []string{"csv", "json", "xlsx"}

// WriteExport writes the enrollments ExportMembers chooses to w as format (csv, json or xlsx),
// NIK and phone masked: the one writer of the command line and the console. row, when set, is
// called after each row (a progress bar). It returns the number of rows.
func (s *Service) WriteExport(ctx context.Context, a Actor, seg models.Segment, format string, w io.Writer, row func()) (int64, error) {
	if format != "csv" && format != "json" && format != "xlsx" {
		return 0, fmt.Errorf("export format: want csv, json or xlsx, got %q", format)
	}
	var n int64
	err := exportMembers(w, format, func(fn func(exportRecord) error) error {
		var err error
		n, err = s.ExportMembers(ctx, a, seg, func(r models.EnrollmentRow) error {
			if row != nil {
				row()
			}
			return fn(toExportRecord(r, s.Sealer))
		})
		return err
	})
	return n, err
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
	RegencyCode    string `json:"regency_code"`
	City           string `json:"city"`
	Package        string `json:"package"`
	DeclaredIncome int64  `json:"declared_income"`
	PaymentMonths  int    `json:"payment_months"`
	MonthlyPremium int64  `json:"monthly_premium"`
	PeriodPremium  int64  `json:"period_premium"`
	Status         string `json:"status"`
	Partner        string `json:"partner"`
	Payer          string `json:"payer"`   // who pays the premium: self, sponsor or government
	Sponsor        string `json:"sponsor"` // the partner paying it, "" for self
	Channel        string `json:"channel"`
	CreatedAt      string `json:"created_at"`
}

var exportHeader = []string{"enrollment_id", "member_id", "name", "nik", "phone", "sex", "birth_date", "occupation",
	"province_code", "regency_code", "city", "package", "declared_income", "payment_months", "monthly_premium",
	"period_premium", "status", "partner", "payer", "sponsor", "channel", "created_at"}

// statusErased marks the row of a member whose personal data was erased.
const statusErased = "erased"

func toExportRecord(r models.EnrollmentRow, sealer *models.Sealer) exportRecord {
	rec := exportRecord{
		EnrollmentID: r.EnrollmentID, MemberID: r.MemberID, Occupation: r.Occupation, ProvinceCode: r.ProvinceCode,
		Package: r.Package, DeclaredIncome: r.DeclaredIncome, PaymentMonths: r.PaymentMonths,
		MonthlyPremium: r.MonthlyPremium, PeriodPremium: r.PeriodPremium, Status: r.Status, Channel: r.Channel,
		CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339), Payer: "self",
	}
	if r.PartnerCode != nil {
		rec.Partner = *r.PartnerCode
	}
	switch {
	case r.GovSponsored != nil && *r.GovSponsored:
		rec.Payer, rec.Sponsor = "government", *r.PartnerName
	case r.Sponsored != nil && *r.Sponsored:
		rec.Payer, rec.Sponsor = "sponsor", *r.PartnerName
	}
	if r.ErasedAt != nil {
		// Erased at the worker's request: the row stays for the counts, with nothing personal.
		rec.Status = statusErased
		return rec
	}
	rec.Name, rec.Phone, rec.Sex, rec.RegencyCode, rec.City = r.FullName, models.MaskPhone(r.Phone), r.Sex, r.RegencyCode, r.City
	if plain, err := sealer.Open(r.NIKEnc); err == nil {
		rec.NIK = models.MaskNIK(plain)
	}
	if r.BirthDate != nil {
		rec.BirthDate = r.BirthDate.Format(time.DateOnly)
	}
	return rec
}

func exportMembers(w io.Writer, format string, each func(func(exportRecord) error) error) error {
	if format == "xlsx" {
		return exportXLSX(w, each)
	}
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
	err := each(func(r exportRecord) error { return cw.Write(r.strings()) })
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

// strings is the record as text, column by column (exportHeader).
func (r exportRecord) strings() []string {
	return []string{
		strconv.FormatInt(r.EnrollmentID, 10), strconv.FormatInt(r.MemberID, 10), r.Name, r.NIK, r.Phone, r.Sex,
		r.BirthDate, r.Occupation, r.ProvinceCode, r.RegencyCode, r.City, r.Package, strconv.FormatInt(r.DeclaredIncome, 10),
		strconv.Itoa(r.PaymentMonths), strconv.FormatInt(r.MonthlyPremium, 10), strconv.FormatInt(r.PeriodPremium, 10),
		r.Status, r.Partner, r.Payer, r.Sponsor, r.Channel, r.CreatedAt,
	}
}

// exportXLSX writes the records as an Excel workbook with excelize's stream writer, which
// keeps a row at a time in memory. Numbers are numbers (sums and filters work); NIK and phone,
// masked, are text.
func exportXLSX(w io.Writer, each func(func(exportRecord) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := make([]any, len(exportHeader))
	for i, h := range exportHeader {
		header[i] = h
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{}); err != nil {
		return err
	}
	row := 1
	cells := make([]any, len(exportHeader))
	err = each(func(r exportRecord) error {
		row++
		for i, v := range r.strings() {
			cells[i] = v
		}
		// Amounts and counts as numbers.
		cells[0], cells[1], cells[12], cells[13], cells[14], cells[15] = r.EnrollmentID, r.MemberID, r.DeclaredIncome,
			r.PaymentMonths, r.MonthlyPremium, r.PeriodPremium
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
