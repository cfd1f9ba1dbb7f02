package payments_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/payments"
	"bpubot/flows/coverage"
	"bpubot/flows/flowtest"
	"bpubot/flows/tariff"
	"bpubot/models"
	"bpubot/models/modeltest"
)

var wib = coverage.WIB

func ym(y int, m time.Month) tariff.YearMonth { return tariff.NewYearMonth(y, m) }

// now is when the tests record payments: 20 May 2026, 10:00 WIB.
var now = time.Date(2026, 5, 20, 10, 0, 0, 0, wib)

func intake(t testing.TB, db *models.DB) *payments.Intake {
	return &payments.Intake{DB: db, Sealer: flowtest.Sealer(t), Rules: coverage.Default(), Clock: func() time.Time { return now }}
}

// worker describes a member to enrol.
type worker struct {
	nik, occupation, province string
	income                    int64
	pkg                       tariff.Package
	enrolled                  time.Time
	partner                   *models.Partner
}

// enrol registers w and returns the member id and enrollment id.
func enrol(t testing.TB, db *models.DB, w worker) (int64, int64) {
	t.Helper()
	s := flowtest.Sealer(t)
	if w.pkg == "" {
		w.pkg = tariff.PackageJKKJKM
	}
	if w.income == 0 {
		w.income = 1_000_000
	}
	if w.province == "" {
		w.province = "32"
	}
	m := models.Member{NIKHash: s.Hash(w.nik), NIKEnc: s.Seal(w.nik), FullName: "Pekerja " + w.nik[12:], Occupation: w.occupation,
		ProvinceCode: w.province, Phone: "+6281234567" + w.nik[13:], Lang: "id", CreatedAt: w.enrolled, UpdatedAt: w.enrolled}
	c := models.Consent{Version: "2026-01", GivenAt: w.enrolled, Channel: "test"}
	e := models.Enrollment{Package: string(w.pkg), DeclaredIncome: w.income, PaymentMonths: 1, Status: models.EnrollmentPendingPayment,
		Channel: "test", CreatedAt: w.enrolled, UpdatedAt: w.enrolled}
	if w.partner != nil {
		e.PartnerID = &w.partner.ID
	}
	if ok, err := models.Register(db, &m, &c, &e); err != nil || !ok {
		t.Fatalf("register %s: %v %v", w.nik, ok, err)
	}
	return m.ID, e.ID
}

func jan2026(nik, occupation string) worker {
	return worker{nik: nik, occupation: occupation, enrolled: time.Date(2026, 1, 3, 9, 0, 0, 0, wib)}
}

func line(n int, nik string, amount int64, first, last tariff.YearMonth, paid time.Time, ref string) payments.Line {
	return payments.Line{Number: n, NIK: nik, Amount: amount, First: first, Last: last, PaidAt: paid, Reference: ref}
}

func count(t *testing.T, db *models.DB) int64 {
	t.Helper()
	return modeltest.Count[models.Payment](t, db, "")
}

const (
	nikBudi = "3201011203900001" // pedagang, Jawa Barat
	nikSiti = "3201015507900002" // ojol
	nikAri  = "7371011203900003" // pedagang, Sulawesi Selatan (WITA)
)

