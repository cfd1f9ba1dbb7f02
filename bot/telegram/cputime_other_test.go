//go:build !unix

package telegram

import "time"

// cpuTime is not measured here: the benchmarks report no cpu-ns/op.
func cpuTime() time.Duration { return 0 }
