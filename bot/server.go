package bot

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"bpubot/models"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/net/netutil"
)

// Server is bpubot's HTTP side: /healthz (the process is up), /readyz (the database answers and
// every enabled channel is connected), /metrics (Prometheus), and whatever routes channels add
// (the Telegram webhook).
type Server struct {
	Mux *http.ServeMux

	db      *models.DB
	mu      sync.Mutex
	checks  map[string]func(context.Context) error
	metrics *Metrics
}

// NewServer makes the server and registers the outbox depth gauge.
func NewServer(db *models.DB, m *Metrics) *Server {
	s := &Server{Mux: http.NewServeMux(), db: db, checks: map[string]func(context.Context) error{}, metrics: m}
	s.Mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.Mux.HandleFunc("GET /readyz", s.ready)
	s.AddReadiness("database", func(ctx context.Context) error {
		return db.Ping(ctx)
	})
	if m != nil {
		m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "bpubot_outbox_depth", Help: "Outbox messages waiting to be sent.",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := models.PendingCount(db.WithContext(ctx), "")
			if err != nil {
				return -1
			}
			return float64(n)
		}))
		s.Mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	}
	return s
}

// AddReadiness adds a named check to /readyz.
func (s *Server) AddReadiness(name string, check func(context.Context) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks[name] = check
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	s.mu.Lock()
	names := make([]string, 0, len(s.checks))
	for n := range s.checks {
		names = append(names, n)
	}
	checks := s.checks
	s.mu.Unlock()
	sort.Strings(names)
	result := map[string]string{}
	status := http.StatusOK
	for _, n := range names {
		if err := checks[n](ctx); err != nil {
			result[n] = err.Error()
			status = http.StatusServiceUnavailable
		} else {
			result[n] = "ok"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(result)
}

// HTTPLimits bound what clients can hold of the HTTP server: time to send a request, to take
// the answer, to sit idle between requests, header size, and connections open at once. Without
// them idle keep-alive connections pile up until the process runs out of file descriptors, and
// then nothing works: not /healthz, not the database, not sending.
type HTTPLimits struct {
	ReadTimeout    time.Duration // the whole request, body included
	WriteTimeout   time.Duration // from the end of the request's headers to the end of the answer
	IdleTimeout    time.Duration // a keep-alive connection between two requests
	MaxHeaderBytes int
	MaxConnections int // open at once; more wait to be accepted
}

// DefaultHTTPLimits suit the webhook, whose answer waits for the engine (up to its 30s limit
// per try), and the health and metrics routes.
func DefaultHTTPLimits() HTTPLimits {
	return HTTPLimits{ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 60 * time.Second,
		MaxHeaderBytes: 64 << 10, MaxConnections: 1024}
}

// HTTPServer is the server for s's routes under the limits l.
func (s *Server) HTTPServer(l HTTPLimits) *http.Server {
	return &http.Server{
		Handler:           s.Mux,
		ReadHeaderTimeout: min(l.ReadTimeout, 10*time.Second),
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
}

// Listen listens on addr, accepting at most l.MaxConnections connections at once (no limit when
// it is 0 or less).
func Listen(addr string, l HTTPLimits) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil || l.MaxConnections <= 0 {
		return ln, err
	}
	return netutil.LimitListener(ln, l.MaxConnections), nil
}
