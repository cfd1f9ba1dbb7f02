package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// testOnly are packages that stand in for a platform or drive load: they belong in tests and
// in the load-test build (-tags loadtest), never in the binary that runs in production.
var testOnly = []string{"bpubot/bot/telegram/fakeapi", "bpubot/bot/telegram/loadtest"}

func TestProductionBinaryLeavesOutTheFakes(t *testing.T) {
	deps := func(tags ...string) []string {
		args := append([]string{"list", "-deps"}, tags...)
		out, err := exec.Command("go", append(args, ".")...).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		return strings.Fields(string(out))
	}
	prod := deps()
	if !slices.Contains(prod, "bpubot/models") {
		t.Fatalf("go list -deps lists no bpubot/models: %v", prod)
	}
	load := deps("-tags", "loadtest")
	for _, p := range testOnly {
		if slices.Contains(prod, p) {
			t.Errorf("the production binary includes %s", p)
		}
		if !slices.Contains(load, p) {
			t.Errorf("the load-test build lacks %s", p)
		}
	}
}
