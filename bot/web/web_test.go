package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"bpubot/bot/staff"
	"bpubot/bot/web"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"

	"github.com/xuri/excelize/v2"
)

var ctx = context.Background()

const password = "kata-sandi-panjang"

// world is the console on a fresh database: two partners (GP Ansor, and Karang Taruna which
// pays its workers' premiums), an admin, a staff member, one partner staff member of each, and
// workers of each partner and of none.
type world struct {
	t       *testing.T
	db      *models.DB
	svc     *staff.Service
	clock   *flowtest.Clock
	console *web.Console
	srv     *httptest.Server
	members map[string]int64 // by chat id
	ansorID int64
}

// people: chat id, partner code, occupation, province, regency.
var people = [][5]string{
	{"101", "ansor_jateng", "ojol", "33", "3374"},
	{"102", "ansor_jateng", "pedagang", "33", "3301"},
	{"103", "karang_taruna", "nelayan", "32", "3201"},
	{"104", "", "ojol", "32", "3273"},
}

func newWorld(t *testing.T, db *models.DB) *world {
	t.Helper()
	clock := flowtest.NewClock(flowtest.Start)
	key, _ := models.ParseKey(flowtest.Key)
	sealer, _ := models.NewSealer(key)
	w := &world{t: t, db: db, clock: clock, members: map[string]int64{}}
	w.svc = &staff.Service{DB: db, Clock: clock, Sealer: sealer, Log: slog.New(slog.DiscardHandler),
		Config: staff.Config{Location: time.UTC, HandoffTimeout: 24 * time.Hour, PlainChannels: []string{"whatsapp", "console"}, StaffLang: "id"}}
	op := staff.Operator()
	pa, err := w.svc.AddPartner(ctx, op, "ansor_jateng", "GP Ansor Jawa Tengah", false, false)
	must(t, err)
	pb, err := w.svc.AddPartner(ctx, op, "karang_taruna", "Karang Taruna", true, false)
	must(t, err)
	w.ansorID = pa.ID
	partners := map[string]int64{"ansor_jateng": pa.ID, "karang_taruna": pb.ID}
	for _, s := range []staff.NewStaff{
		{Name: "Admin Kantor", Role: models.RoleAdmin}, {Name: "Siti", Role: models.RoleStaff},
		{Name: "Ansor Satu", Role: models.RolePartner, PartnerCode: "ansor_jateng"},
		{Name: "Taruna Satu", Role: models.RolePartner, PartnerCode: "karang_taruna"},
	} {
		_, err := w.svc.AddStaff(ctx, op, s)
		must(t, err)
		must(t, w.svc.SetPassword(ctx, op, s.Name, password))
	}
	now := clock.Now()
	for i, p := range people {
		nik := fmt.Sprintf("33740101900%05d", i)
		m := models.Member{FullName: fmt.Sprintf("Pekerja %s", p[0]), Phone: fmt.Sprintf("+6281200000%s", p[0]), Occupation: p[2],
			ProvinceCode: p[3], RegencyCode: p[4], Lang: "id", NIKEnc: sealer.Seal(nik), NIKHash: sealer.Hash(nik), CreatedAt: now, UpdatedAt: now}
		modeltest.Insert(t, db, &m)
		e := models.Enrollment{MemberID: m.ID, Package: "jkk_jkm", DeclaredIncome: 1000000, PaymentMonths: 1, Status: models.EnrollmentPendingPayment,
			MonthlyPremium: 16800, PeriodPremium: 16800, Channel: "telegram", CreatedAt: now, UpdatedAt: now}
		if id, ok := partners[p[1]]; ok {
			e.PartnerID = &id
		}
		modeltest.Insert(t, db, &e)
		modeltest.Insert(t, db, &models.ChannelContact{Channel: "telegram", ChatID: p[0], MemberID: &m.ID, FirstSeenAt: now, LastInboundAt: now})
		modeltest.Insert(t, db, &models.Conversation{Channel: "telegram", ChatID: p[0], MemberID: &m.ID, Flow: "menu", Lang: "id",
			Slots: "{}", Stack: "[]", Choices: "[]", CreatedAt: now, UpdatedAt: now})
		w.members[p[0]] = m.ID
	}
	cfg := web.DefaultConfig()
	cfg.TelegramBot, cfg.WhatsAppNumber = "bpu_test_bot", "+6281234567890"
	w.console, err = web.New(w.svc, nil, cfg, slog.New(slog.DiscardHandler))
	must(t, err)
	mux := http.NewServeMux()
	w.console.Mount(mux)
	w.srv = httptest.NewServer(mux)
	t.Cleanup(w.srv.Close)
	return w
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// client is a browser without JavaScript: a cookie jar, redirects not followed.
type client struct {
	t    *testing.T
	w    *world
	http *http.Client
}

func (w *world) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: w.t, w: w, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// as logs a staff member in.
func (w *world) as(name string) *client {
	c := w.client()
	if code, _, loc := c.post("/console/login", url.Values{"name": {name}, "password": {password}}); code != http.StatusSeeOther || loc != "/console/" {
		w.t.Fatalf("log-in as %s: %d to %q", name, code, loc)
	}
	return c
}

func (c *client) do(req *http.Request) (int, string, string) {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header.Get("Location")
}

func (c *client) get(path string) (int, string, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.w.srv.URL+path, nil)
	return c.do(req)
}

