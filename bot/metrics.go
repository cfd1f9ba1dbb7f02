package bot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the Prometheus collectors of the engine and dispatcher. A nil *Metrics records
// nothing, so tests and the console need none.
type Metrics struct {
	Registry      *prometheus.Registry
	Inbound       *prometheus.CounterVec   // channel
	Duplicates    *prometheus.CounterVec   // channel
	NotCommitted  *prometheus.CounterVec   // channel
	Sent          *prometheus.CounterVec   // channel
	SendErrors    *prometheus.CounterVec   // channel, kind
	HandleSeconds *prometheus.HistogramVec // channel
}

// NewMetrics registers the collectors in a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Inbound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bpubot_inbound_messages_total", Help: "Inbound messages handled, by channel.",
		}, []string{"channel"}),
		Duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bpubot_inbound_duplicates_total", Help: "Redelivered inbound messages ignored, by channel.",
		}, []string{"channel"}),
		NotCommitted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bpubot_inbound_not_committed_total", Help: "Attempts to handle an inbound message that failed because the database was unavailable (the message is handled again), by channel.",
		}, []string{"channel"}),
		Sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bpubot_replies_sent_total", Help: "Outbox messages delivered, by channel.",
		}, []string{"channel"}),
		SendErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bpubot_send_errors_total", Help: "Failed sends, by channel and kind (rate_limited, unreachable, permanent, transient).",
		}, []string{"channel", "kind"}),
		HandleSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "bpubot_handle_seconds", Help: "Time to handle one inbound message, by channel.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"channel"}),
	}
	m.Registry.MustRegister(m.Inbound, m.Duplicates, m.NotCommitted, m.Sent, m.SendErrors, m.HandleSeconds)
	return m
}

func (m *Metrics) inbound(channel string, d time.Duration) {
	if m == nil {
		return
	}
	m.Inbound.WithLabelValues(channel).Inc()
	m.HandleSeconds.WithLabelValues(channel).Observe(d.Seconds())
}

func (m *Metrics) duplicate(channel string) {
	if m != nil {
		m.Duplicates.WithLabelValues(channel).Inc()
	}
}

func (m *Metrics) notCommitted(channel string) {
	if m != nil {
		m.NotCommitted.WithLabelValues(channel).Inc()
	}
}

func (m *Metrics) sent(channel string) {
	if m != nil {
		m.Sent.WithLabelValues(channel).Inc()
	}
}

func (m *Metrics) sendError(channel, kind string) {
	if m != nil {
		m.SendErrors.WithLabelValues(channel, kind).Inc()
	}
}
