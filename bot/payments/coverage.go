package payments

import (
	"time"

	"bpubot/flows/coverage"
	"bpubot/flows/tariff"
	"bpubot/models"
)

// Standing is a worker's coverage and the record it was computed from.
type Standing struct {
	Record   models.CoverageRecord
	Coverage coverage.Coverage
}

// Coverage is the one way to a worker's coverage: the stored enrollment and payments of a
// member's latest enrollment (models.LoadCoverage), computed at now by rules. The error is
// models.ErrNotFound for a member without an enrollment.
func Coverage(db *models.DB, rules coverage.Rules, memberID int64, now time.Time) (*Standing, error) {
	rec, err := models.LoadCoverage(db, memberID)
	if err != nil {
		return nil, err
	}
	c, err := Compute(rules, rec, now)
	if err != nil {
		return nil, err
	}
	return &Standing{Record: *rec, Coverage: c}, nil
}

// EachCoverage is Coverage for every member's latest enrollment matching f, a batch at a time
// (models.EachCoverage): reports and planners over many workers.
func EachCoverage(db *models.DB, rules coverage.Rules, f models.CoverageFilter, now time.Time, fn func([]Standing) error) error {
	return models.EachCoverage(db, f, func(recs []models.CoverageRecord) error {
		out := make([]Standing, 0, len(recs))
		for i := range recs {
			c, err := Compute(rules, &recs[i], now)
			if err != nil {
				return err
			}
			out = append(out, Standing{Record: recs[i], Coverage: c})
		}
		return fn(out)
	})
}

// Compute is coverage of a loaded record.
func Compute(rules coverage.Rules, rec *models.CoverageRecord, now time.Time) (coverage.Coverage, error) {
	return rules.Compute(EnrollmentOf(rec), PaymentsOf(rec.Payments), now)
}

// EnrollmentOf is what coverage needs of a stored enrollment: the premium's inputs, the
// month it began, the sponsor and the worker's zone.
func EnrollmentOf(rec *models.CoverageRecord) coverage.Enrollment {
	e := rec.Enrollment
	return coverage.Enrollment{
		Participant: tariff.Participant{Income: e.DeclaredIncome, Occupation: rec.Occupation, Package: tariff.Package(e.Package),
			GovSponsored: rec.GovSponsored},
		Start:     tariff.MonthOf(e.CreatedAt),
		Sponsored: rec.Sponsored,
		Location:  coverage.Zone(rec.ProvinceCode),
	}
}

// PaymentsOf converts stored payments for coverage.
func PaymentsOf(ps []models.Payment) []coverage.Payment {
	out := make([]coverage.Payment, len(ps))
	for i, p := range ps {
		out[i] = coverage.Payment{First: YearMonth(p.FirstMonth), Last: YearMonth(p.LastMonth), Amount: p.Amount,
			PaidAt: p.PaidAt, Verified: p.Verified}
	}
	return out
}

// YearMonth reads a stored YYYYMM month.
func YearMonth(n int) tariff.YearMonth {
	y, m := models.SplitMonthNumber(n)
	return tariff.NewYearMonth(y, m)
}

// MonthNumber writes a month as payments store it, YYYYMM.
func MonthNumber(m tariff.YearMonth) int { return models.MonthNumber(m.Year(), m.Month()) }

// ReportPaid records a worker's own word that month is paid ("sudah bayar"): an unverified
// self_report payment of what the month costs, on their latest enrollment. It covers nothing;
// coverage lists it under Reported, with the time of the latest report, so reminders for the
// month can pause until an import, the provider or staff confirm it. The error is
// models.ErrNotFound for a member without an enrollment.
func ReportPaid(db *models.DB, rules coverage.Rules, memberID int64, month tariff.YearMonth, now time.Time) (*models.Payment, error) {
	rec, err := models.LoadCoverage(db, memberID)
	if err != nil {
		return nil, err
	}
	q, err := rules.Expected(EnrollmentOf(rec), month, 1)
	if err != nil {
		return nil, err
	}
	return models.RecordSelfReport(db, memberID, MonthNumber(month), q.Total, now)
}
