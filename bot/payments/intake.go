package payments

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"bpubot/flows/coverage"
	"bpubot/flows/tariff"
	"bpubot/locales"
	"bpubot/models"
)

// Intake records payments. One value serves every goroutine.
type Intake struct {
	DB     *models.DB
	Sealer *models.Sealer // hashes NIKs to find members
	Rules  coverage.Rules
	Clock  func() time.Time // nil means time.Now
}

// Batch is payments to record together.
type Batch struct {
	Source string // models.PaymentImport, PaymentWebhook or PaymentStaff
	Actor  string // who recorded them, for the audit log: a staff login, "provider"
	Lines  []Line
}

// Progress follows a long Record: it is told each phase and its size, then how far it got.
type Progress interface {
	Start(phase string, total int) // phase is "check" or "write"
	Add(n int)
}

// Result is what Record did.
type Result struct {
	Written []models.Payment // the payments recorded, with their IDs
	Present int              // lines whose payment was already recorded under the same reference
	Members int              // members with a payment written
	Months  int              // months covered by the payments written
}

// pending is a line on its way to becoming a payment.
type pending struct {
	Line
	nik    string // 16 digits, "" when the line gives a member id only
	hash   string // the NIK's keyed hash, to find the member by
	member models.MemberRef
}

// Record checks lines and writes them as payments from source (models.PaymentImport,
// PaymentWebhook or PaymentStaff) in one transaction: all of them, or, when any line has a
// problem, none, and the error is Problems listing every bad line. A line whose reference is
// already stored for the same payment is counted as present and skipped, so recording a file
// twice changes nothing. progress may be nil.
//
// Each line is checked against coverage: its months must be unpaid, not before the worker
// enrolled, at most MaxMonthsAhead past the payment, and its amount what those months cost,
// each at its own month's rate. A line giving a number of months pays that many from the
// first one unpaid when it was made.
func (in *Intake) Record(ctx context.Context, b Batch, progress Progress) (Result, error) {
	return in.run(ctx, b, progress, false)
}

// Check is Record without writing anything: the same checks, the same Problems, and the
// Result it would have.
func (in *Intake) Check(ctx context.Context, b Batch, progress Progress) (Result, error) {
	return in.run(ctx, b, progress, true)
}

// errDryRun rolls back a Check.
var errDryRun = errors.New("dry run")

