package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"bpubot/bot/staff"
	"bpubot/bot/telegram/fakeapi"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// The staff console in a real browser: Debian's Chromium (chromium-headless-shell or chromium)
// driven by chromedp against `bpubot serve` on a real port, with the Telegram channel on the
// fake Bot API. Without a browser the tests skip, unless CI is set: there they must run
// (.ci/run installs chromium-headless-shell).

var keepScreenshots = flag.String("screenshots", "", "also write the console's screenshots into this folder")

// chromePath finds a Chromium to drive: BPUBOT_TEST_CHROME, else the first on PATH.
func chromePath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BPUBOT_TEST_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium found, and CI is set: install it (apt-get install -y chromium-headless-shell) or set BPUBOT_TEST_CHROME")
	}
	t.Skip("no Chromium found: browser tests skipped (apt-get install -y chromium-headless-shell, or set BPUBOT_TEST_CHROME)")
	return ""
}

const consolePassword = "kata-sandi-panjang"

// consoleWorld is `bpubot serve` with the console, its database seeded with partners, staff
// and workers, and a browser.
type consoleWorld struct {
	t       *testing.T
	base    string // http://127.0.0.1:port/console
	other   string // a second serve process on the same database (PostgreSQL), "" on SQLite
	api     *fakeapi.Server
	db      *models.DB
	svc     *staff.Service
	browser context.Context
	users   map[string]*fakeapi.User // workers on Telegram, by name
	members map[string]int64         // their member ids
	shots   string                   // where screenshots go
}

// startServe runs serve with cfg until the test ends.
func startServe(t *testing.T, cfg Config) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(ctx, cfg) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get("http://" + cfg.HTTP.Addr + "/healthz")
		if err == nil {
			res.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not answer: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func newConsoleWorld(t *testing.T, dialect string) *consoleWorld {
	t.Helper()
	chrome := chromePath(t)
	api := fakeapi.New(fakeapi.Options{})
	t.Cleanup(api.Close)
	db := modeltest.Config(t, dialect)
	cfg := DefaultConfig()
	cfg.Database.Driver, cfg.Database.Path, cfg.Database.URL, cfg.Database.MaxOpenConns = db.Driver, db.Path, db.URL, 10
	cfg.Security.SecretKey = flowtest.Key
	cfg.Log.Level = "error"
	cfg.Telegram = TelegramConfig{Enabled: true, Token: api.Token, ServerURL: api.URL, Mode: "polling", RateLimit: 25}
	cfg.Console.TelegramBot, cfg.Console.WhatsAppNumber = "bpu_test_bot", "+6281234567890"
	addr, err := fakeapi.BotAddr()
	must(t, err)
	cfg.HTTP.Addr = addr
	startServe(t, cfg)
	w := &consoleWorld{t: t, base: "http://" + addr + "/console", api: api, users: map[string]*fakeapi.User{}, members: map[string]int64{},
		shots: t.TempDir()}
	if dialect == models.Postgres {
		// A second process on the same database, without the channel: sessions are shared.
		second := cfg
		second.Telegram = TelegramConfig{ServerURL: "https://api.telegram.org", Mode: "polling", RateLimit: 25}
		if second.HTTP.Addr, err = fakeapi.BotAddr(); err != nil {
			t.Fatal(err)
		}
		startServe(t, second)
		w.other = "http://" + second.HTTP.Addr + "/console"
	}
	if w.db, err = models.Open(context.Background(), dbConfig(cfg)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(w.db) })
	sealer, err := loadSealer(cfg.Security, slog.New(slog.DiscardHandler))
	must(t, err)
	w.svc = &staff.Service{DB: w.db, Sealer: sealer, Config: staffConfig(cfg)}
	w.seed(sealer)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	w.browser = bctx
	// The first call starts the browser, which lives as long as its context: no timeout on it.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", chrome, err)
	}
	return w
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// seed adds two partners, four staff members with console passwords, and five workers who
// wrote to the bot on Telegram: three through GP Ansor, one through Karang Taruna, one alone.
func (w *consoleWorld) seed(sealer *models.Sealer) {
	t, ctx, op := w.t, context.Background(), staff.Operator()
	pa, err := w.svc.AddPartner(ctx, op, "ansor_jateng", "GP Ansor Jawa Tengah", false, false)
	must(t, err)
	pb, err := w.svc.AddPartner(ctx, op, "karang_taruna", "Karang Taruna Semarang", true, false)
	must(t, err)
	for _, s := range []staff.NewStaff{
		{Name: "Admin Kantor", Role: models.RoleAdmin},
		{Name: "Ansor Satu", Role: models.RolePartner, PartnerCode: "ansor_jateng"},
		{Name: "Taruna Satu", Role: models.RolePartner, PartnerCode: "karang_taruna"},
	} {
		_, err := w.svc.AddStaff(ctx, op, s)
		must(t, err)
		must(t, w.svc.SetPassword(ctx, op, s.Name, consolePassword))
	}
	for i, p := range []struct {
		name, occupation, province, regency string
		partner                             *int64
	}{
		{"Budi Santoso", "ojol", "33", "3374", &pa.ID},
		{"Sri Wahyuni", "pedagang", "33", "3374", &pa.ID},
		{"Agus Salim", "kurir", "33", "3322", &pa.ID},
		{"Dewi Lestari", "nelayan", "32", "3201", &pb.ID},
		{"Joko Widodo", "petani", "35", "3573", nil},
	} {
		u := w.api.User(int64(5001+i), strings.Fields(p.name)[0])
		w.users[p.name] = u
		// The worker writes first (a chat the bot may message), then is signed up.
		n := len(u.Messages())
		u.Text("halo")
		w.wait("the bot's answer to "+p.name, func() bool { return len(u.Messages()) > n })
		nik := fmt.Sprintf("3374011203900%03d", i+1)
		now := time.Now().Add(-time.Duration(i*37) * time.Hour)
		m := models.Member{FullName: p.name, NIKEnc: sealer.Seal(nik), NIKHash: sealer.Hash(nik), Phone: fmt.Sprintf("+62812345%05d", i+1),
			Occupation: p.occupation, ProvinceCode: p.province, RegencyCode: p.regency, Lang: "id", CreatedAt: now, UpdatedAt: now}
		modeltest.Insert(t, w.db, &m)
		modeltest.Insert(t, w.db, &models.Enrollment{MemberID: m.ID, Package: "jkk_jkm", DeclaredIncome: 2000000, PaymentMonths: 3,
			PartnerID: p.partner, Status: models.EnrollmentPendingPayment, MonthlyPremium: 10400, PeriodPremium: 31200,
			Channel: "telegram", CreatedAt: now, UpdatedAt: now})
		chat := fmt.Sprint(u.ID)
		modeltest.Exec(t, w.db, `UPDATE channel_contacts SET member_id = ? WHERE channel = 'telegram' AND chat_id = ?`, m.ID, chat)
		modeltest.Exec(t, w.db, `UPDATE conversations SET member_id = ? WHERE channel = 'telegram' AND chat_id = ?`, m.ID, chat)
		w.members[p.name] = m.ID
	}
}

