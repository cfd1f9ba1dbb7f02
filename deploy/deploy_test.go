// Package deploy_test checks the deploy recipe's files where no Docker engine or systemd runs
// them: compose.yaml, the Dockerfile, the systemd unit and the example environment file.
// deploy/test.sh runs the Dockerfile's build stage and the binary as the image runs it.
package deploy_test

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// configEnv are the environment variables bpubot reads: BPUBOT_<SECTION>_<KEY> for every key of
// config.example.yaml, and the secrets, which that file leaves out.
func configEnv(t *testing.T) map[string]bool {
	t.Helper()
	var example map[string]map[string]any
	readYAML(t, "../config.example.yaml", &example)
	names := map[string]bool{}
	for _, s := range secrets(t) {
		names[s] = true
	}
	for section, keys := range example {
		for key := range keys {
			names["BPUBOT_"+strings.ToUpper(section)+"_"+strings.ToUpper(key)] = true
		}
	}
	if !names["BPUBOT_DATABASE_URL"] {
		t.Fatalf("config.example.yaml read as %v", example)
	}
	return names
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// secrets are the variables of config keys tagged secret:"true" in cmd/bpubot/config.go: they
// come from the environment file only, never from a file under version control.
func secrets(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../cmd/bpubot/config.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	structs := map[string]*ast.StructType{}
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok {
			if st, ok := ts.Type.(*ast.StructType); ok {
				structs[ts.Name.Name] = st
			}
		}
		return true
	})
	tag := func(field *ast.Field, key string) string {
		if field.Tag == nil {
			return ""
		}
		v, _ := strconv.Unquote(field.Tag.Value)
		name, _, _ := strings.Cut(reflect.StructTag(v).Get(key), ",")
		return name
	}
	var out []string
	for _, section := range structs["Config"].Fields.List {
		ident, ok := section.Type.(*ast.Ident)
		if !ok || structs[ident.Name] == nil {
			continue
		}
		for _, field := range structs[ident.Name].Fields.List {
			if tag(field, "secret") != "true" {
				continue
			}
			name := tag(field, "env")
			if name == "" {
				name = "BPUBOT_" + strings.ToUpper(tag(section, "yaml")) + "_" + strings.ToUpper(tag(field, "yaml"))
			}
			out = append(out, name)
		}
	}
	if !slices.Contains(out, "BPUBOT_SECRET_KEY") || !slices.Contains(out, "BPUBOT_DATABASE_PASSWORD") {
		t.Fatalf("secrets read from config.go: %v", out)
	}
	return out
}

type compose struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       string            `yaml:"build"`
		EnvFile     string            `yaml:"env_file"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Healthcheck *struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
		DependsOn yaml.Node `yaml:"depends_on"`
		Deploy    struct {
			Replicas int `yaml:"replicas"`
		} `yaml:"deploy"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func TestCompose(t *testing.T) {
	var c compose
	readYAML(t, "../compose.yaml", &c)
	db, bot, proxy := c.Services["db"], c.Services["bot"], c.Services["proxy"]
	if !strings.HasPrefix(db.Image, "postgres:") || db.Healthcheck == nil || bot.Build != "." || !strings.HasPrefix(proxy.Image, "caddy:") {
		t.Fatalf("want services db (postgres, with a health check), bot (built here) and proxy (caddy): %+v", c.Services)
	}
	if bot.Deploy.Replicas < 2 {
		t.Errorf("bot runs %d replicas, want at least two", bot.Deploy.Replicas)
	}
	env := bot.Environment
	if env["BPUBOT_DATABASE_DRIVER"] != "postgres" || !strings.Contains(env["BPUBOT_DATABASE_URL"], "@db:5432/") ||
		env["BPUBOT_TELEGRAM_MODE"] != "webhook" || env["BPUBOT_TELEGRAM_ENABLED"] != "true" {
		t.Errorf("bot environment %v: want PostgreSQL on db and Telegram in webhook mode", env)
	}
	if bot.EnvFile != ".env" {
		t.Errorf("bot env_file %q, want .env (deploy/env.example)", bot.EnvFile)
	}
	known := configEnv(t)
	for name := range env {
		if !known[name] {
			t.Errorf("bot environment sets %s, which bpubot does not read", name)
		}
	}
	for _, s := range secrets(t) {
		if _, ok := env[s]; ok {
			t.Errorf("compose.yaml sets the secret %s: it belongs in .env", s)
		}
	}
	if dep, _ := yaml.Marshal(&bot.DependsOn); !strings.Contains(string(dep), "service_healthy") {
		t.Errorf("bot does not wait for a healthy db: %s", dep)
	}
	for name, svc := range c.Services {
		for _, v := range svc.Volumes {
			src, _, _ := strings.Cut(v, ":")
			if strings.HasPrefix(src, ".") {
				if _, err := os.Stat(filepath.Join("..", src)); err != nil {
					t.Errorf("%s mounts %s: %v", name, src, err)
				}
			} else if _, ok := c.Volumes[src]; !ok {
				t.Errorf("%s uses volume %s, not declared", name, src)
			}
		}
	}
}

