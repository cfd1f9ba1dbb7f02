package fakeapi

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// multipartBody is a request body as go-telegram/bot writes it: one form field per parameter,
// objects as JSON.
func multipartBody(t testing.TB, fields [][2]string) (body []byte, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

func TestReadForm(t *testing.T) {
	mp, mpType := multipartBody(t, [][2]string{{"chat_id", "42"}, {"text", "halo\r\ndunia"}, {"text", "dua"}, {"reply_markup", `{"inline_keyboard":[]}`}})
	var withFile bytes.Buffer
	fw := multipart.NewWriter(&withFile)
	_ = fw.WriteField("chat_id", "7")
	part, _ := fw.CreateFormFile("photo", "a.jpg")
	_, _ = part.Write([]byte("jpeg"))
	_ = fw.Close()
	empty := multipart.NewWriter(io.Discard)
	_, params, _ := mime.ParseMediaType(mpType)
	boundary := params["boundary"]
	tests := []struct {
		name, contentType, body string
		want                    url.Values
	}{
		{"multipart", mpType, string(mp), url.Values{"chat_id": {"42"}, "text": {"halo\r\ndunia", "dua"}, "reply_markup": {`{"inline_keyboard":[]}`}}},
		{"multipart with a file", fw.FormDataContentType(), withFile.String(), url.Values{"chat_id": {"7"}}},
		// go-telegram/bot sends no parts at all for methods without parameters (getMe).
		{"multipart, empty body", empty.FormDataContentType(), "", url.Values{}},
		{"multipart, no parts", empty.FormDataContentType(), "--" + empty.Boundary() + "--\r\n", url.Values{}},
		{"url-encoded", "application/x-www-form-urlencoded", "chat_id=42&text=halo+dunia", url.Values{"chat_id": {"42"}, "text": {"halo dunia"}}},
		{"json", "application/json", `{"chat_id":42,"text":"halo","reply_markup":{"inline_keyboard":[]}}`, url.Values{"chat_id": {"42"}, "text": {"halo"}, "reply_markup": {`{"inline_keyboard":[]}`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/bot"+Token+"/sendMessage", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", tt.contentType)
			got, err := readForm(r)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("readForm = %#v, want %#v", got, tt.want)
			}
		})
	}
	for _, bad := range []struct{ contentType, body string }{
		{"multipart/form-data", "x"}, // no boundary
		{mpType, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\ncut short"},
		{"application/json", "{"},
	} {
		r := httptest.NewRequest(http.MethodPost, "/bot"+Token+"/sendMessage", strings.NewReader(bad.body))
		r.Header.Set("Content-Type", bad.contentType)
		if got, err := readForm(r); err == nil {
			t.Errorf("readForm(%q, %q) = %v, want an error", bad.contentType, bad.body, got)
		}
	}
}

// call makes one API call on s and returns the status and the decoded answer.
func call(t testing.TB, s *Server, method string, fields [][2]string) (int, map[string]any) {
	t.Helper()
	body, ct := multipartBody(t, fields)
	r := httptest.NewRequest(http.MethodPost, "/bot"+s.Token+"/"+method, bytes.NewReader(body))
	r.Header.Set("Content-Type", ct)
	w := httptest.NewRecorder()
	s.serveHTTP(w, r)
	if got := w.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("%s: Content-Type %q", method, got)
	}
	var res map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatalf("%s: %v in %s", method, err, w.Body)
	}
	return w.Code, res
}