// post sends a form as a browser on the console's own page does.
func (c *client) post(path string, form url.Values) (int, string, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.w.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.w.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// missingKey finds a message key shown instead of its text.
var missingKey = regexp.MustCompile(`\b(console|status|package|occupation|broadcast|staff)\.[a-z_]+\.[a-z_.]+`)

func TestPagesInBothLanguages(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		_, err := w.svc.CreateBroadcast(ctx, staff.Operator(), staff.Draft{TextID: "Halo semua", Buttons: []string{"daftar"}})
		must(t, err)
		r := models.HandoffRequest{Channel: "telegram", ChatID: "101", MemberID: ptr(w.members["101"]), Question: "cara klaim?", CreatedAt: w.clock.Now()}
		must(t, models.CreateHandoff(db, &r))
		for _, lang := range []string{"id", "en"} {
			c := w.as("Admin Kantor")
			if lang == "en" {
				if code, _, _ := c.post("/console/lang", url.Values{"lang": {"en"}, "back": {"/console/"}}); code != http.StatusSeeOther {
					t.Fatalf("language switch: %d", code)
				}
			}
			for _, path := range []string{"/console/", "/console/workers", "/console/workers?q=pekerja", fmt.Sprintf("/console/workers/%d", w.members["101"]),
				"/console/broadcasts", "/console/broadcasts/new", "/console/broadcasts/1", "/console/broadcasts/1/edit", "/console/broadcasts/count?channel=telegram",
				"/console/handoffs", "/console/handoffs?status=closed", fmt.Sprintf("/console/handoffs/%d", r.ID), "/console/partners",
				"/console/exports", "/console/exports/count?province=33", "/console/regencies?province=33"} {
				code, body, _ := c.get(path)
				if code != http.StatusOK {
					t.Errorf("%s %s: %d\n%s", lang, path, code, body)
					continue
				}
				if m := missingKey.FindString(body); m != "" {
					t.Errorf("%s %s shows the key %s instead of its text", lang, path, m)
				}
			}
			if _, body, _ := c.get("/console/"); lang == "en" && !strings.Contains(body, "Overview") || lang == "id" && !strings.Contains(body, "Ringkasan") {
				t.Errorf("the dashboard is not in %s", lang)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestLogin(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		c := w.client()
		// Not logged in: pages send the browser to log in, and back after.
		if code, _, loc := c.get("/console/workers?q=budi"); code != http.StatusSeeOther || loc != "/console/login?next=%2Fconsole%2Fworkers%3Fq%3Dbudi" {
			t.Fatalf("not logged in: %d to %q", code, loc)
		}
		if code, _, loc := c.post("/console/login", url.Values{"name": {"siti"}, "password": {password}, "next": {"/console/workers?q=budi"}}); code != http.StatusSeeOther || loc != "/console/workers?q=budi" {
			t.Fatalf("log-in: %d to %q", code, loc)
		}
		// Somewhere else than the console is never where a log-in leads.
		for _, next := range []string{"https://evil.example/", "//evil.example/", "/console\\@evil.example"} {
			c := w.client()
			if _, _, loc := c.post("/console/login", url.Values{"name": {"Siti"}, "password": {password}, "next": {next}}); loc != "/console/" {
				t.Errorf("next %q led to %q", next, loc)
			}
		}
		if code, _, _ := c.get("/console/workers"); code != http.StatusOK {
			t.Fatalf("logged in: %d", code)
		}
		if code, _, loc := c.post("/console/logout", nil); code != http.StatusSeeOther || loc != "/console/login" {
			t.Fatalf("log-out: %d to %q", code, loc)
		}
		if code, _, _ := c.get("/console/workers"); code != http.StatusSeeOther {
			t.Fatalf("after log-out: %d", code)
		}
		// A staff member disabled while logged in is out at their next click.
		c = w.as("Siti")
		_, err := w.svc.SetDisabled(ctx, staff.Operator(), "Siti", true)
		must(t, err)
		if code, _, _ := c.get("/console/"); code != http.StatusSeeOther {
			t.Fatalf("disabled staff: %d", code)
		}
		n := modeltest.Count[models.AuditEntry](t, db, "action IN ('login', 'logout')")
		if n < 4 {
			t.Errorf("log-ins and log-outs audited: %d", n)
		}
	})
}

func TestLoginLimits(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		c := w.client()
		try := func(name, pw string) int {
			code, _, _ := c.post("/console/login", url.Values{"name": {name}, "password": {pw}})
			return code
		}
		for i := range 5 {
			if code := try("Siti", fmt.Sprintf("tebakan-%d", i)); code != http.StatusUnauthorized {
				t.Fatalf("wrong password %d: %d", i, code)
			}
		}
		// The sixth try is refused before the password is looked at, even the right one.
		if code := try("siti", password); code != http.StatusTooManyRequests {
			t.Fatalf("after five wrong passwords: %d", code)
		}
		// Another account from the same address still logs in.
		if code := try("Admin Kantor", password); code != http.StatusSeeOther {
			t.Fatalf("another account: %d", code)
		}
		// Once the window has passed, Siti may try again.
		w.clock.Advance(16 * time.Minute)
		if code := try("Siti", password); code != http.StatusSeeOther {
			t.Fatalf("after the window: %d", code)
		}
		limited := modeltest.Count[models.AuditEntry](t, db, "action = 'login_limited'")
		if limited != 1 {
			t.Errorf("refused log-ins audited: %d", limited)
		}
		// Many accounts from one address: the address's limit.
		for i := range 20 {
			try(fmt.Sprintf("nobody-%d", i), "x")
		}
		if code := try("Ansor Satu", password); code != http.StatusTooManyRequests {
			t.Fatalf("after twenty failures from the address: %d", code)
		}
	})
}

