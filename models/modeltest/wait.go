package modeltest

import (
	"testing"
	"time"
)

// waitLimit bounds Eventually: it only fails a test that is broken, it never paces one.
const waitLimit = 20 * time.Second

// Eventually returns once cond holds, checking it every few milliseconds, for what a test cannot
// be told of (a row written, a metric counted, a lock shown waiting). It fails the test after
// waitLimit, naming what it waited for.
func Eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("waited %s for %s", waitLimit, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
