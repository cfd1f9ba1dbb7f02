package payments

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"bpubot/locales"
)

// Columns of a payments file, by the names bpubot reads. The header may use any of the
// variants in columnNames, in any case, with spaces, dashes or dots for underscores; columns
// bpubot does not know are ignored, so a provider's own file can be imported as it is.
const (
	colNIK        = "nik"
	colMemberID   = "member_id"
	colAmount     = "amount"
	colMonths     = "months"
	colFirstMonth = "first_month"
	colLastMonth  = "last_month"
	colPaidAt     = "paid_at"
	colReference  = "reference"
)

// columnNames maps each header a file may use to its column. Documented in the README.
var columnNames = map[string]string{
	"nik": colNIK, "no_nik": colNIK, "nomor_nik": colNIK, "ktp": colNIK, "no_ktp": colNIK, "nomor_ktp": colNIK,
	"member_id": colMemberID, "member": colMemberID, "id_anggota": colMemberID, "anggota": colMemberID,
	"amount": colAmount, "jumlah": colAmount, "nominal": colAmount, "iuran": colAmount, "jumlah_bayar": colAmount,
	"total": colAmount, "total_bayar": colAmount,
	"months": colMonths, "month": colMonths, "bulan": colMonths, "periode": colMonths, "period": colMonths,
	"first_month": colFirstMonth, "from_month": colFirstMonth, "start_month": colFirstMonth, "bulan_awal": colFirstMonth,
	"dari_bulan": colFirstMonth, "mulai": colFirstMonth,
	"last_month": colLastMonth, "to_month": colLastMonth, "end_month": colLastMonth, "bulan_akhir": colLastMonth,
	"sampai_bulan": colLastMonth, "sampai": colLastMonth,
	"paid_at": colPaidAt, "paid_date": colPaidAt, "payment_date": colPaidAt, "date": colPaidAt, "tanggal": colPaidAt,
	"tanggal_bayar": colPaidAt, "tgl_bayar": colPaidAt, "waktu_bayar": colPaidAt,
	"reference": colReference, "ref": colReference, "referensi": colReference, "no_referensi": colReference,
	"nomor_referensi": colReference, "transaction_id": colReference, "id_transaksi": colReference,
	"no_transaksi": colReference, "kode_bayar": colReference,
}

// FileError is why a whole file cannot be read: no header, a column missing.
type FileError struct {
	Code string // locale key payments.file.<code>
	Args []any
}

func (e *FileError) Error() string { return "payments file: " + e.Code }

// Text is the error as staff read it.
func (e *FileError) Text(lang string) string {
	return locales.Text(lang, "payments.file."+e.Code, e.Args...)
}

// ParseCSV reads a payments file: a header line, then one payment a line. Commas, semicolons
// (spreadsheets set to Indonesian write them) and tabs all separate columns; a byte-order mark
// is skipped. Times without a zone are read in loc.
//
// It returns every line it could read and a Problem for each it could not, so one pass lists
// every bad line; the error is a *FileError when the file as a whole is unusable.
func ParseCSV(r io.Reader, loc *time.Location) ([]Line, Problems, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, nil, err
	}
	if bom := []byte("\ufeff"); bytes.HasPrefix(head, bom) {
		_, _ = br.Discard(len(bom))
		head = head[len(bom):]
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, nil, &FileError{Code: "empty"}
	}
	cr := csv.NewReader(br)
	cr.Comma = delimiter(head)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err != nil {
		return nil, nil, &FileError{Code: "empty"}
	}
	cols := map[string]int{}
	for i, h := range header {
		name := strings.Join(strings.FieldsFunc(strings.ToLower(h), func(r rune) bool {
			return r == ' ' || r == '-' || r == '.' || r == '_'
		}), "_")
		if c, ok := columnNames[name]; ok {
			if _, twice := cols[c]; twice {
				return nil, nil, &FileError{Code: "column_twice", Args: []any{"column", c}}
			}
			cols[c] = i
		}
	}
	var missing []string
	_, hasNIK := cols[colNIK]
	_, hasMember := cols[colMemberID]
	if !hasNIK && !hasMember {
		missing = append(missing, colNIK+" / "+colMemberID)
	}
	_, hasMonths := cols[colMonths]
	_, hasFirst := cols[colFirstMonth]
	_, hasLast := cols[colLastMonth]
	switch {
	case hasMonths && (hasFirst || hasLast):
		return nil, nil, &FileError{Code: "months_twice"}
	case !hasMonths && !hasFirst:
		missing = append(missing, colMonths+" / "+colFirstMonth)
	case hasLast && !hasFirst:
		missing = append(missing, colFirstMonth)
	}
	for _, c := range []string{colAmount, colPaidAt, colReference} {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, nil, &FileError{Code: "columns_missing", Args: []any{"columns", strings.Join(missing, ", "),
			"header", strings.Join(header, ", ")}}
	}

	var lines []Line
	var problems Problems
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		number, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				number = pe.StartLine
			}
			problems = append(problems, Problem{Line: number, Code: codeUnreadable})
			if errors.As(err, &pe) {
				continue
			}
			return nil, nil, err
		}
		field := func(c string) string {
			if i, ok := cols[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if blank(rec) {
			continue
		}
		l, ps := parseLine(number, field, loc)
		if len(ps) > 0 {
			problems = append(problems, ps...)
			continue
		}
		lines = append(lines, l)
	}
	return lines, problems, nil
}