func TestCrossOriginRefused(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		c := w.as("Admin Kantor")
		for _, h := range []map[string]string{
			{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
			{"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site"}, // another port of the same host
			{"Origin": "https://evil.example"},                              // an older browser: the origin alone
		} {
			req, _ := http.NewRequest(http.MethodPost, w.srv.URL+"/console/partners/ansor_jateng/disable", nil)
			for k, v := range h {
				req.Header.Set(k, v)
			}
			code, body, _ := c.do(req)
			if code != http.StatusForbidden || !strings.Contains(body, "situs lain") {
				t.Errorf("%v: %d", h, code)
			}
		}
		p := modeltest.One[models.Partner](t, db, "code = 'ansor_jateng'")
		if !p.Active {
			t.Fatal("a cross-origin form disabled the partner")
		}
		if code, _, _ := c.post("/console/partners/ansor_jateng/disable", nil); code != http.StatusSeeOther {
			t.Fatalf("the console's own form: %d", code)
		}
		p = modeltest.One[models.Partner](t, db, "code = 'ansor_jateng'")
		if p.Active {
			t.Fatal("the console's own form did not disable the partner")
		}
	})
}

// TestRoles: every route, for every role, answers what the role allows; partner staff reach
// neither another partner's workers nor their requests, whatever address they type.
func TestRoles(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		taruna, ansor := w.members["103"], w.members["101"]
		h := models.HandoffRequest{Channel: "telegram", ChatID: "103", MemberID: &taruna, Question: "tolong", CreatedAt: w.clock.Now()}
		must(t, models.CreateHandoff(db, &h))
		b, err := w.svc.CreateBroadcast(ctx, staff.Operator(), staff.Draft{TextID: "Untuk semua"})
		must(t, err)
		routes := []struct {
			method, path string
			form         url.Values
			// want by role: admin, staff, partner (GP Ansor)
			admin, staff, partner int
		}{
			{"GET", "/console/", nil, 200, 200, 200},
			{"GET", fmt.Sprintf("/console/workers/%d", ansor), nil, 200, 200, 200},
			{"GET", fmt.Sprintf("/console/workers/%d", taruna), nil, 200, 200, 404},
			{"POST", fmt.Sprintf("/console/workers/%d/reveal", ansor), url.Values{"reason": {"verifikasi klaim"}}, 200, 403, 403},
			{"GET", fmt.Sprintf("/console/handoffs/%d", h.ID), nil, 200, 200, 404},
			{"GET", fmt.Sprintf("/console/handoffs/%d/messages", h.ID), nil, 200, 200, 404},
			{"POST", fmt.Sprintf("/console/handoffs/%d/reply", h.ID), url.Values{"text": {"halo"}}, 303, 303, 404},
			{"GET", fmt.Sprintf("/console/broadcasts/%d", b.ID), nil, 200, 200, 404},
			{"POST", fmt.Sprintf("/console/broadcasts/%d/cancel", b.ID), nil, 303, 409, 404},
			{"POST", "/console/partners", url.Values{"code": {"baru_01"}, "name": {"Mitra Baru"}}, 303, 403, 403},
			{"POST", "/console/partners/karang_taruna/disable", nil, 303, 403, 403},
			{"GET", "/console/partners/karang_taruna/poster.png", nil, 200, 200, 404},
			{"GET", "/console/partners/ansor_jateng/poster.pdf", nil, 200, 200, 200},
			{"GET", "/console/exports/members?format=csv", nil, 200, 200, 200},
		}
		for _, role := range []struct {
			name string
			want func(int, int, int) int
		}{
			{"Admin Kantor", func(a, _, _ int) int { return a }},
			{"Siti", func(_, s, _ int) int { return s }},
			{"Ansor Satu", func(_, _, p int) int { return p }},
		} {
			c := w.as(role.name)
			for _, r := range routes {
				var code int
				var body string
				if r.method == "GET" {
					code, body, _ = c.get(r.path)
				} else {
					code, body, _ = c.post(r.path, r.form)
				}
				if want := role.want(r.admin, r.staff, r.partner); code != want {
					t.Errorf("%s: %s %s = %d, want %d\n%s", role.name, r.method, r.path, code, want, body)
				}
				if code == http.StatusNotFound && strings.Contains(body, "Pekerja 103") {
					t.Errorf("%s: %s %s shows another partner's worker", role.name, r.method, r.path)
				}
			}
		}
		// Not logged in, every route leads to the log-in.
		c := w.client()
		for _, r := range routes {
			var code int
			if r.method == "GET" {
				code, _, _ = c.get(r.path)
			} else {
				code, _, _ = c.post(r.path, r.form)
			}
			if code != http.StatusSeeOther {
				t.Errorf("not logged in: %s %s = %d", r.method, r.path, code)
			}
		}
	})
}

