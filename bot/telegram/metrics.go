package telegram

import (
	"bpubot/bot"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the channel's own Prometheus collectors, next to the engine's and dispatcher's.
type metrics struct {
	updates *prometheus.CounterVec // kind
	refused *prometheus.CounterVec // reason
}

// newMetrics registers in reg; a nil reg keeps them unregistered (tests).
func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bpubot_telegram_updates_total",
			Help: "Telegram updates taken, by kind (text, button, contact, start, unsupported; ignored: groups, edits, service messages).",
		}, []string{"kind"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bpubot_telegram_webhook_refused_total",
			Help: "Webhook requests refused, by reason (secret: missing or wrong secret token, body, shutting_down).",
		}, []string{"reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.updates, m.refused)
	}
	return m
}

var kindNames = map[bot.Kind]string{
	bot.KindText: "text", bot.KindButton: "button", bot.KindContact: "contact", bot.KindStart: "start", bot.KindUnsupported: "unsupported",
}