// wait waits for cond, checked whenever the fake Bot API records something, and every 100 ms.
func (w *consoleWorld) wait(what string, cond func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			w.t.Fatalf("waiting for %s: timed out", what)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_ = w.api.Wait(ctx, cond)
		cancel()
	}
}

// run runs browser actions, failing the test with what was being done.
func (w *consoleWorld) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.browser, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		loc, _ := chromedp.Run(w.browser, chromedp.Location())
		w.t.Fatalf("%s: %v\nat %s:\n%s", what, err, loc, w.pageText("body"))
	}
}

// pageText is the text of the first element sel finds, "" when there is none yet.
func (w *consoleWorld) pageText(sel string) string {
	ctx, cancel := context.WithTimeout(w.browser, 5*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(`+strconv.Quote(sel)+`) || {}).innerText || ""`))
	return strings.TrimSpace(s)
}

// text is the text of the element sel finds, waiting for it to be there.
func (w *consoleWorld) text(sel string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.browser, 45*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		w.t.Fatalf("read %s: %v\n%s", sel, err, w.pageText("body"))
	}
	return strings.TrimSpace(s)
}

// waitText waits until the element's text contains want (htmx swaps it in).
func (w *consoleWorld) waitText(sel, want string) {
	w.t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		s := w.pageText(sel)
		if strings.Contains(s, want) {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s never showed %q (last %q)\n%s", sel, want, s, w.pageText("body"))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (w *consoleWorld) login(base, name, password string) {
	w.t.Helper()
	w.run("log in as "+name,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), name),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#logout")))
}

func (w *consoleWorld) logout() {
	w.t.Helper()
	w.run("log out", chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#login")))
}

// screenshot saves the page as name.png in the test's folder (and -screenshots) and checks
// it is not blank: a page of one colour, or nearly, means nothing was drawn.
func (w *consoleWorld) screenshot(name string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.browser, 45*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	must(w.t, err)
	path := filepath.Join(w.shots, name+".png")
	must(w.t, os.WriteFile(path, buf, 0o644))
	if *keepScreenshots != "" {
		must(w.t, os.MkdirAll(*keepScreenshots, 0o755))
		must(w.t, os.WriteFile(filepath.Join(*keepScreenshots, name+".png"), buf, 0o644))
	}
	img, err := png.Decode(bytes.NewReader(buf))
	must(w.t, err)
	if colours, share := richness(img); colours < 16 || share > 0.97 {
		w.t.Errorf("screenshot %s looks blank: %d colours, the commonest covers %.0f%%", path, colours, share*100)
	}
}

// richness counts an image's colours (to 4 bits a channel) and the share of its commonest.
func richness(img image.Image) (colours int, commonest float64) {
	counts := map[uint32]int{}
	b := img.Bounds()
	top := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			k := r>>12<<8 | g>>12<<4 | bl>>12
			counts[k]++
			top = max(top, counts[k])
		}
	}
	return len(counts), float64(top) / float64(b.Dx()*b.Dy())
}

// fitsPhone checks the page needs no sideways scrolling on a 360-pixel-wide phone.
func (w *consoleWorld) fitsPhone(path string) {
	w.t.Helper()
	w.run("open "+path+" on a phone",
		chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(w.base+path),
		chromedp.WaitVisible(chromedp.CSS("main")))
	fits, err := chromedp.Run(w.browser, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	must(w.t, err)
	w.screenshot("phone" + strings.NewReplacer("/", "-").Replace(strings.TrimSuffix(path, "/")))
	w.run("back to a desk's screen", chromedp.EmulateViewport(1280, 900))
	if !fits {
		w.t.Errorf("%s is wider than a phone's screen", path)
	}
}

func TestConsoleInBrowser(t *testing.T) {
	for _, dialect := range modeltest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			w := newConsoleWorld(t, dialect)
			t.Run("log in and out", w.testLogin)
			t.Run("partner sees only their workers", w.testPartnerScope)
			t.Run("broadcast to the end", w.testBroadcast)
			t.Run("handoff reply reaches the worker", w.testHandoff)
			t.Run("xlsx download", w.testExport)
			t.Run("cross-origin form refused", w.testCrossOrigin)
			t.Run("fits a phone", w.testPhone)
			if w.other != "" {
				t.Run("session shared by two serve processes", w.testTwoProcesses)
			}
		})
	}
}

func (w *consoleWorld) testLogin(t *testing.T) {
	w.t = t
	// Not logged in: any page leads to the log-in, and back to the page after it.
	w.run("open the workers' page", chromedp.Navigate(w.base+"/workers"), chromedp.WaitVisible(chromedp.CSS("#login")))
	w.run("a wrong password",
		chromedp.SendKeys(chromedp.CSS("#name"), "Admin Kantor"),
		chromedp.SendKeys(chromedp.CSS("#password"), "salah"),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS(".error")))
	if got := w.text(".error"); !strings.Contains(got, "salah") {
		t.Errorf("wrong password: %q", got)
	}
	w.run("the right one",
		chromedp.SendKeys(chromedp.CSS("#password"), consolePassword),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#workers")))
	if got := w.text("#workers tbody"); !strings.Contains(got, "Budi Santoso") || !strings.Contains(got, "Dewi Lestari") || strings.Contains(got, "3374011203900001") {
		t.Errorf("the admin's workers, NIK masked: %q", got)
	}
	w.run("the dashboard", chromedp.Navigate(w.base+"/"), chromedp.WaitVisible(chromedp.CSS("svg.columns")))
	if got := w.text(".cards"); !strings.Contains(got, "5") {
		t.Errorf("dashboard cards: %q", got)
	}
	w.screenshot("dashboard")
	w.logout()
	if got := w.text(".flash"); !strings.Contains(got, "keluar") {
		t.Errorf("after logging out: %q", got)
	}
	w.run("the dashboard again", chromedp.Navigate(w.base+"/"), chromedp.WaitVisible(chromedp.CSS("#login")))
}

func (w *consoleWorld) testPartnerScope(t *testing.T) {
	w.t = t
	w.login(w.base, "Ansor Satu", consolePassword)
	w.run("the workers", chromedp.Navigate(w.base+"/workers"), chromedp.WaitVisible(chromedp.CSS("#workers")))
	got := w.text("#workers tbody")
	for _, name := range []string{"Budi Santoso", "Sri Wahyuni", "Agus Salim"} {
		if !strings.Contains(got, name) {
			t.Errorf("GP Ansor's staff do not see their worker %s: %q", name, got)
		}
	}
	for _, name := range []string{"Dewi Lestari", "Joko Widodo"} {
		if strings.Contains(got, name) {
			t.Errorf("GP Ansor's staff see %s, not their worker", name)
		}
	}
	// Typing the address of another partner's worker: not found, nothing of them shown.
	w.run("another partner's worker by address", chromedp.Navigate(fmt.Sprintf("%s/workers/%d", w.base, w.members["Dewi Lestari"])),
		chromedp.WaitVisible(chromedp.CSS(".error")))
	body := w.pageText("body")
	if strings.Contains(body, "Dewi") || !strings.Contains(strings.ToLower(w.text(".error")), "tidak ditemukan") {
		t.Errorf("another partner's worker: %q", body)
	}
	// Their own worker opens.
	w.run("their own worker", chromedp.Navigate(fmt.Sprintf("%s/workers/%d", w.base, w.members["Budi Santoso"])),
		chromedp.WaitVisible(chromedp.CSS("#identity")))
	w.screenshot("worker")
	if got := w.text("#nik"); got != "3374********0001" {
		t.Errorf("NIK shown %q, want it masked", got)
	}
	w.logout()
}

func (w *consoleWorld) testBroadcast(t *testing.T) {
	w.t = t
	w.login(w.base, "Admin Kantor", consolePassword)
	const text = "Sosialisasi BPJS Ketenagakerjaan di balai desa, Sabtu jam 9. Ajak teman ya!"
	w.run("write an announcement",
		chromedp.Navigate(w.base+"/broadcasts/new"),
		chromedp.WaitVisible(chromedp.CSS("#text_id")),
		chromedp.SendKeys(chromedp.CSS("#text_id"), text))
	w.waitText("#count", "5 penerima")
	// The count follows the segment: GP Ansor's workers only.
	w.run("choose GP Ansor",
		chromedp.Click(chromedp.Search(`//summary[contains(., "Mitra")]`)),
		chromedp.Click(chromedp.CSS(`input[name=partner][value=ansor_jateng]`)))
	w.waitText("#count", "3 penerima")
	w.screenshot("composer")
	w.run("preview", chromedp.Click(chromedp.CSS("#preview")), chromedp.WaitVisible(chromedp.CSS("#preview-panel")))
	if got := w.text("#preview-panel"); !strings.Contains(got, text) || !strings.Contains(got, "BERHENTI") {
		t.Errorf("preview: %q", got)
	}
	w.run("send", chromedp.Click(chromedp.CSS("#send")), chromedp.WaitVisible(chromedp.CSS("#report")))
	// The report refreshes itself until every message is out.
	w.waitText("#report-status", "selesai")
	w.screenshot("report")
	if sent := w.text("#sent"); sent != "3" {
		t.Errorf("sent %s, want 3", sent)
	}
	for _, name := range []string{"Budi Santoso", "Sri Wahyuni", "Agus Salim"} {
		got := false
		for _, m := range w.users[name].Messages() {
			got = got || strings.Contains(m.Text, text)
		}
		if !got {
			t.Errorf("%s did not get the announcement", name)
		}
	}
	for _, m := range w.users["Dewi Lestari"].Messages() {
		if strings.Contains(m.Text, text) {
			t.Error("a worker of another partner got the announcement")
		}
	}
}

