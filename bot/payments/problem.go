package payments

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"bpubot/locales"
)

// Problem codes: why a line is not recorded. Each has a text in locales, payments.problem.<code>.
const (
	codeUnreadable        = "unreadable"          // the CSV line itself cannot be read
	codeNoMember          = "no_member"           // neither a NIK nor a member id
	codeNIKInvalid        = "nik_invalid"         // not a NIK
	codeNIKSpreadsheet    = "nik_spreadsheet"     // a NIK a spreadsheet turned into a number
	codeMemberIDInvalid   = "member_id_invalid"   // not a member id
	codeNIKUnknown        = "nik_unknown"         // no member with that NIK
	codeMemberUnknown     = "member_unknown"      // no member with that id
	codeNIKMemberMismatch = "nik_member_mismatch" // NIK and member id name different members
	codeNoEnrollment      = "no_enrollment"       // the member never finished a sign-up
	codeAmountInvalid     = "amount_invalid"      // not an amount
	codeAmountMismatch    = "amount_mismatch"     // not what the months cost
	codeMonthsMissing     = "months_missing"      // no months
	codeMonthsInvalid     = "months_invalid"      // months unreadable
	codeMonthsBackwards   = "months_backwards"    // last month before the first
	codeBeforeEnrollment  = "before_enrollment"   // a month before the worker enrolled
	codeTooFarAhead       = "too_far_ahead"       // more than MaxMonthsAhead past the payment
	codeMonthPaid         = "month_paid"          // a month already paid by a stored payment
	codeMonthPaidInFile   = "month_paid_in_file"  // a month paid by an earlier line
	codePaidAtMissing     = "paid_at_missing"     // no payment time
	codePaidAtInvalid     = "paid_at_invalid"     // payment time unreadable
	codePaidAtFuture      = "paid_at_future"      // payment time after now
	codeReferenceMissing  = "reference_missing"   // no reference
	codeReferenceInvalid  = "reference_invalid"   // too long or unprintable
	codeReferenceTwice    = "reference_twice"     // the same reference on an earlier line
	codeReferenceTaken    = "reference_taken"     // the reference is stored for another payment
	codeUnknownEnrollment = "unknown_enrollment"  // coverage could not be computed (bad stored data)
)

// Problem is why one line cannot be recorded. It names the line and, masked, the NIK, never
// the NIK itself.
type Problem struct {
	Line int    // 0 for a single payment
	NIK  string // masked, "" when the line has none
	Code string
	Args []any // name, value pairs for the text
}

// Text is the problem as staff (or, in English, a provider's developer) read it.
func (p Problem) Text(lang string) string {
	return locales.Text(lang, "payments.problem."+p.Code, p.Args...)
}

// LineText is the problem with its line and masked NIK: "baris 12: NIK 3201********0001: ...".
func (p Problem) LineText(lang string) string {
	text := p.Text(lang)
	if p.NIK != "" {
		text = locales.Text(lang, "payments.problem_nik", "nik", p.NIK, "problem", text)
	}
	if p.Line == 0 {
		return text
	}
	return locales.Text(lang, "payments.problem_line", "line", p.Line, "problem", text)
}

// Problems is every bad line of a file, as an error: nothing was written.
type Problems []Problem

func (ps Problems) Error() string {
	return fmt.Sprintf("payments: %d bad lines, nothing recorded", len(ps))
}

// Lines returns one text per problem, in line order, for staff.
func (ps Problems) Lines(lang string) []string {
	sorted := slices.Clone(ps)
	slices.SortStableFunc(sorted, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	out := make([]string, len(sorted))
	for i, p := range sorted {
		out[i] = p.LineText(lang)
	}
	return out
}

// AsProblems returns the problems behind err, if it is Problems.
func AsProblems(err error) (Problems, bool) {
	var ps Problems
	ok := errors.As(err, &ps)
	return ps, ok
}
