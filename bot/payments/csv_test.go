package payments

import (
	"errors"
	"strings"
	"testing"
	"time"

	"bpubot/flows/tariff"
)

var wib = time.FixedZone("WIB", 7*3600)

func ym(y int, m time.Month) tariff.YearMonth { return tariff.NewYearMonth(y, m) }

func TestParseCSV(t *testing.T) {
	file := "\ufeffNo;NIK;Nama;Jumlah;Bulan;Tanggal Bayar;No. Referensi\n" +
		"1;3201011203900001;Budi;Rp50.400;2026-01..2026-03;05/01/2026 10:30;INDOMARET-001\n" +
		"2;3201011203900002;Siti;16800;3;2026-02-10;ALFA-77\n" +
		"\n" +
		"3;3201-0112-0390-0003;;8.400;01/2026;2026-01-05T08:00:00+08:00;POS 9\n"
	lines, problems, err := ParseCSV(strings.NewReader(file), wib)
	if err != nil || len(problems) != 0 {
		t.Fatalf("err %v, problems %v", err, problems)
	}
	want := []Line{
		{Number: 2, NIK: "3201011203900001", Amount: 50_400, First: ym(2026, 1), Last: ym(2026, 3),
			PaidAt: time.Date(2026, 1, 5, 10, 30, 0, 0, wib), Reference: "INDOMARET-001"},
		{Number: 3, NIK: "3201011203900002", Amount: 16_800, Count: 3, PaidAt: time.Date(2026, 2, 10, 0, 0, 0, 0, wib), Reference: "ALFA-77"},
		{Number: 5, NIK: "3201-0112-0390-0003", Amount: 8_400, First: ym(2026, 1), Last: ym(2026, 1),
			PaidAt: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Reference: "POS 9"},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines: %+v", len(lines), lines)
	}
	for i, w := range want {
		g := lines[i]
		if g.Number != w.Number || g.NIK != w.NIK || g.Amount != w.Amount || g.First != w.First || g.Last != w.Last ||
			g.Count != w.Count || !g.PaidAt.Equal(w.PaidAt) || g.Reference != w.Reference {
			t.Errorf("line %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestParseCSVFirstAndLastMonthColumns(t *testing.T) {
	file := "member_id,amount,first_month,last_month,paid_at,reference\n" +
		"7,33600,2026-02,2026-03,2026-02-01,R1\n" +
		"8,16800,202604,,2026-04-01,R2\n"
	lines, problems, err := ParseCSV(strings.NewReader(file), wib)
	if err != nil || len(problems) != 0 || len(lines) != 2 {
		t.Fatalf("%v %v %+v", err, problems, lines)
	}
	if l := lines[0]; l.MemberID != 7 || l.First != ym(2026, 2) || l.Last != ym(2026, 3) {
		t.Errorf("line 2: %+v", l)
	}
	if l := lines[1]; l.First != ym(2026, 4) || l.Last != ym(2026, 4) {
		t.Errorf("line 3: a first month alone is one month: %+v", l)
	}
}

// Every unreadable field of every line is listed, with the NIK masked.
func TestParseCSVProblems(t *testing.T) {
	file := "nik,amount,months,paid_at,reference\n" +
		"3201011203900001,gratis,2026-13,kemarin,R1\n" +
		",16800,2026-01,2026-01-05,R2\n" +
		"3201011203900003,16800,,2026-01-05,R3\n" +
		"3201011203900004,16800,2026-03..2026-01,2026-01-05,R4\n"
	_, problems, err := ParseCSV(strings.NewReader(file), wib)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int][]string{}
	for _, p := range problems {
		got[p.Line] = append(got[p.Line], p.Code)
		if strings.Contains(p.LineText("id"), "3201011203900001") {
			t.Errorf("unmasked NIK in %q", p.LineText("id"))
		}
	}
	want := map[int][]string{
		2: {codeAmountInvalid, codeMonthsInvalid, codePaidAtInvalid},
		3: {codeNoMember},
		4: {codeMonthsMissing},
		5: {codeMonthsBackwards},
	}
	for line, codes := range want {
		if strings.Join(got[line], " ") != strings.Join(codes, " ") {
			t.Errorf("line %d: %v, want %v", line, got[line], codes)
		}
	}
	text := problems[0].LineText("id")
	if text != "baris 2: NIK 3201********0001: jumlah tidak terbaca: gratis" {
		t.Errorf("text: %q", text)
	}
}

func TestParseCSVFileErrors(t *testing.T) {
	for _, c := range []struct{ name, file, code string }{
		{"empty", "", "empty"},
		{"blank", "\n\n", "empty"},
		{"no reference column", "nik,amount,months,paid_at\n1,2,3,4\n", "columns_missing"},
		{"months twice", "nik,amount,months,first_month,paid_at,reference\n", "months_twice"},
		{"column twice", "nik,ktp,amount,months,paid_at,reference\n", "column_twice"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ParseCSV(strings.NewReader(c.file), wib)
			var fe *FileError
			if !errors.As(err, &fe) || fe.Code != c.code {
				t.Fatalf("err = %v, want %s", err, c.code)
			}
			if strings.HasPrefix(fe.Text("id"), "payments.") {
				t.Errorf("no text for %s", c.code)
			}
		})
	}
}

func TestParseMonths(t *testing.T) {
	for _, c := range []struct {
		in          string
		first, last tariff.YearMonth
		count       int
		ok          bool
	}{
		{"2026-01", ym(2026, 1), ym(2026, 1), 0, true},
		{"2026/1", ym(2026, 1), ym(2026, 1), 0, true},
		{"01/2026", ym(2026, 1), ym(2026, 1), 0, true},
		{"202612", ym(2026, 12), ym(2026, 12), 0, true},
		{"2026-01..2026-03", ym(2026, 1), ym(2026, 3), 0, true},
		{"2026-11 s/d 2027-01", ym(2026, 11), ym(2027, 1), 0, true},
		{"2026-11 - 2027-01", ym(2026, 11), ym(2027, 1), 0, true},
		{"2026-11 sampai 2027-01", ym(2026, 11), ym(2027, 1), 0, true},
		{"12", 0, 0, 12, true},
		{"0", 0, 0, 0, false},
		{"2026-00", 0, 0, 0, false},
		{"Januari", 0, 0, 0, false},
		{"1999-01", 0, 0, 0, false},
	} {
		first, last, count, ok := ParseMonths(c.in)
		if ok != c.ok || (ok && (first != c.first || last != c.last || count != c.count)) {
			t.Errorf("ParseMonths(%q) = %s %s %d %v", c.in, first, last, count, ok)
		}
	}
}
