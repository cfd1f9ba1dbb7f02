package whatsapp

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the channel's own Prometheus collectors, next to the engine's and dispatcher's.
type metrics struct {
	state       *prometheus.GaugeVec   // state: 1 for the current one
	pausedUntil prometheus.Gauge       // unix time outbound is paused until; 0 when it is not
	pauses      *prometheus.CounterVec // reason
	ignored     *prometheus.CounterVec // reason
	refused     *prometheus.CounterVec // reason: bulk messages refused by the opt-in rule
	reconnects  prometheus.Counter
}

// newMetrics registers in reg; a nil reg keeps them unregistered (tests, pairing).
func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		state: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "bpubot_whatsapp_state",
			Help: "WhatsApp connection state of this process: 1 for the current one (connected, standby, logged_out: run `bpubot whatsapp pair`, stream_replaced, banned ...).",
		}, []string{"state"}),
		pausedUntil: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "bpubot_whatsapp_paused_until_seconds",
			Help: "Unix time until which outbound WhatsApp messages are paused (temporary ban, error 463); 0 when not paused.",
		}),
		pauses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bpubot_whatsapp_pauses_total", Help: "Outbound pauses started, by reason (temporary_ban, reachout_timelock).",
		}, []string{"reason"}),
		ignored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bpubot_whatsapp_ignored_messages_total", Help: "Incoming WhatsApp messages not for the bot, by reason (group, broadcast, self, protocol ...).",
		}, []string{"reason"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bpubot_whatsapp_bulk_refused_total", Help: "Bulk messages refused: never wrote first, opted out, unreachable, not on WhatsApp.",
		}, []string{"reason"}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bpubot_whatsapp_reconnects_total", Help: "Reconnection attempts after a lost or failed WhatsApp connection.",
		}),
	}
	for i := range stateNames {
		m.state.WithLabelValues(State(i).String()).Set(0)
	}
	if reg != nil {
		reg.MustRegister(m.state, m.pausedUntil, m.pauses, m.ignored, m.refused, m.reconnects)
	}
	return m
}

func (m *metrics) setState(s State) {
	for i := range stateNames {
		v := 0.0
		if State(i) == s {
			v = 1
		}
		m.state.WithLabelValues(State(i).String()).Set(v)
	}
}

func (m *metrics) paused(p Pause) {
	m.pauses.WithLabelValues(string(p.Reason)).Inc()
	m.setPausedUntil(p.Until)
}

func (m *metrics) setPausedUntil(t time.Time) {
	if t.IsZero() {
		m.pausedUntil.Set(0)
		return
	}
	m.pausedUntil.Set(float64(t.Unix()))
}
