package telegram

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// go-telegram/bot writes every request body as a multipart form through an io.Pipe, so
// net/http would send it with chunked transfer encoding: a chunk, a flush and a write to the
// socket for every field's header and value, read by the transport's writing goroutine one
// pipe hand-over at a time. bufferedClient reads such a body into memory first and sends it
// with a Content-Length, in one write with the headers.
//
// It wraps the client rather than its transport: http.Client cancels requests to a transport
// other than its own *http.Transport (when Timeout is set, as here) with a goroutine and a
// timer per request, which would give back much of what buffering saves.

// maxBufferedBody is the most of a request body bufferedClient reads into memory; the rest of
// a longer one (a file upload) is streamed after it, as before.
const maxBufferedBody = 1 << 20

// maxPooledBody: read buffers grown beyond this are left to the garbage collector, not kept.
const maxPooledBody = 64 << 10

// readBuffers are what bodies are read into. A buffer is back in the pool before the request
// is sent: the transport gets a copy of the right size, which nothing reuses, as it may read
// the body (or, through GetBody, read it again) until after Do has returned.
var readBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, 4096)
	return &b
}}

// bufferedClient is the client go-telegram/bot gets. A request whose body has no known length
// (ContentLength -1, or 0 with a body) goes to client with the body read into memory, up to
// maxBufferedBody, a Content-Length, and a GetBody, so that the transport may send it again on
// a new connection when a kept-alive one turns out to be closed before anything was written.
// Other requests go to client as they are.
//
// The body is handed over as an io.NopCloser of a *bytes.Reader: net/http knows that it never
// blocks, and writes it in the same packet as the headers instead of flushing them first.
type bufferedClient struct {
	client *http.Client
}

// Do implements go-telegram/bot's HttpClient. The caller's request is not modified: client
// gets a shallow copy with the new body. An error reading the body is Do's, in a *url.Error
// as http.Client's errors are.
func (c bufferedClient) Do(req *http.Request) (*http.Response, error) {
	out, err := bufferBody(req)
	if err != nil {
		op := req.Method
		if op == "" {
			op = http.MethodGet
		}
		return nil, &url.Error{Op: op[:1] + strings.ToLower(op[1:]), URL: req.URL.Redacted(), Err: err}
	}
	return c.client.Do(out)
}

// bufferBody returns req, or, when req's body has no known length, a copy of req with the body
// read into memory (req's body read to the end and closed, or, past maxBufferedBody, to be read
// on after what was read). On an error req's body is closed, as a transport does.
func bufferBody(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody || req.ContentLength > 0 {
		return req, nil
	}
	bp := readBuffers.Get().(*[]byte)
	read, complete, err := readBody(req.Context(), req.Body, (*bp)[:0])
	data := read
	if cap(read) <= maxPooledBody {
		data = nil
		if len(read) > 0 {
			data = bytes.Clone(read)
		}
		*bp = read[:0]
		readBuffers.Put(bp)
	} // else the grown buffer is the request's, not the pool's
	if err != nil {
		_ = req.Body.Close()
		return nil, err
	}

	out := req.WithContext(req.Context()) // a shallow copy
	if !complete {
		// Too long to hold: what was read, then the rest as it comes, length unknown.
		out.Body = &spillBody{Reader: io.MultiReader(bytes.NewReader(data), req.Body), Closer: req.Body}
		return out, nil
	}
	_ = req.Body.Close() // read to the end: nothing more to come from it
	out.ContentLength = int64(len(data))
	if len(data) == 0 {
		out.Body, out.GetBody = http.NoBody, noBody
		return out, nil
	}
	out.Body = io.NopCloser(bytes.NewReader(data))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return out, nil
}

// readBody reads body into b up to maxBufferedBody bytes (one more at most); complete tells
// whether it reached the end. A read stops when ctx ends, by closing the body, as a Read may
// not return otherwise (http.Request.Body allows Close during Read); the error is then ctx's.
func readBody(ctx context.Context, body io.ReadCloser, b []byte) (data []byte, complete bool, err error) {
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { _ = body.Close() })
		defer func() {
			if !stop() && err == nil {
				err = ctx.Err()
			}
		}()
	}
	for len(b) <= maxBufferedBody {
		if len(b) == cap(b) {
			b = slices.Grow(b, max(512, min(cap(b), maxBufferedBody+1-len(b))))
		}
		n, rerr := body.Read(b[len(b):min(cap(b), maxBufferedBody+1)])
		b = b[:len(b)+n]
		if rerr == io.EOF {
			return b, true, nil
		}
		if rerr != nil {
			if ctx.Err() != nil {
				rerr = ctx.Err() // the read failed because the body was closed for it
			}
			return b, false, rerr
		}
	}
	return b, false, nil
}

func noBody() (io.ReadCloser, error) { return http.NoBody, nil }

// spillBody is a body too long to buffer: the part read, then the rest of the original body,
// which Close closes.
type spillBody struct {
	io.Reader
	io.Closer
}
