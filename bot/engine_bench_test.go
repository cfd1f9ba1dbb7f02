package bot_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"bpubot/flows/flowtest"
	"bpubot/models/modeltest"
)

// BenchmarkHandle measures Engine.Handle: one sign-up step per operation, spread over many
// workers in parallel. Each worker alternates between answering the name question and going
// back to it, so every operation is a full step: dedupe, lock, FSM, validation, state, outbox.
func BenchmarkHandle(b *testing.B) {
	for _, dialect := range modeltest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := modeltest.MustOpen(b, dialect)
			e, _ := flowtest.Engine(b, db, nil)
			ctx := context.Background()
			const users = 512
			for u := range users {
				chat := fmt.Sprintf("w%d", u)
				for i, msg := range []string{"daftar", "setuju"} {
					if _, err := e.Handle(ctx, text(chat, fmt.Sprint(chat, "-setup-", i), msg)); err != nil {
						b.Fatal(err)
					}
				}
			}
			var next, seq atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				u := next.Add(1)
				step := 0
				for pb.Next() {
					chat := fmt.Sprintf("w%d", (u*7919+int64(step/2)*64)%users)
					msg := "Budi Santoso"
					if step%2 == 1 {
						msg = "kembali"
					}
					if _, err := e.Handle(ctx, text(chat, fmt.Sprint("op-", seq.Add(1)), msg)); err != nil {
						b.Error(err)
						return
					}
					step++
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
