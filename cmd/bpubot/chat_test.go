package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bpubot/flows/flowtest"
	"bpubot/locales"
	"bpubot/models"
)

// execCLI runs the bpubot command line in dir with stdin, as a newcomer would, and returns its
// output (stdout and stderr together) and error.
func execCLI(t *testing.T, dir, stdin string, args ...string) (string, error) {
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
	return out.String(), err
}

// runCLI runs the command line expecting it to succeed, and returns its output.
func runCLI(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	out, err := execCLI(t, dir, stdin, args...)
	if err != nil {
		t.Fatalf("bpubot %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// runCLIErr runs the command line expecting it to fail, and returns its output and error.
func runCLIErr(t *testing.T, dir, stdin string, args ...string) (string, error) {
	t.Helper()
	out, err := execCLI(t, dir, stdin, args...)
	if err == nil {
		t.Fatalf("bpubot %s succeeded:\n%s", strings.Join(args, " "), out)
	}
	return out, err
}

// onlyExportRow is the one row of a CSV export, by column name.
func onlyExportRow(t *testing.T, out string) map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv export of one row: %v\n%s", err, out)
	}
	row := map[string]string{}
	for i, h := range recs[0] {
		row[h] = recs[1][i]
	}
	return row
}

var signup = strings.Join([]string{"daftar", "setuju", "Budi Santoso", "3201011203900001", "ya", "0812-3456-7890",
	"ojol", "jawa barat", "Kab. Bogor", "lewati", "2,5 juta", "1", "3", "konfirmasi", ""}, "\n")

// TestChatPipedSignupResumeAndExport is the README's promise: a sign-up by typing into
// `bpubot chat` on a fresh directory (SQLite), interrupted and resumed by a second process,
// then seen in the export with a masked NIK.
func TestChatPipedSignupResumeAndExport(t *testing.T) {
	dir := t.TempDir()
	lines := strings.Split(signup, "\n")
	first := runCLI(t, dir, strings.Join(lines[:5], "\n")+"\n", "chat", "--user", "budi")
	if strings.Count(first, "\n> ") != 5 || !strings.Contains(first, "12 Maret 1990") {
		t.Fatalf("first session: one echo per input line and the NIK's birth date expected:\n%s", first)
	}
	// A new process: the conversation continues at the phone question.
	second := runCLI(t, dir, strings.Join(lines[5:], "\n"), "chat", "--user", "budi")
	if !strings.Contains(second, "Selamat datang kembali") || !strings.Contains(second, "Nomor HP") {
		t.Fatalf("second session did not resume at the phone step:\n%s", second)
	}
	if !strings.Contains(second, "Rp15.900/bulan") || !strings.Contains(second, "Terima kasih, Budi Santoso") {
		t.Fatalf("sign-up did not complete with the discounted premium:\n%s", second)
	}
	if _, err := os.Stat(filepath.Join(dir, "bpubot.db")); err != nil {
		t.Fatal("the default database is bpubot.db in the working directory")
	}

	out := runCLI(t, dir, "", "export", "members", "--format", "csv")
	row := onlyExportRow(t, out)
	if row["nik"] != "3201********0001" || row["phone"] != "+62812*****890" || row["name"] != "Budi Santoso" || row["status"] != "pending_payment" ||
		row["regency_code"] != "3201" || row["payer"] != "self" || row["sponsor"] != "" {
		t.Fatalf("export row: %v", row)
	}
	if strings.Contains(out, "3201011203900001") || strings.Contains(out, "81234567890") {
		t.Fatal("the export leaks the NIK or phone")
	}
	js := runCLI(t, dir, "", "export", "members", "--format", "json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(js), &list); err != nil || len(list) != 1 || list[0]["nik"] != "3201********0001" {
		t.Fatalf("json export: %v\n%s", err, js)
	}

	// Another worker in the same database starts fresh.
	other := runCLI(t, dir, "4\n", "chat", "--user", "siti", "--lang", "en")
	if !strings.Contains(other, "Hello!") || !strings.Contains(other, "not registered") {
		t.Fatalf("second user:\n%s", other)
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	root := newRootCmd()
	for _, c := range root.Commands() {
		if c.Short == "" {
			t.Errorf("command %s has no help", c.Name())
		}
	}
}

func TestHandoffsListAndClose(t *testing.T) {
	dir := t.TempDir()
	chat := runCLI(t, dir, "klaim jht gimana ya kalau saya berhenti kerja\nmau bicara dengan petugas\nsaya sudah 2 kali ke kantor cabang\n", "chat", "--user", "6281234567890")
	if !strings.Contains(chat, "#1") || !strings.Contains(chat, "Sudah kami tambahkan ke permintaan #1") {
		t.Fatalf("the worker is told the request's number and that their message was added:\n%s", chat)
	}
	out := runCLI(t, dir, "", "handoffs", "list")
	if !strings.Contains(out, "6281******890") || !strings.Contains(out, "klaim jht gimana ya") || strings.Contains(out, "6281234567890") ||
		!strings.Contains(out, "saya sudah 2 kali ke kantor cabang") {
		t.Fatalf("handoffs list must show the request, what was added to it, and the chat masked:\n%s", out)
	}
	// A reply needs a staff member to sign it; its words after the ID are the text.
	runCLI(t, dir, "", "staff", "add", "Rina", "--role", "staff")
	reply := []string{"handoffs", "reply", "1", "Kartunya", "sudah", "jadi."}
	if _, err := runCLIErr(t, dir, "", reply...); !strings.Contains(err.Error(), "--as") {
		t.Fatalf("a reply without --as: %v", err)
	}
	if out := runCLI(t, dir, "", append(reply, "--as", "Rina")...); !strings.Contains(out, locales.Text("id", "staff.handoff_replied", "id", 1)) {
		t.Fatalf("reply: %s", out)
	}
	db, err := models.Open(context.Background(), models.DBConfig{Driver: models.SQLite, Path: filepath.Join(dir, "bpubot.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(db)
	var queued int
	if err := models.SQLDB(db).QueryRow(`SELECT count(*) FROM outbox WHERE payload LIKE '%Kartunya sudah jadi.%'`).Scan(&queued); err != nil || queued != 1 {
		t.Fatalf("the reply's whole text queued for the worker: %d rows, %v", queued, err)
	}
	if out := runCLI(t, dir, "", "handoffs", "close", "1"); !strings.Contains(out, "ditutup") {
		t.Fatalf("close: %s", out)
	}
	if out := runCLI(t, dir, "", "handoffs", "list"); !strings.Contains(out, "Tidak ada permintaan") {
		t.Fatalf("after close:\n%s", out)
	}
}

func TestClassifyCommand(t *testing.T) {
	out := runCLI(t, t.TempDir(), "gmn cara dftr\nbrp iuran sebulan\nsuami sy meninggal, klaimnya gmn\n\n", "classify")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	want := []string{"daftar", "iuran_info", "klaim_jkm", "unknown"}
	if len(lines) != len(want) {
		t.Fatalf("one line per input expected:\n%s", out)
	}
	for i, w := range want {
		label, conf, ok := strings.Cut(lines[i], "\t")
		if !ok || label != w || len(conf) != 4 {
			t.Errorf("line %d = %q, want %s<TAB>0.00", i, lines[i], w)
		}
	}
}

func TestPartnersAndSignupWithCode(t *testing.T) {
	dir := t.TempDir()
	if out := runCLI(t, dir, "", "partners", "add", "Pemkab_Blitar", "Pemkab Blitar", "--gov"); !strings.Contains(out, "Mitra pemkab_blitar ditambahkan: sponsor pemerintah") {
		t.Fatalf("add: %s", out)
	}
	cmd := newRootCmd()
	cmd.SetArgs([]string{"partners", "add", "pemkab_blitar", "Again"})
	cmd.SetOut(&bytes.Buffer{})
	if err := cmd.ExecuteContext(context.Background()); err == nil {
		t.Fatal("a taken code must be refused")
	}
	lines := strings.Split(signup, "\n")[:9]
	lines = append(lines, "pemkab_blitar", "2,5 juta", "konfirmasi", "")
	out := runCLI(t, dir, strings.Join(lines, "\n"), "chat", "--user", "sri")
	if !strings.Contains(out, "Kode mitra: Pemkab Blitar") || !strings.Contains(out, "Iuran: ditanggung oleh Pemkab Blitar") ||
		!strings.Contains(out, "Iuranmu dibayar oleh Pemkab Blitar") || strings.Contains(out, "Rp15.900") || strings.Contains(out, "berapa bulan") {
		t.Fatalf("a government-sponsored worker sees no price and no payment period, only who pays:\n%s", out)
	}
	row := onlyExportRow(t, runCLI(t, dir, "", "export", "members"))
	// The sponsor pays the full premium: the PP 50/2025 discount is not for APBN/APBD.
	if row["payer"] != "government" || row["sponsor"] != "Pemkab Blitar" || row["monthly_premium"] != "31800" || row["payment_months"] != "0" {
		t.Fatalf("export row of the sponsored worker: %v", row)
	}
	runCLI(t, dir, "", "partners", "disable", "pemkab_blitar")
	if out := runCLI(t, dir, "", "partners", "list"); !strings.Contains(out, "tidak") {
		t.Fatalf("list: %s", out)
	}
}

// Restarting the console in the middle of a claim goes on with the claim, in the language the
// chat has, whether or not --lang is given again.
func TestChatResumesClaimInItsLanguage(t *testing.T) {
	dir := t.TempDir()
	first := runCLI(t, dir, "gmn cara klaim kecelakaan kerja\n", "chat", "--user", "rudi", "--lang", "en")
	if !strings.Contains(first, locales.Text("en", "claim.jkk_where")) {
		t.Fatalf("first session did not start the claim in English:\n%s", first)
	}
	second := runCLI(t, dir, "at work\n", "chat", "--user", "rudi")
	for _, want := range []string{locales.Text("en", "common.welcome_back"), locales.Text("en", "claim.jkk_where"), locales.Text("en", "claim.jkk_when")} {
		if !strings.Contains(second, want) {
			t.Fatalf("second session (no --lang) lacks %q:\n%s", want, second)
		}
	}
	if strings.Contains(second, locales.Text("id", "menu.prompt")) {
		t.Fatalf("second session fell back to the Indonesian menu:\n%s", second)
	}
}

// A worker who had their data erased stays in the export only as a row marked erased, with
// nothing personal in it.
func TestExportAfterErasure(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, dir, signup, "chat", "--user", "budi")
	runCLI(t, dir, "hapus data saya\n1\n1\n", "chat", "--user", "budi")
	row := onlyExportRow(t, runCLI(t, dir, "", "export", "members"))
	if row["status"] != "erased" || row["occupation"] != "ojol" || row["province_code"] != "32" {
		t.Fatalf("erased row: %v", row)
	}
	for _, k := range []string{"name", "nik", "phone", "sex", "birth_date", "regency_code", "city"} {
		if row[k] != "" {
			t.Errorf("erased row keeps %s = %q", k, row[k])
		}
	}
}