func (w *consoleWorld) testHandoff(t *testing.T) {
	w.t = t
	u := w.users["Sri Wahyuni"]
	u.Text("mau bicara sama petugas")
	var id int64
	w.wait("the request", func() bool {
		id = modeltest.Scan[int64](t, w.db, `SELECT COALESCE(MAX(id), 0) FROM handoff_requests WHERE chat_id = ? AND status = 'open'`, fmt.Sprint(u.ID))
		return id != 0
	})
	w.run("the queue", chromedp.Navigate(w.base+"/handoffs"), chromedp.WaitVisible(chromedp.CSS("#queue")))
	w.waitText("#queue", "mau bicara sama petugas")
	w.run("open the request", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/console/handoffs/%d"]`, id))),
		chromedp.WaitVisible(chromedp.CSS("#conversation")))
	// What the worker writes now appears without reloading.
	u.Text("kartu saya belum jadi, NIK 3374011203900002")
	w.waitText("#conversation", "kartu saya belum jadi")
	if got := w.text("#conversation"); strings.Contains(got, "3374011203900002") {
		t.Errorf("the NIK the worker typed is shown in full: %q", got)
	}
	const reply = "Halo Bu Sri, kartunya sedang kami cek. Mohon ditunggu ya."
	n := len(u.Messages())
	w.run("reply",
		chromedp.SendKeys(chromedp.CSS("#reply"), reply),
		chromedp.Click(chromedp.CSS("#send-reply")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	w.wait("the reply on Telegram", func() bool {
		for _, m := range u.Messages()[n:] {
			if strings.Contains(m.Text, reply) {
				return true
			}
		}
		return false
	})
	w.screenshot("handoff")
	w.run("close", chromedp.Click(chromedp.CSS("#close")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	w.waitText("#handoff-status", "selesai")
}

func (w *consoleWorld) testExport(t *testing.T) {
	w.t = t
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(w.browser, 45*time.Second)
	defer cancel()
	events := true
	_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events})
	must(t, err)
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	w.run("choose Central Java's workers",
		chromedp.Navigate(w.base+"/exports"),
		chromedp.WaitVisible(chromedp.CSS("#segment")),
		chromedp.Click(chromedp.Search(`//summary[contains(., "Provinsi")]`)),
		chromedp.Click(chromedp.CSS(`input[name=province][value="33"]`)))
	w.waitText("#count", "3 baris")
	w.run("download", chromedp.Click(chromedp.CSS("#xlsx")))
	var guid string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("the download did not finish: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			guid = ev.GUID
			break
		}
	}
	f, err := excelize.OpenFile(filepath.Join(dir, guid))
	must(t, err)
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	must(t, err)
	if len(rows) != 4 || rows[0][3] != "nik" {
		t.Fatalf("%d rows: %v", len(rows), rows)
	}
	for _, r := range rows[1:] {
		if r[8] != "33" || !strings.Contains(r[3], "********") || !strings.Contains(r[4], "*") {
			t.Errorf("row %v: not Central Java, or NIK and phone not masked", r)
		}
	}
}

func (w *consoleWorld) testCrossOrigin(t *testing.T) {
	w.t = t
	// Another site (another port: same site, other origin; the session cookie goes along)
	// posts a form to disable a partner as soon as the admin opens it.
	evil := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(rw, `<form method="post" action="%s/partners/ansor_jateng/disable"></form><script>document.forms[0].submit()</script>`, w.base)
	}))
	defer evil.Close()
	w.run("open the other site", chromedp.Navigate(evil.URL), chromedp.WaitVisible(chromedp.CSS(".error")))
	if got := w.text(".error"); !strings.Contains(got, "situs lain") {
		t.Errorf("the forged form's answer: %q", got)
	}
	if !modeltest.One[models.Partner](t, w.db, "code = 'ansor_jateng'").Active {
		t.Fatal("the forged form disabled the partner")
	}
	// The same form on the console's own page goes through.
	w.run("the partners page", chromedp.Navigate(w.base+"/partners"), chromedp.WaitVisible(chromedp.CSS("#partner-ansor_jateng")))
	w.screenshot("partners")
}

func (w *consoleWorld) testPhone(t *testing.T) {
	w.t = t
	for _, p := range []string{"/", "/workers", "/broadcasts/new", "/handoffs", "/partners", "/exports",
		fmt.Sprintf("/workers/%d", w.members["Budi Santoso"])} {
		w.fitsPhone(p)
	}
}

func (w *consoleWorld) testTwoProcesses(t *testing.T) {
	w.t = t
	// Logged in on the first process (the admin still is), the second knows the session.
	w.run("the second process", chromedp.Navigate(w.other+"/workers"), chromedp.WaitVisible(chromedp.CSS("#workers")))
	w.logout()
	w.run("the first process after logging out on the second", chromedp.Navigate(w.base+"/"), chromedp.WaitVisible(chromedp.CSS("#login")))
}