func TestEnvExample(t *testing.T) {
	f, err := os.Open("env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := configEnv(t)
	set := map[string]string{}
	line := regexp.MustCompile(`^#? ?(BPUBOT_[A-Z0-9_]+)=(.*)$`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			if s := sc.Text(); s != "" && !strings.HasPrefix(s, "#") {
				t.Errorf("line %q is neither a comment nor NAME=value", s)
			}
			continue
		}
		if m[1] != "BPUBOT_DOMAIN" && !known[m[1]] {
			t.Errorf("env.example names %s, which bpubot does not read", m[1])
		}
		set[m[1]] = m[2]
	}
	for _, s := range secrets(t) {
		if v, ok := set[s]; !ok || v != "" {
			t.Errorf("env.example: %s must be there, empty or commented out (got %q)", s, v)
		}
	}
}

func TestDockerfile(t *testing.T) {
	raw, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	stages := strings.Split(df, "\nFROM ")
	if len(stages) != 3 || !strings.Contains(stages[1], " AS build") {
		t.Fatalf("want two stages, a build stage and the image")
	}
	build, image := stages[1], stages[2]
	if !strings.Contains(build, "RUN deploy/build.sh ") {
		t.Error("the build stage does not run deploy/build.sh (what deploy/test.sh runs)")
	}
	user := regexp.MustCompile(`(?m)^USER (\S+)`).FindStringSubmatch(image)
	if user == nil || user[1] == "root" || strings.HasPrefix(user[1], "0") {
		t.Errorf("the image runs as %v, want a user that is not root", user)
	}
	if !regexp.MustCompile(`(?m)^HEALTHCHECK .*\n?.*"healthcheck"\]`).MatchString(image) {
		t.Error("no HEALTHCHECK running bpubot healthcheck")
	}
	script, err := os.ReadFile("build.sh")
	if err != nil || !strings.Contains(string(script), "CGO_ENABLED=0 go build") {
		t.Errorf("deploy/build.sh does not build a static binary (%v)", err)
	}
}

func TestSystemdUnit(t *testing.T) {
	raw, err := os.ReadFile("bpubot.service")
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string][]string{}
	for _, l := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok && !strings.HasPrefix(l, "#") {
			settings[k] = append(settings[k], v)
		}
	}
	for k, want := range map[string]string{
		"ExecStart": "/usr/local/bin/bpubot serve", "User": "bpubot", "StateDirectory": "bpubot",
		"WorkingDirectory": "/var/lib/bpubot", "EnvironmentFile": "/etc/bpubot/bpubot.env", "Restart": "on-failure",
		"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes", "ProtectHome": "yes",
		"CapabilityBoundingSet": "", "UMask": "0077", "SystemCallFilter": "@system-service",
	} {
		if !slices.Contains(settings[k], want) {
			t.Errorf("%s=%s missing (have %q)", k, want, settings[k])
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze is not installed: the unit's syntax is not verified here")
		return
	}
	// verify wants ExecStart's program to exist: any executable stands in for bpubot.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(t.TempDir(), "bpubot.service")
	if err := os.WriteFile(unit, []byte(strings.ReplaceAll(string(raw), "/usr/local/bin/bpubot", self)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", unit).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
