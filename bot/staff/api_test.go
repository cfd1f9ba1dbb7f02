package staff_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"bpubot/bot/staff"
	"bpubot/models"
	"bpubot/models/modeltest"
)

func TestBroadcastAPI(t *testing.T) {
	modeltest.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		w.seed(t)
		mux := http.NewServeMux()
		w.svc.MountAPI(mux)
		srv := httptest.NewServer(mux)
		defer srv.Close()
		tokens := map[string]string{}
		for _, name := range []string{"Siti", "Ansor Satu", "Taruna Satu"} {
			tok, err := w.svc.IssueToken(ctx, w.op, name)
			must(t, err)
			tokens[name] = tok
		}
		call := func(who, method, path, body string, out any) int {
			t.Helper()
			req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
			if who != "" {
				req.Header.Set("Authorization", "Bearer "+tokens[who])
			}
			res, err := http.DefaultClient.Do(req)
			must(t, err)
			defer res.Body.Close()
			if out != nil {
				_ = json.NewDecoder(res.Body).Decode(out)
			}
			return res.StatusCode
		}
		if code := call("", "GET", "/api/broadcasts", "", nil); code != 401 {
			t.Fatalf("no token: %d", code)
		}
		tokens["bad"] = "bpu_0000"
		if code := call("bad", "GET", "/api/broadcasts", "", nil); code != 401 {
			t.Fatalf("bad token: %d", code)
		}
		var b staff.Broadcast
		if code := call("Ansor Satu", "POST", "/api/broadcasts", `{"text_id":"Info untuk anggota Ansor.","buttons":["daftar"],"segment":{"channels":["telegram"]}}`, &b); code != 201 {
			t.Fatalf("create: %d", code)
		}
		var p staff.Preview
		if code := call("Ansor Satu", "POST", "/api/broadcasts/1/preview", "", &p); code != 200 || p.Recipients != 2 {
			t.Fatalf("preview: %d %+v", code, p.Counts)
		}
		// Another partner's staff: not found, by any route.
		for _, r := range []struct{ method, path string }{{"GET", "/api/broadcasts/1"}, {"POST", "/api/broadcasts/1/preview"},
			{"POST", "/api/broadcasts/1/send"}, {"POST", "/api/broadcasts/1/cancel"}} {
			if code := call("Taruna Satu", r.method, r.path, "", nil); code != 404 {
				t.Errorf("%s %s by another partner: %d", r.method, r.path, code)
			}
		}
		var e struct{ Error string }
		if code := call("Siti", "POST", "/api/broadcasts", `{"text_id":""}`, &e); code != 422 || e.Error == "" {
			t.Errorf("empty text: %d %q", code, e.Error)
		}
		var sent staff.Broadcast
		if code := call("Ansor Satu", "POST", "/api/broadcasts/1/send", "", &sent); code != 200 || sent.Status != models.BroadcastSending {
			t.Fatalf("send: %d %s", code, sent.Status)
		}
		if code := call("Ansor Satu", "POST", "/api/broadcasts/1/send", "", nil); code != 409 {
			t.Errorf("send twice: %d", code)
		}
		_, err := w.svc.FanOut(ctx, 1)
		must(t, err)
		var rep staff.Report
		if code := call("Ansor Satu", "GET", "/api/broadcasts/1/report", "", &rep); code != 200 || rep.Queued != 2 || rep.Pending != 2 {
			t.Errorf("report: %d %+v", code, rep)
		}
		var list []staff.Broadcast
		if code := call("Taruna Satu", "GET", "/api/broadcasts", "", &list); code != 200 || len(list) != 0 {
			t.Errorf("another partner's list: %d, %d broadcasts", code, len(list))
		}
	})
}
