package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bpubot/flows/flowtest"
	"bpubot/flows/tariff"
)

// runCLIErr runs the command line expecting it to fail, and returns its output and error.
func runCLIErr(t *testing.T, dir, stdin string, args ...string) (string, error) {
	t.Helper()
	t.Chdir(dir)
	t.Setenv("BPUBOT_SECRET_KEY", flowtest.Key)
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	if err == nil {
		t.Fatalf("bpubot %s succeeded:\n%s", strings.Join(args, " "), out.String())
	}
	return out.String(), err
}

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