// TestAnswers checks the JSON the fake answers with, field by field.
func TestAnswers(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	before := time.Now().Unix()

	code, got := call(t, s, "getMe", nil)
	want := map[string]any{"ok": true, "result": map[string]any{"id": float64(BotID), "is_bot": true, "first_name": "bpubot", "username": "bpubot_test_bot"}}
	if code != 200 || !reflect.DeepEqual(got, want) {
		t.Errorf("getMe: %d %v", code, got)
	}
	if code, got = call(t, s, "deleteWebhook", nil); code != 200 || !reflect.DeepEqual(got, map[string]any{"ok": true, "result": true}) {
		t.Errorf("deleteWebhook: %d %v", code, got)
	}

	markup := `{"inline_keyboard":[[{"text":"Ya","callback_data":"ya"},{"text":"Tidak","callback_data":"tidak"}]]}`
	code, got = call(t, s, "sendMessage", [][2]string{{"chat_id", "42"}, {"text", "Lanjut? <b>&</b>"}, {"reply_markup", markup}})
	res, _ := got["result"].(map[string]any)
	date, _ := res["date"].(float64)
	if int64(date) < before || int64(date) > time.Now().Unix() {
		t.Errorf("sendMessage: date %v", res["date"])
	}
	want = map[string]any{"ok": true, "result": map[string]any{
		"message_id": float64(1), "date": date, "text": "Lanjut? <b>&</b>",
		"chat": map[string]any{"id": float64(42), "type": "private"},
		"from": map[string]any{"id": float64(BotID), "is_bot": true, "first_name": "bpubot"},
		"reply_markup": map[string]any{"inline_keyboard": []any{
			[]any{map[string]any{"text": "Ya", "callback_data": "ya"}},
			[]any{map[string]any{"text": "Tidak", "callback_data": "tidak"}},
		}},
	}}
	if code != 200 || !reflect.DeepEqual(got, want) {
		t.Errorf("sendMessage: %d %v", code, got)
	}

	code, got = call(t, s, "editMessageText", [][2]string{{"chat_id", "42"}, {"message_id", "1"}, {"text", "Ya"}})
	res, _ = got["result"].(map[string]any)
	editDate, _ := res["edit_date"].(float64)
	if int64(editDate) < before {
		t.Errorf("editMessageText: edit_date %v", res["edit_date"])
	}
	want = map[string]any{"ok": true, "result": map[string]any{
		"message_id": float64(1), "date": date, "edit_date": editDate, "text": "Ya",
		"chat": map[string]any{"id": float64(42), "type": "private"},
		"from": map[string]any{"id": float64(BotID), "is_bot": true, "first_name": "bpubot"},
	}}
	if code != 200 || !reflect.DeepEqual(got, want) {
		t.Errorf("editMessageText: %d %v", code, got)
	}

	code, got = call(t, s, "editMessageText", [][2]string{{"chat_id", "42"}, {"message_id", "9"}, {"text", "Ya"}})
	want = map[string]any{"ok": false, "error_code": float64(400), "description": "Bad Request: message to edit not found"}
	if code != 400 || !reflect.DeepEqual(got, want) {
		t.Errorf("editMessageText of no message: %d %v", code, got)
	}

	s.Fail(func(c Call) *Error {
		return &Error{Code: 429, Description: "Too Many Requests: retry after 3", RetryAfter: 3}
	})
	code, got = call(t, s, "sendMessage", [][2]string{{"chat_id", "42"}, {"text", "x"}})
	want = map[string]any{"ok": false, "error_code": float64(429), "description": "Too Many Requests: retry after 3", "parameters": map[string]any{"retry_after": float64(3)}}
	if code != 429 || !reflect.DeepEqual(got, want) {
		t.Errorf("429: %d %v", code, got)
	}
}

