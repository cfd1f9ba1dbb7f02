package telegram

import (
	"testing"
	"time"
)

// cpuPerOp starts measuring the CPU time the whole process uses, the goroutines of an
// in-process server and the garbage collector included; the function it returns, called
// after the benchmark loop, reports it per operation (cpu-ns/op). On a shared machine it
// varies less than ns/op.
func cpuPerOp(b *testing.B) (report func()) {
	start := cpuTime()
	return func() {
		if used := cpuTime() - start; used > 0 && b.N > 0 {
			b.ReportMetric(float64(used/time.Nanosecond)/float64(b.N), "cpu-ns/op")
		}
	}
}