func TestRecordAFile(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		budi, budiEnr := enrol(t, db, jan2026(nikBudi, "pedagang"))
		siti, _ := enrol(t, db, jan2026(nikSiti, "ojol"))
		in := intake(t, db)
		ctx := context.Background()
		lines := []payments.Line{
			// Budi pays January on time, then February to April in April: February and March
			// before the vendors' discount in full, April at half.
			line(2, nikBudi, 16_800, ym(2026, 1), ym(2026, 1), time.Date(2026, 1, 5, 10, 0, 0, 0, wib), "IDM-1"),
			line(3, nikBudi, 2*16_800+8_400, ym(2026, 2), ym(2026, 4), time.Date(2026, 4, 10, 10, 0, 0, 0, wib), "IDM-2"),
			// Siti, an ojol, pays 3 months from the first unpaid: January to March, discounted.
			{Number: 4, MemberID: siti, Amount: 3 * 8_400, Count: 3, PaidAt: time.Date(2026, 1, 10, 0, 0, 0, 0, wib), Reference: "ALFA-9"},
		}
		res, err := in.Record(ctx, payments.Batch{Source: models.PaymentImport, Actor: "test", Lines: lines}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Written) != 3 || res.Present != 0 || res.Members != 2 || res.Months != 7 {
			t.Fatalf("result %+v", res)
		}
		stored := modeltest.One[models.Payment](t, db, "reference = ?", "ALFA-9")
		if stored.MemberID != siti || stored.FirstMonth != 202601 || stored.LastMonth != 202603 || !stored.Verified ||
			stored.Source != models.PaymentImport || stored.Amount != 25_200 {
			t.Fatalf("stored %+v", stored)
		}
		e := modeltest.One[models.Enrollment](t, db, "id = ?", budiEnr)
		if e.Status != models.EnrollmentActive || e.PaidUntil == nil || e.PaidUntil.In(wib).Format(time.DateOnly) != "2026-04-30" {
			t.Fatalf("enrollment after payments: status %s paid until %v", e.Status, e.PaidUntil)
		}
		if audit := modeltest.One[models.AuditEntry](t, db, "action = ?", "payments_recorded"); !strings.Contains(audit.Detail, "written=3") ||
			strings.Contains(audit.Detail, nikBudi) {
			t.Fatalf("audit %+v", audit)
		}

		// The same file again changes nothing and says so.
		again, err := in.Record(ctx, payments.Batch{Source: models.PaymentImport, Lines: lines}, nil)
		if err != nil || len(again.Written) != 0 || again.Present != 3 || count(t, db) != 3 {
			t.Fatalf("re-import: %+v %v", again, err)
		}

		// One function answers coverage, on either database.
		st, err := payments.Coverage(db, coverage.Default(), budi, now)
		if err != nil {
			t.Fatal(err)
		}
		if c := st.Coverage; c.State != coverage.StateArrears || c.PaidUntil != ym(2026, 4) || len(c.Arrears) != 1 ||
			c.Arrears[0].Month != ym(2026, 5) || c.Arrears[0].Amount != 8_400 {
			t.Fatalf("Budi on 20 May: %+v", c)
		}
	})
}

// A bad file lists every bad line, with the reason, the NIK masked, and writes nothing.
func TestRecordBadFileWritesNothing(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		enrol(t, db, jan2026(nikBudi, "pedagang"))
		enrol(t, db, jan2026(nikSiti, "ojol"))
		in := intake(t, db)
		ctx := context.Background()
		paid := time.Date(2026, 2, 5, 10, 0, 0, 0, wib)
		if _, err := in.Record(ctx, payments.Batch{Source: models.PaymentWebhook, Lines: []payments.Line{
			line(0, nikBudi, 16_800, ym(2026, 1), ym(2026, 1), paid, "PAID-JAN"),
		}}, nil); err != nil {
			t.Fatal(err)
		}
		lines := []payments.Line{
			line(2, nikSiti, 8_400, ym(2026, 2), ym(2026, 2), paid, "OK-1"), // good, but the file has bad lines
			line(3, "3201011203909999", 16_800, ym(2026, 2), ym(2026, 2), paid, "R3"),
			line(4, nikBudi, 16_800, ym(2026, 1), ym(2026, 2), paid, "R4"),
			line(5, nikBudi, 20_000, ym(2026, 2), ym(2026, 2), paid, "R5"),
			line(6, nikBudi, 16_800, ym(2025, 12), ym(2025, 12), paid, "R6"),
			line(7, nikBudi, 16_800, ym(2026, 2), ym(2026, 2), paid, "PAID-JAN"),
			line(8, nikSiti, 8_400, ym(2026, 3), ym(2026, 3), paid, "OK-1"),
			line(9, nikSiti, 8_400*14, ym(2026, 3), ym(2027, 4), paid, "R9"),
			line(10, nikSiti, 8_400, ym(2026, 3), ym(2026, 3), now.Add(24*time.Hour), "R10"),
			line(11, "12345", 8_400, ym(2026, 3), ym(2026, 3), paid, "R11"),
			line(12, nikSiti, 8_400, ym(2026, 2), ym(2026, 2), paid.Add(time.Hour), "R12"),
			{Number: 13, MemberID: 999, Amount: 8_400, First: ym(2026, 3), Last: ym(2026, 3), PaidAt: paid, Reference: "R13"},
			line(14, nikSiti, 8_400, ym(2026, 3), ym(2026, 3), paid, ""),
		}
		_, err := in.Record(ctx, payments.Batch{Source: models.PaymentImport, Lines: lines}, nil)
		problems, ok := payments.AsProblems(err)
		if !ok {
			t.Fatalf("err = %v, want problems", err)
		}
		if n := count(t, db); n != 1 {
			t.Fatalf("%d payments stored, want only the earlier one", n)
		}
		got := problems.Lines("id")
		want := []string{
			"baris 3: NIK 3201********9999: tidak ada anggota dengan NIK ini",
			"baris 4: NIK 3201********0001: bulan 2026-01 sudah dibayar (referensi PAID-JAN)",
			"baris 5: NIK 3201********0001: jumlah Rp20.000 tidak sama dengan iuran 2026-02: Rp16.800",
			"baris 6: NIK 3201********0001: bulan 2025-12 sebelum anggota mendaftar (2026-01)",
			"baris 7: NIK 3201********0001: referensi PAID-JAN sudah dipakai untuk pembayaran lain",
			"baris 8: NIK 3201********0002: referensi OK-1 juga ada di baris 2",
			"baris 9: NIK 3201********0002: bulan 2027-04 lebih dari 12 bulan sesudah tanggal bayar",
			"baris 10: NIK 3201********0002: tanggal bayar 2026-05-21T10:00:00+07:00 belum terjadi",
			"baris 11: NIK *****: NIK tidak valid (harus 16 angka dengan kode wilayah dan tanggal lahir yang benar)",
			"baris 12: NIK 3201********0002: bulan 2026-02 juga dibayar di baris 2",
			"baris 13: tidak ada anggota bernomor 999",
			"baris 14: NIK 3201********0002: referensi tidak diisi",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, l := range got {
			if strings.Contains(l, nikBudi) || strings.Contains(l, nikSiti) {
				t.Fatalf("unmasked NIK: %s", l)
			}
		}
	})
}

