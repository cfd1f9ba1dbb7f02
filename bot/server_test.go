package bot_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"bpubot/bot"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// serveLimited runs a bot.Server with limits l on a loopback port until the test ends.
func serveLimited(t *testing.T, l bot.HTTPLimits) string {
	t.Helper()
	srv := bot.NewServer(modeltest.MustOpen(t, models.SQLite), nil)
	ln, err := bot.Listen("127.0.0.1:0", l)
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer(l)
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close() })
	return ln.Addr().String()
}

// healthz sends GET /healthz on c and reads the answer, keeping the connection open.
func healthz(c net.Conn, r *bufio.Reader) error {
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return err
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/healthz: %d", resp.StatusCode)
	}
	return nil
}

// An idle keep-alive connection is closed by the server, not kept for ever.
func TestServerClosesIdleConnections(t *testing.T) {
	l := bot.DefaultHTTPLimits()
	l.IdleTimeout = 50 * time.Millisecond
	addr := serveLimited(t, l)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	if err := healthz(c, r); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second)) // a guard against a hang only
	if _, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("idle connection: read %v, want the server to close it (EOF)", err)
	}
}

// Connections over the cap wait to be accepted until one closes: the process keeps its file
// descriptors, and the waiting client is served afterwards.
func TestServerCapsConnections(t *testing.T) {
	l := bot.DefaultHTTPLimits()
	l.MaxConnections = 2
	addr := serveLimited(t, l)
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if err := healthz(c, bufio.NewReader(c)); err != nil { // accepted and served
			t.Fatal(err)
		}
		held = append(held, c)
	}
	third, err := net.Dial("tcp", addr) // the kernel queues it; the server does not take it yet
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	served := make(chan error, 1)
	go func() { served <- healthz(third, bufio.NewReader(third)) }()
	select {
	case <-served:
		t.Fatal("a third connection was served while two were open under a cap of 2")
	case <-time.After(100 * time.Millisecond): // lets a wrong server show itself; not relied on
	}
	_ = held[0].Close()
	select {
	case err := <-served:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the waiting connection was not served once another closed")
	}
	_ = held[1].Close()
}
