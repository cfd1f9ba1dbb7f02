package telegram

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// received is what the test server saw of one request.
type received struct {
	contentLength    int64
	transferEncoding []string
	body             []byte
}

// recordingServer answers every request with a small JSON body and sends what it saw on the
// returned channel.
func recordingServer(t testing.TB) (*httptest.Server, <-chan received) {
	t.Helper()
	got := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("server: reading the body: %v", err)
		}
		select {
		case got <- received{r.ContentLength, r.TransferEncoding, body}:
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true,"result":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// pipedRequest is a POST whose body comes through an io.Pipe, as go-telegram/bot sends: the
// request does not know its length.
func pipedRequest(t testing.TB, url string, body []byte, writeErr error) *http.Request {
	t.Helper()
	pr, pw := io.Pipe()
	go func() {
		// Small writes, as a multipart.Writer makes.
		for rest := body; len(rest) > 0; {
			n := min(len(rest), 100)
			if _, err := pw.Write(rest[:n]); err != nil {
				return
			}
			rest = rest[n:]
		}
		pw.CloseWithError(writeErr) // nil: io.EOF
	}()
	req, err := http.NewRequest(http.MethodPost, url, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	return req
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func post(t *testing.T, client interface {
	Do(*http.Request) (*http.Response, error)
}, req *http.Request) {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestBufferedClientSendsContentLength(t *testing.T) {
	srv, got := recordingServer(t)
	client := bufferedClient{client: srv.Client()}
	for _, size := range []int{1, 100, 4096, 5000, maxPooledBody + 1, 100_000, maxBufferedBody} {
		body := randomBytes(size)
		req := pipedRequest(t, srv.URL, body, nil)
		reqBody := req.Body
		post(t, client, req)
		r := <-got
		if r.contentLength != int64(size) || len(r.transferEncoding) != 0 {
			t.Errorf("%d bytes: the server saw Content-Length %d, Transfer-Encoding %q", size, r.contentLength, r.transferEncoding)
		}
		if !bytes.Equal(r.body, body) {
			t.Errorf("%d bytes: the server got %d different bytes", size, len(r.body))
		}
		// The caller's request is as it was.
		if req.ContentLength != 0 || req.GetBody != nil || req.Body != reqBody {
			t.Errorf("%d bytes: the request was changed: %+v", size, req)
		}
	}

	// Without it the same request goes chunked: what bufferedClient is for.
	req := pipedRequest(t, srv.URL, []byte("abc"), nil)
	post(t, srv.Client(), req)
	if r := <-got; r.contentLength != -1 || len(r.transferEncoding) != 1 || r.transferEncoding[0] != "chunked" {
		t.Errorf("plain client: Content-Length %d, Transfer-Encoding %q", r.contentLength, r.transferEncoding)
	}
}

func TestBufferedClientEmptyBody(t *testing.T) {
	srv, got := recordingServer(t)
	post(t, bufferedClient{client: srv.Client()}, pipedRequest(t, srv.URL, nil, nil))
	if r := <-got; r.contentLength != 0 || len(r.transferEncoding) != 0 || len(r.body) != 0 {
		t.Errorf("empty body: Content-Length %d, Transfer-Encoding %q, %d bytes", r.contentLength, r.transferEncoding, len(r.body))
	}
}

// TestBufferedClientOverCap: a body longer than maxBufferedBody is streamed after the part
// read, whole.
func TestBufferedClientOverCap(t *testing.T) {
	srv, got := recordingServer(t)
	client := bufferedClient{client: srv.Client()}
	for _, size := range []int{maxBufferedBody + 1, maxBufferedBody + 2, maxBufferedBody + 300_000} {
		body := randomBytes(size)
		post(t, client, pipedRequest(t, srv.URL, body, nil))
		r := <-got
		if !bytes.Equal(r.body, body) {
			t.Errorf("%d bytes: the server got %d different bytes", size, len(r.body))
		}
		if r.contentLength != -1 {
			t.Errorf("%d bytes: Content-Length %d", size, r.contentLength)
		}
	}
}

// closeTracker is a body that records whether it was closed.
type closeTracker struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeTracker) Close() error { c.closed.Store(true); return nil }

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestBufferedClientReadError(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()
	client := bufferedClient{client: srv.Client()}
	errBoom := errors.New("boom")

	// Failing after some bytes, as go-telegram/bot's pipe does when a parameter cannot be
	// encoded.
	_, err := client.Do(pipedRequest(t, srv.URL+"/bot1:secret/getMe", []byte("part of the body"), errBoom))
	var uerr *url.Error
	if !errors.Is(err, errBoom) || !errors.As(err, &uerr) || uerr.Op != "Post" || uerr.URL != srv.URL+"/bot1:secret/getMe" {
		t.Errorf("Do: %#v, want %v in a *url.Error as http.Client gives", err, errBoom)
	}
	body := &closeTracker{Reader: io.MultiReader(strings.NewReader("abc"), errReader{errBoom})}
	req, _ := http.NewRequest(http.MethodPost, srv.URL, body)
	if _, err := client.Do(req); !errors.Is(err, errBoom) {
		t.Errorf("Do: %v, want %v", err, errBoom)
	}
	if !body.closed.Load() {
		t.Error("the body was not closed")
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the server got %d requests", n)
	}
}

// TestBufferedClientCanceled: a body that never ends does not hold the request past its
// context.
func TestBufferedClientCanceled(t *testing.T) {
	srv, _ := recordingServer(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, pr)
	go func() { _, _ = pw.Write([]byte("some")) }()
	if _, err := (bufferedClient{client: srv.Client()}).Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Do: %v, want %v", err, context.DeadlineExceeded)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestBufferedClientGetBody: the transport can read the body again, as it does to resend a
// request, even after the response came, and the bodies do not disturb one another.
func TestBufferedClientGetBody(t *testing.T) {
	want := randomBytes(10_000)
	var getBody func() (io.ReadCloser, error)
	client := bufferedClient{client: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.ContentLength != int64(len(want)) || r.GetBody == nil {
			t.Fatalf("the transport got Content-Length %d, GetBody %v", r.ContentLength, r.GetBody != nil)
		}
		getBody = r.GetBody
		half := make([]byte, len(want)/2)
		if _, err := io.ReadFull(r.Body, half); err != nil {
			t.Fatal(err)
		}
		again, err := r.GetBody()
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := io.ReadAll(again); !bytes.Equal(b, want) {
			t.Error("GetBody's body differs")
		}
		_ = again.Close()
		rest, _ := io.ReadAll(r.Body)
		if !bytes.Equal(append(half, rest...), want) {
			t.Error("the first body differs")
		}
		_ = r.Body.Close()
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})}}
	req := pipedRequest(t, "http://example.invalid/", want, nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if req.GetBody != nil {
		t.Error("the caller's request got a GetBody")
	}
	// Other requests reuse the read buffers meanwhile.
	for range 10 {
		resp, err := (bufferedClient{client: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			_ = r.Body.Close()
			return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
		})}}).Do(pipedRequest(t, "http://example.invalid/", randomBytes(10_000), nil))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	body, err := getBody()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(body); !bytes.Equal(b, want) {
		t.Error("GetBody's body after the request differs")
	}
}

