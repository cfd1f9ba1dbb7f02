package chaos

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"bpubot/bot/telegram/fakeapi"
	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"
)

// guard bounds every wait; nothing relies on it but a hang.
const guard = 60 * time.Second

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// bpubot builds the bpubot binary of this module once per test run.
func bpubot(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "bpubot-chaos-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "bpubot")
		out, err := exec.Command("go", "build", "-o", binary, "../cmd/bpubot").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// postgresURL is a fresh schema of the test database, skipping the test without one.
func postgresURL(t *testing.T) string {
	t.Helper()
	if os.Getenv(modeltest.PostgresURLEnv) == "" {
		t.Skip(modeltest.PostgresURLEnv + " not set: the chaos tests run bpubot on PostgreSQL")
	}
	return modeltest.Config(t, models.Postgres).URL
}

// freeAddr is a loopback address with a port free right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serve is one `bpubot serve` process, started again after each kill.
type serve struct {
	t    *testing.T
	env  []string
	addr string // its HTTP server
	dir  string

	mu       sync.Mutex
	cmd      *exec.Cmd
	done     chan struct{}
	starts   int
	maxRSSKB int    // the largest peak resident set size of any of its runs
	panics   int    // runs whose log shows a panic
	tail     []byte // the end of the last run's log
}

// newServe prepares a bpubot serve on databaseURL, polling or taking webhooks from api.
func newServe(t *testing.T, api *fakeapi.Server, databaseURL string, extra ...string) *serve {
	t.Helper()
	s := &serve{t: t, addr: freeAddr(t), dir: t.TempDir()}
	s.env = append(os.Environ(),
		"BPUBOT_DATABASE_DRIVER=postgres",
		"BPUBOT_DATABASE_URL="+databaseURL,
		"BPUBOT_DATABASE_MAX_OPEN_CONNS=20",
		"BPUBOT_SECRET_KEY="+flowtest.Key,
		"BPUBOT_TELEGRAM_ENABLED=true",
		"BPUBOT_TELEGRAM_TOKEN="+api.Token,
		"BPUBOT_TELEGRAM_SERVER_URL="+api.URL,
		"BPUBOT_HTTP_ADDR="+s.addr,
		"BPUBOT_LOG_LEVEL=warn",
		// Telegram's bulk limit (about 30 a second) would make the load a queue; the storm
		// test sets it back to check it holds.
		"BPUBOT_TELEGRAM_RATE_LIMIT=1000",
	)
	s.env = append(s.env, extra...)
	t.Cleanup(s.stop)
	return s
}

// start runs the process and returns once /healthz answers.
func (s *serve) start() {
	s.t.Helper()
	cmd := exec.Command(bpubot(s.t), "serve")
	cmd.Env, cmd.Dir = s.env, s.dir
	logPath := filepath.Join(s.dir, fmt.Sprintf("serve-%d.log", s.starts))
	logFile, err := os.Create(logPath)
	if err != nil {
		s.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	done := make(chan struct{})
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.starts++
	s.mu.Unlock()
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		s.record(cmd, logPath)
		close(done)
	}()
	s.waitHTTP("/healthz", http.StatusOK)
}

// record keeps what a finished run left: its peak memory and whether it panicked.
func (s *serve) record(cmd *exec.Cmd, logPath string) {
	log, _ := os.ReadFile(logPath)
	s.mu.Lock()
	defer s.mu.Unlock()
	if bytes.Contains(log, []byte("panic:")) || bytes.Contains(log, []byte("goroutine ")) {
		s.panics++
	}
	if len(log) > 4096 {
		log = log[len(log)-4096:]
	}
	s.tail = log
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && int(ru.Maxrss) > s.maxRSSKB {
		s.maxRSSKB = int(ru.Maxrss) // kilobytes on Linux
	}
}

// rssKB is the running process's peak resident set size (VmHWM), in kilobytes.
func (s *serve) rssKB() int {
	s.mu.Lock()
	pid := s.cmd.Process.Pid
	s.mu.Unlock()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would, and waits for it.
func (s *serve) kill() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
}

// stop ends the process with SIGTERM (a clean shutdown), killing it if it does not end.
func (s *serve) stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
	}
}

// status is the HTTP status of GET path, or 0 when the server does not answer.
func (s *serve) status(path string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.addr+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitHTTP waits until GET path answers want.
func (s *serve) waitHTTP(path string, want int) time.Duration {
	s.t.Helper()
	start := time.Now()
	for s.status(path) != want {
		if time.Since(start) > guard {
			s.mu.Lock()
			tail := s.tail
			s.mu.Unlock()
			s.t.Fatalf("%s never answered %d; log:\n%s", path, want, tail)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// cli runs a bpubot command on the same database and configuration, failing the test if it
// fails.
func (s *serve) cli(args ...string) string {
	s.t.Helper()
	cmd := exec.Command(bpubot(s.t), args...)
	cmd.Env, cmd.Dir = s.env, s.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("bpubot %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// file writes text to a file in the process's directory and returns its path.
func (s *serve) file(name, text string) string {
	s.t.Helper()
	path := filepath.Join(s.dir, name)
	if err := os.WriteFile(path, []byte(text+"\n"), 0o600); err != nil {
		s.t.Fatal(err)
	}
	return path
}