func TestExports(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		for _, c := range []struct {
			who, query string
			rows       int
		}{
			{"Admin Kantor", "format=xlsx", 4},
			{"Admin Kantor", "format=xlsx&province=33", 2},
			{"Ansor Satu", "format=xlsx", 2},                       // their own partner's
			{"Ansor Satu", "format=xlsx&partner=karang_taruna", 0}, // never another's
			{"Taruna Satu", "format=xlsx&province=32", 1},
		} {
			code, body, _ := w.as(c.who).get("/console/exports/members?" + c.query)
			if code != http.StatusOK {
				t.Fatalf("%s %s: %d", c.who, c.query, code)
			}
			f, err := excelize.OpenReader(strings.NewReader(body))
			must(t, err)
			rows, err := f.GetRows("Sheet1")
			must(t, err)
			if len(rows)-1 != c.rows {
				t.Errorf("%s %s: %d rows, want %d", c.who, c.query, len(rows)-1, c.rows)
			}
			for _, r := range rows[1:] {
				if !strings.Contains(r[3], "********") || strings.Contains(r[4], "000010") {
					t.Errorf("NIK or phone not masked: %v", r)
				}
			}
		}
		code, body, _ := w.as("Admin Kantor").get("/console/exports/members?format=csv&occupation=ojol")
		if code != http.StatusOK || strings.Count(body, "\n") != 3 || !strings.HasPrefix(body, "enrollment_id,") {
			t.Errorf("csv: %d\n%s", code, body)
		}
		if code, body, _ := w.as("Admin Kantor").get("/console/exports/members?format=csv&from=kemarin"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "kemarin") {
			t.Errorf("a date that cannot be read: %d", code)
		}
		audited := modeltest.Count[models.AuditEntry](t, db, "action = 'export.members'")
		if audited != 6 {
			t.Errorf("exports audited: %d, want 6", audited)
		}
	})
}