// A number of months pays the oldest unpaid months first, as payment points apply them.
func TestRecordMonthsCountPaysArrearsFirst(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		budi, _ := enrol(t, db, jan2026(nikBudi, "pedagang"))
		in := intake(t, db)
		ctx := context.Background()
		paid := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, wib) }
		_, err := in.Record(ctx, payments.Batch{Source: models.PaymentImport, Lines: []payments.Line{
			{Number: 2, NIK: nikBudi, Amount: 16_800, Count: 1, PaidAt: paid(1, 5), Reference: "A"},
			// On 20 April: February and March are in arrears (full rate), April not yet due.
			{Number: 3, NIK: nikBudi, Amount: 2*16_800 + 8_400, Count: 3, PaidAt: paid(4, 20), Reference: "B"},
		}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ps := modeltest.Rows[models.Payment](t, db, "member_id = ?", budi)
		slices.SortFunc(ps, func(a, b models.Payment) int { return a.FirstMonth - b.FirstMonth })
		if len(ps) != 2 || ps[1].FirstMonth != 202602 || ps[1].LastMonth != 202604 {
			t.Fatalf("payments %+v", ps)
		}
	})
}

// Government-sponsored workers never get the discount, and the partner's staff see their arrears.
func TestSponsoredCoverage(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		blitar := flowtest.AddPartner(t, db, "pemkab_blitar", "Pemkab Blitar", true, true)
		ansor := flowtest.AddPartner(t, db, "ansor", "GP Ansor", false, false)
		w := jan2026(nikSiti, "ojol")
		w.partner = blitar
		siti, _ := enrol(t, db, w)
		w2 := jan2026(nikBudi, "pedagang")
		w2.partner = ansor
		enrol(t, db, w2)
		in := intake(t, db)
		res, err := in.Record(context.Background(), payments.Batch{Source: models.PaymentImport, Lines: []payments.Line{
			line(2, nikSiti, 2*16_800, ym(2026, 1), ym(2026, 2), time.Date(2026, 1, 5, 0, 0, 0, 0, wib), "APBD-1"),
		}}, nil)
		if err != nil || len(res.Written) != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		var seen []int64
		err = payments.EachCoverage(db, coverage.Default(), models.CoverageFilter{PartnerID: &blitar.ID}, now, func(ss []payments.Standing) error {
			for _, s := range ss {
				seen = append(seen, s.Record.Enrollment.MemberID)
				c := s.Coverage
				if c.State != coverage.StateSponsored || c.Standing != coverage.StateArrears || len(c.Arrears) != 3 || c.ArrearsTotal != 3*16_800 {
					t.Errorf("sponsored ojol on 20 May: %+v", c)
				}
			}
			return nil
		})
		if err != nil || !slices.Equal(seen, []int64{siti}) {
			t.Fatalf("partner's workers %v, %v", seen, err)
		}
	})
}

