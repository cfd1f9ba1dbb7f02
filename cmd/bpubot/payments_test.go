package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/bot/payments"
	"bpubot/flows/coverage"
	"bpubot/flows/flowtest"
	"bpubot/flows/tariff"
	"bpubot/models"
)

func writeCSV(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A worker signs up in the chat; staff import the provider's file, import it again, try a
// bad one, and record one payment by hand.
func TestPaymentsImportAndAdd(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, dir, signup, "chat", "--user", "budi") // ojol, Rp2.500.000, JKK + JKM, NIK 3201011203900001
	today := time.Now().In(time.FixedZone("WIB", 7*3600))
	this := tariff.MonthOf(today)
	p := tariff.Participant{Income: 2_500_000, Occupation: "ojol", Package: tariff.PackageJKKJKM}
	q, err := tariff.Default().Span(p, this, 1)
	if err != nil {
		t.Fatal(err)
	}
	file := writeCSV(t, dir, "bayar.csv", fmt.Sprintf("NIK;Jumlah;Bulan;Tanggal Bayar;Referensi;Kasir\n3201011203900001;%d;%s;%s;IDM-0001;Rina\n",
		q.Total, this, today.Format("02/01/2006")))
	if out := runCLI(t, dir, "", "payments", "import", "--dry-run", file); !strings.Contains(out, "Berkas baik: 1 pembayaran") {
		t.Fatalf("dry run: %s", out)
	}
	if out := runCLI(t, dir, "", "payments", "import", file); !strings.Contains(out, "Diimpor 1 pembayaran untuk 1 anggota, 1 bulan") {
		t.Fatalf("import: %s", out)
	}
	if out := runCLI(t, dir, "", "payments", "import", file); !strings.Contains(out, "Tidak ada yang berubah: 1 pembayaran") {
		t.Fatalf("re-import: %s", out)
	}

	q2, _ := tariff.Default().Span(p, this+1, 1)
	bad := writeCSV(t, dir, "salah.csv", fmt.Sprintf("nik,amount,months,paid_at,reference\n"+
		"3201011203900001,%d,%s,%s,IDM-0002\n"+
		"3201011203909999,16800,%s,%s,IDM-0003\n"+
		"3201011203900001,1000,%s,%s,IDM-0004\n",
		q2.Total, this+1, today.Format(time.DateOnly), this, today.Format(time.DateOnly), this+2, today.Format(time.DateOnly)))
	out, err := runCLIErr(t, dir, "", "payments", "import", bad)
	if !strings.Contains(out, "2 baris bermasalah, tidak ada yang disimpan") || !strings.Contains(out, "baris 3: NIK 3201********9999: tidak ada anggota") ||
		!strings.Contains(out, "baris 4: NIK 3201********0001: jumlah Rp1.000 tidak sama dengan iuran") || !strings.Contains(err.Error(), "2 baris") {
		t.Fatalf("bad file: %v\n%s", err, out)
	}
	if strings.Contains(out, "3201011203900001") {
		t.Fatal("the NIK is shown unmasked")
	}

	// One payment by staff, the NIK from standard input; next month, now that this one is paid.
	out = runCLI(t, dir, "3201011203900001\n", "payments", "add", "--nik", "--months", (this + 1).String(), "--amount", fmt.Sprint(q2.Total), "--reference", "KASIR-7")
	if !strings.Contains(out, "Pembayaran #2 dicatat") || !strings.Contains(out, "referensi KASIR-7") || strings.Contains(out, "3201011203900001") {
		t.Fatalf("add: %s", out)
	}
	if out := runCLI(t, dir, "3201011203900001\n", "payments", "add", "--nik", "--months", (this + 1).String(), "--amount", fmt.Sprint(q2.Total), "--reference", "KASIR-7"); !strings.Contains(out, "sudah tercatat") {
		t.Fatalf("add again: %s", out)
	}
	// A NIK on the command line is refused without being repeated.
	out, err = runCLIErr(t, dir, "", "payments", "add", "--nik", "3201011203900001", "--months", "1", "--amount", "1")
	if strings.Contains(out+err.Error(), "3201011203900001") {
		t.Fatalf("the NIK from argv is echoed: %v %s", err, out)
	}
}

