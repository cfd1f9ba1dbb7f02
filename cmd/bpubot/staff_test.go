package main

import (
	"strings"
	"testing"

	"bpubot/bot/staff"
	"bpubot/locales"
)

// A console password read from standard input: one line sets it; an empty line or nothing at
// all is refused and leaves the one set before, since "" would remove console sign-in.
func TestStaffPasswordFromStdin(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, dir, "", "staff", "add", "Siti Rahma", "--role", "staff")
	if out := runCLI(t, dir, "rahasia-panjang-1\n", "staff", "password", "1"); !strings.Contains(out, locales.Text("id", "staff.password_set", "name", "Siti Rahma")) {
		t.Fatalf("password not set:\n%s", out)
	}
	for _, tc := range []struct{ name, stdin, want string }{
		{"empty line", "\n", locales.Text("id", "staff.password_short", "n", staff.MinPasswordLength)},
		{"nothing", "", locales.Text("id", "staff.no_password")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := runCLIErr(t, dir, tc.stdin, "staff", "password", "1"); err.Error() != tc.want {
				t.Fatalf("error %q, want %q", err, tc.want)
			}
			// The list's console column (ID, name, role, partner, Telegram, console) still says yes.
			out := runCLI(t, dir, "", "staff", "list")
			_, row, _ := strings.Cut(out, "\n1 ")
			if f := strings.Fields(strings.ReplaceAll(row, "Siti Rahma", "Siti")); len(f) < 5 || f[4] != locales.Text("id", "staff.yes") {
				t.Fatalf("the password set before is gone:\n%s", out)
			}
		})
	}
}