// BenchmarkPipedPost is a POST as go-telegram/bot makes one (a multipart form written into an
// io.Pipe by a goroutine) and its small JSON answer, against a local server: through
// http.Client as it is (chunked) and through bufferedClient.
func BenchmarkPipedPost(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true,"result":{"message_id":1}}`)
	}))
	defer srv.Close()
	fields := [][2]string{
		{"chat_id", "1000000001"},
		{"text", strings.Repeat("Pilih paket perlindungan yang Anda inginkan. ", 6)},
		{"reply_markup", `{"inline_keyboard":[[{"text":"JKK + JKM","callback_data":"jkk_jkm"}],[{"text":"JKK + JKM + JHT","callback_data":"jkk_jkm_jht"}],[{"text":"Kembali","callback_data":"kembali"}]]}`},
	}
	for _, tc := range []struct {
		name     string
		buffered bool
	}{{"plain", false}, {"buffered", true}} {
		b.Run(tc.name, func(b *testing.B) {
			tr := &http.Transport{MaxIdleConnsPerHost: 16}
			defer tr.CloseIdleConnections()
			hc := &http.Client{Timeout: time.Minute, Transport: tr}
			var client interface {
				Do(*http.Request) (*http.Response, error)
			} = hc
			if tc.buffered {
				client = bufferedClient{client: hc}
			}
			b.ReportAllocs()
			report := cpuPerOp(b)
			for b.Loop() {
				pr, pw := io.Pipe()
				form := multipart.NewWriter(pw)
				go func() {
					for _, f := range fields {
						_ = form.WriteField(f[0], f[1])
					}
					_ = form.Close()
					_ = pw.Close()
				}()
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/bot1:x/sendMessage", pr)
				req.Header.Set("Content-Type", form.FormDataContentType())
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
			report()
		})
	}
}

// TestChannelBuffersBodies: the channel's own client sends go-telegram/bot's bodies with a
// Content-Length; one given with WithHTTPClient is used as it is.
func TestChannelBuffersBodies(t *testing.T) {
	srv, got := recordingServer(t)
	quiet := slog.New(slog.DiscardHandler)
	for _, tc := range []struct {
		name    string
		opts    []Option
		chunked bool
	}{
		{"own client", nil, false},
		{"WithHTTPClient", []Option{WithHTTPClient(srv.Client())}, true},
	} {
		ch, err := New(Config{Token: "1:x", ServerURL: srv.URL}, nil, append(tc.opts, WithLogger(quiet))...)
		if err != nil {
			t.Fatal(err)
		}
		// The test server's answer is no Message: only the request matters.
		_, _ = ch.api.SendMessage(context.Background(), &tgbot.SendMessageParams{ChatID: 1, Text: "halo"})
		r := <-got
		if chunked := len(r.transferEncoding) > 0; chunked != tc.chunked || (!chunked && r.contentLength != int64(len(r.body))) {
			t.Errorf("%s: Content-Length %d, Transfer-Encoding %q, %d bytes", tc.name, r.contentLength, r.transferEncoding, len(r.body))
		}
		if !bytes.Contains(r.body, []byte("halo")) {
			t.Errorf("%s: body %q", tc.name, r.body)
		}
	}
}
