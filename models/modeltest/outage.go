package modeltest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"

	"bpubot/models"
)

// Outage is a TCP proxy in front of the test PostgreSQL server that a test can take down and
// bring back: Down closes every connection through it and refuses new ones, as a crashed or
// unreachable database does; Up accepts connections again.
type Outage struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// PostgresBehindOutage returns the configuration of a fresh PostgreSQL test database reached
// through an Outage proxy, skipping the test when PostgreSQL tests are off.
func PostgresBehindOutage(tb testing.TB) (models.DBConfig, *Outage) {
	tb.Helper()
	cfg := Config(tb, models.Postgres)
	u, err := url.Parse(cfg.URL)
	if err != nil {
		tb.Fatal(err)
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	o := &Outage{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	o.wg.Add(1)
	go o.accept()
	tb.Cleanup(o.close)
	u.Host = ln.Addr().String()
	cfg.URL = u.String()
	return cfg, o
}

// OpenBehindOutage opens and migrates a fresh PostgreSQL test database reached through an
// Outage proxy (PostgresBehindOutage), skipping the test when PostgreSQL tests are off.
func OpenBehindOutage(tb testing.TB) (*models.DB, *Outage) {
	tb.Helper()
	cfg, o := PostgresBehindOutage(tb)
	return MustOpenConfig(tb, cfg), o
}

func (o *Outage) accept() {
	defer o.wg.Done()
	for {
		c, err := o.ln.Accept()
		if err != nil {
			return
		}
		o.mu.Lock()
		if o.down {
			o.mu.Unlock()
			_ = c.Close()
			continue
		}
		up, err := net.Dial("tcp", o.target)
		if err != nil {
			o.mu.Unlock()
			_ = c.Close()
			continue
		}
		o.conns[c], o.conns[up] = struct{}{}, struct{}{}
		o.mu.Unlock()
		o.wg.Add(2)
		go o.pipe(c, up)
		go o.pipe(up, c)
	}
}

func (o *Outage) pipe(dst, src net.Conn) {
	defer o.wg.Done()
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
	o.mu.Lock()
	delete(o.conns, dst)
	delete(o.conns, src)
	o.mu.Unlock()
}

// Down cuts every connection and refuses new ones until Up.
func (o *Outage) Down() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.down = true
	for c := range o.conns {
		_ = c.Close()
	}
}

// Up lets connections through again.
func (o *Outage) Up() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.down = false
}

func (o *Outage) close() {
	_ = o.ln.Close()
	o.Down()
	o.wg.Wait()
}
