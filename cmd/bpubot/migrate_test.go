package main

import (
	"strconv"
	"strings"
	"testing"

	"bpubot/locales"
)

// TestMigrateCommand: status shows what is pending without applying it, up applies, down-to
// undoes the newest first, and up brings them back.
func TestMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	// status returns, by version, whether each migration is pending.
	status := func() map[int]bool {
		out := runCLI(t, dir, "", "migrate", "status")
		got := map[int]bool{}
		for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
			f := strings.Fields(l)
			v, err := strconv.Atoi(f[0])
			if err != nil || len(f) < 3 {
				t.Fatalf("status line %q", l)
			}
			got[v] = f[len(f)-1] == locales.Text("id", "staff.migration_pending")
		}
		if len(got) < 4 {
			t.Fatalf("status lists %d migrations:\n%s", len(got), out)
		}
		return got
	}
	for v, pending := range status() {
		if !pending {
			t.Fatalf("migration %d applied on a new database", v)
		}
	}
	up := func(name string) string { return locales.Text("id", "staff.migration_up", "name", name) + "\n" }
	down := func(name string) string { return locales.Text("id", "staff.migration_down", "name", name) + "\n" }
	if out := runCLI(t, dir, "", "migrate"); !strings.Contains(out, up("0001_init.sql")) || !strings.Contains(out, "Basis data (sqlite) pada migrasi") {
		t.Fatalf("migrate:\n%s", out)
	}
	for v, pending := range status() {
		if pending {
			t.Fatalf("migration %d pending after migrate", v)
		}
	}
	out := runCLI(t, dir, "", "migrate", "down-to", "2")
	if !strings.Contains(out, down("0004_whatsapp.sql")+down("0003_outbox_pending.sql")) || !strings.Contains(out, "pada migrasi 2.") {
		t.Fatalf("down-to 2:\n%s", out)
	}
	for v, pending := range status() {
		if pending != (v > 2) {
			t.Fatalf("after down-to 2, migration %d pending: %v", v, pending)
		}
	}
	if out := runCLI(t, dir, "", "migrate", "up"); !strings.Contains(out, up("0003_outbox_pending.sql")) {
		t.Fatalf("migrate up:\n%s", out)
	}
}
