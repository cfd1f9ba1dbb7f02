package main

import (
	"os"
	"testing"
)

func TestServeGCPercentYieldsToGOGC(t *testing.T) {
	t.Setenv("GOGC", "50")
	if _, set := serveGCPercent(); set {
		t.Fatal("GOGC in the environment must win")
	}
	os.Unsetenv("GOGC") // t.Setenv restores it afterwards
	if pct, set := serveGCPercent(); !set || pct != 400 {
		t.Fatalf("without GOGC: %d, %v; want 400", pct, set)
	}
}
