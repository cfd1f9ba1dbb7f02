package flows_test

import (
	"context"
	"fmt"
	"testing"

	"bpubot/bot"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// BenchmarkSignup is one whole sign-up (fourteen messages, the last one registering) per op,
// through the engine on each database, each op a new chat and NIK.
func BenchmarkSignup(b *testing.B) {
	for _, d := range modeltest.Dialects() {
		b.Run(d, func(b *testing.B) { benchmarkSignup(b, modeltest.MustOpen(b, d)) })
	}
}

func benchmarkSignup(b *testing.B, db *models.DB) {
	{
		e, _ := flowtest.Engine(b, db, flowtest.NewClock(flowtest.Start))
		ctx := context.Background()
		n := 0
		for b.Loop() {
			chat := fmt.Sprint("bench-", n)
			steps := append([]string(nil), fullSignup...)
			steps[3] = fmt.Sprintf("320101120390%04d", n%10000) // a NIK of its own
			for i, text := range steps {
				in := bot.Inbound{Channel: "test", ChatID: chat, UserID: chat, ExternalID: fmt.Sprint(chat, "-", i), Kind: bot.KindText, Text: text}
				if _, err := e.Handle(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
			n++
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n*len(fullSignup)), "µs/msg")
	}
}
