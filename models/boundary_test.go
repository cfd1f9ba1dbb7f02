package models_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestGormStaysInModels: no package outside models/ imports GORM or a database driver, in its
// code or its tests; they reach the data through models' functions (and tests through
// models/modeltest).
func TestGormStaysInModels(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`, "./...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		if pkg == "bpubot/models" || strings.HasPrefix(pkg, "bpubot/models/") {
			continue
		}
		for _, imp := range strings.Fields(imports) {
			if strings.HasPrefix(imp, "gorm.io/") || imp == "github.com/glebarez/sqlite" || imp == "github.com/pressly/goose/v3" {
				t.Errorf("%s imports %s: the data is reached through models", pkg, imp)
			}
		}
	}
}
