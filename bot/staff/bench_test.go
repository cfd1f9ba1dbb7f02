package staff_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"bpubot/bot/staff"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// BenchmarkFanOut100k puts a broadcast to 100,000 chats in the outbox (issue: at most 2 s on
// PostgreSQL), through the fan-out a job runs: batches of staff.fan_out_batch chats, each one
// transaction with its cursor. Run with -benchtime=1x; add BPUBOT_TEST_POSTGRES_URL.
func BenchmarkFanOut100k(b *testing.B) {
	for _, dialect := range modeltest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db := modeltest.MustOpen(b, dialect)
				now := time.Now()
				for _, q := range []string{
					`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
					INSERT INTO channel_contacts (channel, chat_id, unreachable, opted_out, first_seen_at, last_inbound_at)
					SELECT 'telegram', CAST(1000000 + i AS TEXT), FALSE, FALSE, ?, ? FROM n`,
				} {
					modeltest.Exec(b, db, q, now, now)
				}
				svc := &staff.Service{DB: db, Config: staff.Config{Location: time.UTC, FanOutBatch: batchSize()}}
				op := staff.Operator()
				br, err := svc.CreateBroadcast(ctx, op, staff.Draft{TextID: "Pengumuman untuk semua.", Buttons: []string{"daftar"}})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := svc.PreviewBroadcast(ctx, op, br.ID); err != nil {
					b.Fatal(err)
				}
				if _, err := svc.ConfirmBroadcast(ctx, op, br.ID, nil); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				n, err := svc.FanOut(ctx, br.ID)
				b.StopTimer()
				if err != nil || n != 100000 {
					b.Fatalf("fan-out: %d %v", n, err)
				}
				rows := modeltest.Count[models.Outbox](b, db, "broadcast_id = ?", br.ID)
				if rows != 100000 {
					b.Fatalf("%d rows", rows)
				}
			}
		})
	}
}

func batchSize() int {
	if n, err := strconv.Atoi(os.Getenv("BPUBOT_BENCH_BATCH")); err == nil {
		return n
	}
	return 0
}