func TestBroadcastPages(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		c := w.as("Ansor Satu")
		// The live count is the partner's own workers, whatever is ticked.
		if _, body, _ := c.get("/console/broadcasts/count"); !strings.Contains(body, "2 penerima") {
			t.Errorf("count: %s", body)
		}
		// An empty text comes back with what was chosen kept.
		code, body, _ := c.post("/console/broadcasts", url.Values{"text_id": {"  "}, "occupation": {"ojol"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="ojol" checked`) {
			t.Fatalf("empty text: %d", code)
		}
		code, _, loc := c.post("/console/broadcasts", url.Values{"text_id": {"Rapat anggota Sabtu."}, "button": {"daftar"}, "occupation": {"ojol"}})
		if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/broadcasts/") {
			t.Fatalf("create: %d %q", code, loc)
		}
		_, body, _ = c.get(loc)
		if !strings.Contains(body, "Rapat anggota Sabtu.") || !strings.Contains(body, "1 penerima") || !strings.Contains(body, "BERHENTI") {
			t.Fatalf("preview:\n%s", body)
		}
		if code, _, _ := c.post(loc+"/send", nil); code != http.StatusSeeOther {
			t.Fatalf("send: %d", code)
		}
		_, body, _ = c.get(loc)
		if !strings.Contains(body, `hx-trigger="every 2s"`) {
			t.Error("the report of a broadcast being sent does not refresh itself")
		}
		id := strings.TrimPrefix(loc, "/console/broadcasts/")
		var bid int64
		fmt.Sscan(id, &bid)
		_, err := w.svc.FanOut(ctx, bid)
		must(t, err)
		modeltest.Exec(t, db, `UPDATE outbox SET status = 'sent', sent_at = ? WHERE broadcast_id = ?`, w.clock.Now(), bid)
		// The last refresh finds everything sent: done, and no more refreshing.
		_, body, _ = c.get(loc + "/progress")
		if !strings.Contains(body, "selesai") || strings.Contains(body, "hx-trigger") {
			t.Errorf("progress after the last message:\n%s", body)
		}
		audits := modeltest.Count[models.AuditEntry](t, db, "action = 'broadcast.report'")
		if audits != 1 {
			t.Errorf("report views audited %d times, want once (refreshes are not)", audits)
		}
	})
}

func TestHandoffReply(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		m := w.members["101"]
		h := models.HandoffRequest{Channel: "telegram", ChatID: "101", MemberID: &m, Question: "kartu belum jadi", CreatedAt: w.clock.Now()}
		must(t, models.CreateHandoff(db, &h))
		c := w.as("Ansor Satu")
		path := fmt.Sprintf("/console/handoffs/%d", h.ID)
		if code, body, _ := c.post(path+"/reply", url.Values{"text": {"   "}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="reply"`) {
			t.Fatalf("empty reply: %d", code)
		}
		if code, _, _ := c.post(path+"/reply", url.Values{"text": {"Halo, kami bantu cek ya."}}); code != http.StatusSeeOther {
			t.Fatalf("reply: %d", code)
		}
		sent := modeltest.Rows[models.Outbox](t, db, "channel = 'telegram' AND recipient = '101'")
		if len(sent) != 1 || !strings.Contains(sent[0].Payload, "Halo, kami bantu cek ya.") {
			t.Fatalf("to the worker: %v", sent)
		}
		must(t, models.AddHandoffMessage(db, h.ID, "terima kasih, NIK saya 3374010190000000", w.clock.Now()))
		_, body, _ := c.get(path + "/messages")
		if !strings.Contains(body, "terima kasih") || strings.Contains(body, "3374010190000000") {
			t.Errorf("the worker's messages, masked:\n%s", body)
		}
		if code, _, _ := c.post(path+"/close", nil); code != http.StatusSeeOther {
			t.Fatalf("close: %d", code)
		}
		if code, _, _ := c.post(path+"/reply", url.Values{"text": {"masih ada?"}}); code != http.StatusUnprocessableEntity {
			t.Errorf("reply to a closed request: %d", code)
		}
	})
}

func TestStaticFiles(t *testing.T) {
	w := newWorld(t, modeltest.MustOpen(t, models.SQLite))
	for _, f := range []struct{ path, kind, has string }{
		{"/console/static/htmx.min.js", "javascript", "Zero-Clause BSD"},
		{"/console/static/console.css", "text/css", "--green"},
	} {
		res, err := http.Get(w.srv.URL + f.path)
		must(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), f.kind) || !strings.Contains(string(body), f.has) ||
			res.Header.Get("Cache-Control") != "public, max-age=3600" || res.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: %d %v", f.path, res.StatusCode, res.Header)
		}
	}
	// Pages are never cached: they hold personal data.
	res, err := http.Get(w.srv.URL + "/console/login")
	must(t, err)
	res.Body.Close()
	if res.Header.Get("Cache-Control") != "no-store" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("log-in page headers %v", res.Header)
	}
}