func (in *Intake) run(ctx context.Context, b Batch, progress Progress, dry bool) (Result, error) {
	if progress == nil {
		progress = noProgress{}
	}
	var res Result
	err := in.DB.WithContext(ctx).Transaction(func(tx *models.Tx) error {
		// Two imports (or an import and the webhook) must not both pay the same month.
		if err := models.LockTx(tx, models.LockPayments); err != nil {
			return err
		}
		var err error
		if res, err = in.record(tx, b, progress, dry); err == nil && dry {
			return errDryRun
		}
		return err
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, err
}

func (in *Intake) now() time.Time {
	if in.Clock != nil {
		return in.Clock()
	}
	return time.Now()
}

func (in *Intake) record(tx *models.Tx, b Batch, progress Progress, dry bool) (Result, error) {
	now, source, lines := in.now(), b.Source, b.Lines
	var problems Problems
	bad := func(l *pending, code string, args ...any) {
		problems = append(problems, Problem{Line: l.Number, NIK: maskedNIKOf(l.NIK), Code: code, Args: args})
	}
	progress.Start("check", len(lines))

	// The line on its own.
	ps := make([]*pending, 0, len(lines))
	for _, l := range lines {
		p := &pending{Line: l}
		before := len(problems)
		if l.NIK == "" && l.MemberID == 0 {
			bad(p, codeNoMember)
		}
		if l.NIK != "" {
			var code string
			if p.nik, code = parseNIK(l.NIK, now); code != "" {
				bad(p, code)
			}
		}
		if l.Amount <= 0 {
			bad(p, codeAmountInvalid, "value", l.Amount)
		}
		switch {
		case l.First == 0 && (l.Count < 1 || l.Count > tariff.MaxSpan):
			bad(p, codeMonthsMissing)
		case l.First != 0 && l.Last < l.First:
			bad(p, codeMonthsBackwards, "first", l.First.String(), "last", l.Last.String())
		}
		switch {
		case l.PaidAt.IsZero():
			bad(p, codePaidAtMissing)
		case l.PaidAt.After(now.Add(5 * time.Minute)): // a little clock skew is not the future
			bad(p, codePaidAtFuture, "value", l.PaidAt.Format(time.RFC3339))
		}
		if !validReference(l.Reference) {
			if l.Reference == "" {
				bad(p, codeReferenceMissing)
			} else {
				bad(p, codeReferenceInvalid, "max", MaxReference)
			}
		}
		if len(problems) == before {
			ps = append(ps, p)
		}
	}

	// The members, by the keyed hash of the NIK and by id.
	var hashes []string
	var ids []int64
	for _, p := range ps {
		if p.nik != "" {
			p.hash = in.Sealer.Hash(p.nik)
			hashes = append(hashes, p.hash)
		}
		if p.MemberID != 0 {
			ids = append(ids, p.MemberID)
		}
	}
	byHash, err := models.MembersByNIKHash(tx, hashes)
	if err != nil {
		return Result{}, err
	}
	byID, err := models.MembersByID(tx, ids)
	if err != nil {
		return Result{}, err
	}
	found := ps[:0]
	for _, p := range ps {
		var ok bool
		if p.nik != "" {
			if p.member, ok = byHash[p.hash]; !ok {
				bad(p, codeNIKUnknown)
				continue
			}
			if p.MemberID != 0 && p.MemberID != p.member.MemberID {
				bad(p, codeNIKMemberMismatch, "member", p.MemberID)
				continue
			}
		} else if p.member, ok = byID[p.MemberID]; !ok {
			bad(p, codeMemberUnknown, "member", p.MemberID)
			continue
		}
		if p.member.EnrollmentID == 0 {
			bad(p, codeNoEnrollment)
			continue
		}
		found = append(found, p)
	}
	ps = found

	// References: once in the input, and either new or stored for this same payment.
	refs := make([]string, len(ps))
	firstLine := map[string]int{}
	for i, p := range ps {
		refs[i] = p.Reference
	}
	stored, err := models.PaymentsByReference(tx, refs)
	if err != nil {
		return Result{}, err
	}
	fresh := ps[:0]
	present := 0
	for _, p := range ps {
		if line, twice := firstLine[p.Reference]; twice {
			bad(p, codeReferenceTwice, "reference", p.Reference, "line", line)
			continue
		}
		firstLine[p.Reference] = p.Number
		if s, ok := stored[p.Reference]; ok {
			if samePayment(s, p) {
				present++
			} else {
				bad(p, codeReferenceTaken, "reference", p.Reference)
			}
			continue
		}
		fresh = append(fresh, p)
	}
	ps = fresh

	// Coverage of each enrollment, then every line in the order it was paid.
	enrollmentIDs := make([]int64, 0, len(ps))
	for _, p := range ps {
		enrollmentIDs = append(enrollmentIDs, p.member.EnrollmentID)
	}
	recs, err := models.LoadCoverages(tx, uniqIDs(enrollmentIDs))
	if err != nil {
		return Result{}, err
	}
	byEnrollment := make(map[int64]*enrollmentBook, len(recs))
	for i := range recs {
		byEnrollment[recs[i].Enrollment.ID] = newBook(&recs[i])
	}
	slices.SortStableFunc(ps, func(a, b *pending) int {
		return cmp.Or(a.PaidAt.Compare(b.PaidAt), cmp.Compare(a.Number, b.Number))
	})
	progress.Add(len(lines) - len(ps)) // lines already found bad or present
	var written []models.Payment
	for _, p := range ps {
		progress.Add(1)
		book := byEnrollment[p.member.EnrollmentID]
		if book == nil {
			bad(p, codeNoEnrollment)
			continue
		}
		pay, code, args := book.take(in.Rules, p)
		if code != "" {
			bad(p, code, args...)
			continue
		}
		pay.Source, pay.Verified, pay.CreatedAt = source, source != models.PaymentSelfReport, now
		written = append(written, pay)
	}
	if len(problems) > 0 {
		return Result{}, problems
	}

	res := Result{Present: present}
	if !dry {
		progress.Start("write", len(written))
		for batch := range slices.Chunk(written, 5000) {
			if _, err := models.InsertPayments(tx, batch); err != nil {
				return Result{}, fmt.Errorf("write payments: %w", err)
			}
			progress.Add(len(batch))
		}
	}
	members := map[int64]bool{}
	enrollmentIDs = enrollmentIDs[:0]
	for _, w := range written {
		if w.ID == 0 && !dry {
			// Stored by someone else between the check and the write: already present.
			res.Present++
			continue
		}
		res.Written = append(res.Written, w)
		members[w.MemberID] = true
		res.Months += int(YearMonth(w.LastMonth)-YearMonth(w.FirstMonth)) + 1
		enrollmentIDs = append(enrollmentIDs, w.EnrollmentID)
	}
	res.Members = len(members)
	if dry {
		return res, nil
	}
	if err := models.SetPaidUntil(tx, enrollmentIDs, coverage.WIB); err != nil {
		return Result{}, fmt.Errorf("paid until: %w", err)
	}
	detail := fmt.Sprintf("by=%q written=%d present=%d members=%d months=%d", b.Actor, len(res.Written), res.Present, res.Members, res.Months)
	if len(res.Written) == 1 {
		w := res.Written[0]
		detail += fmt.Sprintf(" payment=%d member=%d first=%d last=%d amount=%d", w.ID, w.MemberID, w.FirstMonth, w.LastMonth, w.Amount)
	}
	if err := models.Audit(tx, &models.AuditEntry{Action: "payments_recorded", Channel: source, Detail: detail, CreatedAt: now}); err != nil {
		return Result{}, err
	}
	return res, nil
}

// samePayment reports whether a stored payment is the one p describes again: same member,
// amount and months (or number of months, when p gives only that).
func samePayment(s models.Payment, p *pending) bool {
	if s.MemberID != p.member.MemberID || s.Amount != p.Amount {
		return false
	}
	first, last := YearMonth(s.FirstMonth), YearMonth(s.LastMonth)
	if p.First == 0 {
		return int(last-first)+1 == p.Count
	}
	return first == p.First && last == p.Last
}

// enrollmentBook is an enrollment's payments while lines are checked: the stored ones and
// those lines already accepted, with where each came from.
type enrollmentBook struct {
	rec        *models.CoverageRecord
	enrollment coverage.Enrollment
	payments   []coverage.Payment
	origins    []origin
}

type origin struct {
	reference string // of a stored payment
	line      int    // of a line accepted earlier, when reference is ""
}

func newBook(rec *models.CoverageRecord) *enrollmentBook {
	b := &enrollmentBook{rec: rec, enrollment: EnrollmentOf(rec), payments: PaymentsOf(rec.Payments)}
	for _, p := range rec.Payments {
		b.origins = append(b.origins, origin{reference: p.Reference})
	}
	return b
}

// take checks a line against the book and, when it is good, adds it and returns its payment;
// otherwise it returns a problem code and its arguments.
func (b *enrollmentBook) take(rules coverage.Rules, p *pending) (models.Payment, string, []any) {
	first, last := p.First, p.Last
	if first == 0 {
		c, err := rules.Compute(b.enrollment, b.payments, p.PaidAt)
		if err != nil {
			return models.Payment{}, codeUnknownEnrollment, nil
		}
		first = c.Next.Month
		if now := c.PayNow(); len(now) > 0 {
			first = now[0].Month
		}
		last = first + tariff.YearMonth(p.Count-1)
	}
	if first < b.enrollment.Start {
		return models.Payment{}, codeBeforeEnrollment, []any{"month", first.String(), "start", b.enrollment.Start.String()}
	}
	if limit := tariff.MonthOf(p.PaidAt) + MaxMonthsAhead; last > limit {
		return models.Payment{}, codeTooFarAhead, []any{"month", last.String(), "max", MaxMonthsAhead}
	}
	for i, q := range b.payments {
		if !q.Verified || q.Last < first || q.First > last {
			continue
		}
		month := max(first, q.First).String()
		if o := b.origins[i]; o.reference != "" {
			return models.Payment{}, codeMonthPaid, []any{"month", month, "reference", o.reference}
		}
		return models.Payment{}, codeMonthPaidInFile, []any{"month", month, "line", b.origins[i].line}
	}
	q, err := rules.Expected(b.enrollment, first, int(last-first)+1)
	if err != nil {
		return models.Payment{}, codeUnknownEnrollment, nil
	}
	if q.Total != p.Amount {
		return models.Payment{}, codeAmountMismatch, []any{"amount", locales.Money(p.Amount), "expected", locales.Money(q.Total),
			"months", monthsText(first, last)}
	}
	b.payments = append(b.payments, coverage.Payment{First: first, Last: last, Amount: p.Amount, PaidAt: p.PaidAt, Verified: true})
	b.origins = append(b.origins, origin{line: p.Number})
	return models.Payment{MemberID: b.rec.Enrollment.MemberID, EnrollmentID: b.rec.Enrollment.ID, FirstMonth: MonthNumber(first),
		LastMonth: MonthNumber(last), Amount: p.Amount, PaidAt: p.PaidAt, Reference: p.Reference}, "", nil
}

// monthsText is "2026-01" or "2026-01..2026-03".
func monthsText(first, last tariff.YearMonth) string {
	if first == last {
		return first.String()
	}
	return first.String() + ".." + last.String()
}

func uniqIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

type noProgress struct{}

func (noProgress) Start(string, int) {}
func (noProgress) Add(int)           {}