// delimiter guesses the column separator from the header line.
func delimiter(head []byte) rune {
	first, _, _ := bytes.Cut(head, []byte("\n"))
	best, n := ',', bytes.Count(first, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if c := bytes.Count(first, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// parseLine reads one line's fields; every field it cannot read is reported, not only the
// first. What the fields mean (a NIK that exists, a reference not taken) Record checks.
func parseLine(number int, field func(string) string, loc *time.Location) (Line, Problems) {
	l := Line{Number: number}
	var ps Problems
	bad := func(code string, args ...any) { ps = append(ps, Problem{Line: number, Code: code, Args: args}) }
	nik, member := field(colNIK), field(colMemberID)
	switch {
	case nik == "" && member == "":
		bad(codeNoMember)
	case nik != "":
		l.NIK = nik // checked by Record, with everything else about the member
	}
	if member != "" {
		id, err := strconv.ParseInt(member, 10, 64)
		if err != nil || id <= 0 {
			bad(codeMemberIDInvalid, "value", member)
		}
		l.MemberID = id
	}
	if a := field(colAmount); a == "" {
		bad(codeAmountInvalid, "value", a)
	} else if n, ok := ParseAmount(a); !ok {
		bad(codeAmountInvalid, "value", a)
	} else {
		l.Amount = n
	}
	months, first, last := field(colMonths), field(colFirstMonth), field(colLastMonth)
	switch {
	case months != "":
		var ok bool
		if l.First, l.Last, l.Count, ok = ParseMonths(months); !ok {
			bad(codeMonthsInvalid, "value", months)
		}
	case first != "":
		var ok1, ok2 bool
		l.First, ok1 = parseMonth(first)
		l.Last, ok2 = l.First, true
		if last != "" {
			l.Last, ok2 = parseMonth(last)
		}
		if !ok1 || !ok2 {
			bad(codeMonthsInvalid, "value", strings.Trim(first+" .. "+last, " ."))
		}
	default:
		bad(codeMonthsMissing)
	}
	if l.Count == 0 && l.Last < l.First {
		bad(codeMonthsBackwards, "first", l.First.String(), "last", l.Last.String())
	}
	if p := field(colPaidAt); p == "" {
		bad(codePaidAtMissing)
	} else if t, ok := ParsePaidAt(p, loc); !ok {
		bad(codePaidAtInvalid, "value", p)
	} else {
		l.PaidAt = t
	}
	l.Reference = field(colReference) // checked by Record
	for i := range ps {
		ps[i].NIK = maskedNIKOf(l.NIK)
	}
	return l, ps
}

// maskedNIKOf is maskedNIK, or "" for no NIK.
func maskedNIKOf(nik string) string {
	if nik == "" {
		return ""
	}
	return maskedNIK(nik)
}