// TestUpdates checks the JSON of the updates simulated users make.
func TestUpdates(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	u := s.User(77, "Budi")
	from := map[string]any{"id": float64(77), "is_bot": false, "first_name": "Budi", "language_code": "id"}
	chat := map[string]any{"id": float64(77), "type": "private", "first_name": "Budi"}
	decode := func(body []byte) map[string]any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%v in %s", err, body)
		}
		// A message's date is the time it was made: any value within a few seconds of now
		// compares equal, so a second ticking over between two updates does not matter.
		if msg, ok := m["message"].(map[string]any); ok {
			if d, ok := msg["date"].(float64); ok && math.Abs(d-float64(time.Now().Unix())) <= 5 {
				msg["date"] = "now"
			}
		}
		return m
	}
	last := func() map[string]any {
		t.Helper()
		s.mu.Lock()
		defer s.mu.Unlock()
		return decode(s.updates[len(s.updates)-1].body)
	}
	message := func(id int64, msgID int, date any, fields map[string]any) map[string]any {
		msg := map[string]any{"message_id": float64(msgID), "from": from, "chat": chat, "date": date}
		for k, v := range fields {
			msg[k] = v
		}
		return map[string]any{"update_id": float64(id), "message": msg}
	}

	id, body := u.TextUpdate("/start ref")
	got := decode(body)
	date := got["message"].(map[string]any)["date"]
	want := message(id, 1, date, map[string]any{"text": "/start ref", "entities": []any{map[string]any{"type": "bot_command", "offset": float64(0), "length": float64(6)}}})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TextUpdate(/start):\n got %v\nwant %v", got, want)
	}
	id, body = u.TextUpdate("halo")
	if got, want := decode(body), message(id, 2, date, map[string]any{"text": "halo"}); !reflect.DeepEqual(got, want) {
		t.Errorf("TextUpdate:\n got %v\nwant %v", got, want)
	}
	id = u.Contact("628123", 77)
	if got, want := last(), message(id, 3, date, map[string]any{"contact": map[string]any{"phone_number": "628123", "first_name": "Budi", "user_id": float64(77)}}); !reflect.DeepEqual(got, want) {
		t.Errorf("Contact:\n got %v\nwant %v", got, want)
	}
	id = u.Contact("628123", 0)
	if got, want := last(), message(id, 4, date, map[string]any{"contact": map[string]any{"phone_number": "628123", "first_name": "Budi"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("Contact of nobody:\n got %v\nwant %v", got, want)
	}
	id = u.Photo()
	photo := []any{map[string]any{"file_id": "AgAD" + strconv.FormatInt(77, 36), "file_unique_id": "u1", "width": float64(90), "height": float64(90)}}
	if got, want := last(), message(id, 5, date, map[string]any{"photo": photo}); !reflect.DeepEqual(got, want) {
		t.Errorf("Photo:\n got %v\nwant %v", got, want)
	}
	id = u.Sticker()
	sticker := map[string]any{"file_id": "CAAD", "file_unique_id": "s1", "type": "regular", "width": float64(512), "height": float64(512), "is_animated": false, "is_video": false}
	if got, want := last(), message(id, 6, date, map[string]any{"sticker": sticker}); !reflect.DeepEqual(got, want) {
		t.Errorf("Sticker:\n got %v\nwant %v", got, want)
	}

	m := Message{ID: 5, ChatID: 77, Text: "Pilih", Buttons: []Button{{Text: "A", Data: "a"}}, At: time.Unix(1700000000, 0)}
	id = u.Press(m, "a")
	got = last()
	cq, _ := got["callback_query"].(map[string]any)
	want = map[string]any{"update_id": float64(id), "callback_query": map[string]any{
		"id": cq["id"], "from": from, "chat_instance": "ci77", "data": "a",
		"message": map[string]any{
			"message_id": float64(5), "date": float64(1700000000), "text": "Pilih",
			"chat":         map[string]any{"id": float64(77), "type": "private"},
			"from":         map[string]any{"id": float64(BotID), "is_bot": true, "first_name": "bpubot"},
			"reply_markup": map[string]any{"inline_keyboard": []any{[]any{map[string]any{"text": "A", "callback_data": "a"}}}},
		},
	}}
	if id, _ := cq["id"].(string); id == "" || !reflect.DeepEqual(got, want) {
		t.Errorf("Press:\n got %v\nwant %v", got, want)
	}
}

// BenchmarkSendMessage is one sendMessage with an inline keyboard as go-telegram/bot sends it,
// through the fake's handler.
func BenchmarkSendMessage(b *testing.B) {
	s := New(Options{DropHistory: true})
	defer s.Close()
	markup := `{"inline_keyboard":[[{"text":"Daftar","callback_data":"daftar"}],[{"text":"Cek status","callback_data":"status"}],[{"text":"Bantuan","callback_data":"bantuan"}]]}`
	body, ct := multipartBody(b, [][2]string{{"chat_id", "1000000001"}, {"text", strings.Repeat("Selamat datang di layanan pendaftaran. ", 8)}, {"reply_markup", markup}})
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/bot"+s.Token+"/sendMessage", bytes.NewReader(body))
		r.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		s.serveHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Body)
		}
	}
}

// BenchmarkTextUpdate makes the update of a typed message.
func BenchmarkTextUpdate(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	u := s.User(1000000001, "Budi")
	b.ReportAllocs()
	for b.Loop() {
		u.TextUpdate("Budi Santoso")
	}
}

// BenchmarkPress makes and queues the update of a pressed button.
func BenchmarkPress(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	u := s.User(1000000001, "Budi")
	m := Message{ID: 5, ChatID: u.ID, Text: strings.Repeat("Pilih paket. ", 10), At: time.Now(),
		Buttons: []Button{{Text: "JKK + JKM", Data: "jkk_jkm"}, {Text: "JKK + JKM + JHT", Data: "jkk_jkm_jht"}}}
	b.ReportAllocs()
	for b.Loop() {
		u.Press(m, "jkk_jkm")
		s.mu.Lock()
		s.updates = s.updates[:0]
		s.mu.Unlock()
	}
}