// serve routes the provider's webhook only when its secret is set in the environment.
func TestPaymentsWebhookRoute(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, dir, signup, "chat", "--user", "budi")
	today := time.Now()
	this := tariff.MonthOf(today)
	q, _ := tariff.Default().Span(tariff.Participant{Income: 2_500_000, Occupation: "ojol", Package: tariff.PackageJKKJKM}, this, 1)
	body := fmt.Sprintf(`{"reference":"PAY-1","nik":"3201011203900001","amount":%d,"first_month":"%s","paid_at":"%s"}`,
		q.Total, this, today.Format(time.RFC3339))
	for _, secret := range []string{"", strings.Repeat("s", 40)} {
		t.Setenv("BPUBOT_PAYMENTS_WEBHOOK_SECRET", secret)
		cfg, err := LoadConfig("", os.Getenv)
		if err != nil {
			t.Fatal(err)
		}
		a, err := newApp(context.Background(), cfg, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		srv := bot.NewServer(a.db, nil)
		a.routePaymentsWebhook(srv)
		req := httptest.NewRequest(http.MethodPost, "/api/payments", strings.NewReader(body))
		req.Header.Set(payments.HeaderTimestamp, strconv.FormatInt(today.Unix(), 10))
		req.Header.Set(payments.HeaderSignature, payments.Sign([]byte(secret), today, []byte(body)))
		rec := httptest.NewRecorder()
		srv.Mux.ServeHTTP(rec, req)
		want := http.StatusNotFound
		if secret != "" {
			want = http.StatusCreated
		}
		if rec.Code != want {
			t.Errorf("secret %q: %d %s, want %d", secret, rec.Code, rec.Body, want)
		}
		a.Close()
	}
}

// The partner's staff see their sponsored workers who are behind, NIK masked, month by month.
func TestArrearsCommand(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, dir, "", "partners", "add", "pemkab_blitar", "Pemkab Blitar", "--gov")
	db, err := models.Open(context.Background(), models.DBConfig{Driver: models.SQLite, Path: filepath.Join(dir, "bpubot.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(db)
	p, err := models.PartnerByCode(db, "pemkab_blitar")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	this := tariff.MonthOf(now)
	sealer := flowtest.Sealer(t)
	in := &payments.Intake{DB: db, Sealer: sealer, Rules: coverage.Default()}
	// Three workers enrolled seven months ago; the sponsor paid the first month of one, three
	// months of another, and a year of the third.
	enrolled := (this - 7).Start().AddDate(0, 0, 2)
	for i, paidMonths := range []int{1, 5, 12} {
		nik := fmt.Sprintf("350501120390%04d", i+1)
		m := models.Member{NIKHash: sealer.Hash(nik), NIKEnc: sealer.Seal(nik), FullName: fmt.Sprintf("Pekerja %d", i+1), Occupation: "petani",
			ProvinceCode: "35", Phone: "+62812345678" + strconv.Itoa(i), CreatedAt: enrolled, UpdatedAt: enrolled}
		e := models.Enrollment{Package: "jkk_jkm", DeclaredIncome: 1_000_000, PaymentMonths: 1, PartnerID: &p.ID,
			Status: models.EnrollmentPendingPayment, CreatedAt: enrolled, UpdatedAt: enrolled}
		if _, err := models.Register(db, &m, &models.Consent{Version: "2026-01", GivenAt: enrolled}, &e); err != nil {
			t.Fatal(err)
		}
		q, _ := tariff.Default().Span(tariff.Participant{Income: 1_000_000, Occupation: "petani", Package: tariff.PackageJKKJKM, GovSponsored: true}, this-7, paidMonths)
		if _, err := in.Record(context.Background(), payments.Batch{Source: models.PaymentImport, Lines: []payments.Line{
			{NIK: nik, Amount: q.Total, First: this - 7, Last: this - 7 + tariff.YearMonth(paidMonths-1), PaidAt: enrolled, Reference: "APBD-" + nik},
		}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	out := runCLI(t, dir, "", "arrears", "--partner", "PEMKAB_BLITAR")
	for _, want := range []string{"Pekerja 1", "3505********0001", "tidak aktif", "Pekerja 2", "menunggak", "2 pekerja Pemkab Blitar belum lunas"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Pekerja 3") || strings.Contains(out, "3505011203900001") {
		t.Errorf("a paid-up worker listed, or a NIK unmasked:\n%s", out)
	}
	csvOut := runCLI(t, dir, "", "arrears", "--partner", "pemkab_blitar", "--format", "csv")
	if !strings.HasPrefix(csvOut, "member_id,name,nik,phone,standing") || !strings.Contains(csvOut, ",lapsed,") || !strings.Contains(csvOut, ",arrears,") {
		t.Errorf("csv:\n%s", csvOut)
	}
	if _, err := runCLIErr(t, dir, "", "arrears", "--partner", "nobody"); !strings.Contains(err.Error(), "nobody") {
		t.Errorf("unknown partner: %v", err)
	}
}
