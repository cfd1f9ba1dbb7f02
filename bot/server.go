package bot

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"

	"bpubot/models"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"gorm.io/gorm"
)

// Server is bpubot's HTTP side: /healthz (the process is up), /readyz (the database answers and
// every enabled channel is connected), /metrics (Prometheus), and whatever routes channels add
// (the Telegram webhook).
type Server struct {
	Mux *http.ServeMux

	db      *gorm.DB
	mu      sync.Mutex
	checks  map[string]func(context.Context) error
	metrics *Metrics
}

// NewServer makes the server and registers the outbox depth gauge.
func NewServer(db *gorm.DB, m *Metrics) *Server {
	s := &Server{Mux: http.NewServeMux(), db: db, checks: map[string]func(context.Context) error{}, metrics: m}
	s.Mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.Mux.HandleFunc("GET /readyz", s.ready)
	s.AddReadiness("database", func(ctx context.Context) error {
		return models.SQLDB(db).PingContext(ctx)
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