func TestSelfReport(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		budi, _ := enrol(t, db, jan2026(nikBudi, "pedagang"))
		first, err := payments.ReportPaid(db, coverage.Default(), budi, ym(2026, 5), now)
		if err != nil {
			t.Fatal(err)
		}
		again, err := payments.ReportPaid(db, coverage.Default(), budi, ym(2026, 5), now.Add(48*time.Hour))
		if err != nil || again.ID != first.ID || !again.PaidAt.Equal(now.Add(48*time.Hour)) || again.Verified || first.Amount != 8_400 {
			t.Fatalf("reported twice: %+v then %+v (%v)", first, again, err)
		}
		if n := count(t, db); n != 1 {
			t.Fatalf("%d rows for one month reported twice", n)
		}
		st, err := payments.Coverage(db, coverage.Default(), budi, now.Add(72*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		c := st.Coverage
		if c.Standing != coverage.StatePending || len(c.Reported) != 1 || c.Reported[0].Month != ym(2026, 5) ||
			!c.Reported[0].ReportedAt.Equal(now.Add(48*time.Hour)) {
			t.Fatalf("coverage after a self-report: %+v", c)
		}
		e := modeltest.One[models.Enrollment](t, db, "")
		if e.PaidUntil != nil || e.Status != models.EnrollmentPendingPayment {
			t.Fatalf("a self-report moved paid_until: %+v", e)
		}
		// The import that confirms it is recorded; the report stays as it was said.
		if _, err := intake(t, db).Record(context.Background(), payments.Batch{Source: models.PaymentImport, Lines: []payments.Line{
			line(2, nikBudi, 8_400, ym(2026, 5), ym(2026, 5), now, "IDM-MAY"),
		}}, nil); err != nil {
			t.Fatal(err)
		}
	})
}

// Erasing a worker's personal data keeps their payments, anonymous: coverage still adds up,
// and a file can no longer find them by NIK.
func TestErasedMemberKeepsPayments(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		budi, _ := enrol(t, db, jan2026(nikBudi, "pedagang"))
		in := intake(t, db)
		ctx := context.Background()
		if _, err := in.Record(ctx, payments.Batch{Source: models.PaymentImport, Lines: []payments.Line{
			line(2, nikBudi, 16_800, ym(2026, 1), ym(2026, 1), time.Date(2026, 1, 5, 0, 0, 0, 0, wib), "IDM-1"),
		}}, nil); err != nil {
			t.Fatal(err)
		}
		// The conversation of a registered worker, who then asks to erase their data.
		e, _ := flowtest.Engine(t, db, flowtest.NewClock(now))
		modeltest.Insert(t, db, &models.Conversation{Channel: "test", ChatID: "budi", UserID: "budi", MemberID: &budi, Slots: "{}",
			Stack: "[]", Choices: "[]", Lang: "id", CreatedAt: now, UpdatedAt: now})
		for i, text := range []string{"hapus data saya", "lanjut_hapus", "hapus_permanen"} {
			if _, err := e.Handle(ctx, inbound("budi", i, text)); err != nil {
				t.Fatal(err)
			}
		}
		m := modeltest.One[models.Member](t, db, "id = ?", budi)
		if m.NIKHash != "" || m.FullName != "" {
			t.Fatalf("not erased: %+v", m)
		}
		if n := count(t, db); n != 1 {
			t.Fatalf("%d payments after erasure, want 1", n)
		}
		st, err := payments.Coverage(db, coverage.Default(), budi, now)
		if err != nil || st.Coverage.PaidUntil != ym(2026, 1) {
			t.Fatalf("coverage of an erased member: %+v %v", st, err)
		}
		_, err = in.Record(ctx, payments.Batch{Source: models.PaymentImport, Lines: []payments.Line{
			line(2, nikBudi, 16_800, ym(2026, 2), ym(2026, 2), now, "IDM-2"),
		}}, nil)
		if ps, ok := payments.AsProblems(err); !ok || !strings.Contains(ps.Lines("id")[0], "tidak ada anggota dengan NIK ini") {
			t.Fatalf("an erased NIK was found: %v", err)
		}
	})
}

func TestCheckWritesNothing(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		enrol(t, db, jan2026(nikBudi, "pedagang"))
		res, err := intake(t, db).Check(context.Background(), payments.Batch{Source: models.PaymentImport, Lines: []payments.Line{
			line(2, nikBudi, 16_800, ym(2026, 1), ym(2026, 1), time.Date(2026, 1, 5, 0, 0, 0, 0, wib), "IDM-1"),
		}}, nil)
		if err != nil || len(res.Written) != 1 || res.Months != 1 || count(t, db) != 0 {
			t.Fatalf("check: %+v %v, %d stored", res, err, count(t, db))
		}
	})
}

func inbound(chat string, i int, text string) bot.Inbound {
	return bot.Inbound{Channel: "test", ChatID: chat, UserID: chat, ExternalID: fmt.Sprintf("%s-%d", chat, i), Kind: bot.KindText, Text: text}
}
