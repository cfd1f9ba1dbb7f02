package chaos

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
)

// cluster is a PostgreSQL server of the test's own, in a temporary directory, that the test
// can stop hard (as a crash would) and start again without touching the shared test server.
type cluster struct {
	t         *testing.T
	bin, data string
	port      string
	runAs     *user.User // the server's user when the test runs as root (initdb refuses root)
}

// privateCluster initialises and starts a cluster with initdb and pg_ctl. Without them it skips
// the test, except in CI (CI=true), where they must be there.
func privateCluster(t *testing.T) *cluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("initdb not found: CI must install PostgreSQL's server")
		}
		t.Skip("initdb not found (/usr/lib/postgresql/*/bin): install PostgreSQL's server to run the outage test")
	}
	dir, err := os.MkdirTemp("", "bpubot-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	c := &cluster{t: t, bin: filepath.Dir(bins[len(bins)-1]), data: filepath.Join(dir, "data")}
	if os.Geteuid() == 0 {
		if c.runAs, err = user.Lookup("postgres"); err != nil {
			t.Skip("running as root without a postgres user for initdb")
		}
		uid, _ := strconv.Atoi(c.runAs.Uid)
		gid, _ := strconv.Atoi(c.runAs.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, c.port, _ = net.SplitHostPort(ln.Addr().String())
	ln.Close()
	c.run("initdb", "-D", c.data, "-U", "postgres", "-A", "trust", "--no-sync")
	c.start()
	t.Cleanup(func() { _ = c.command("pg_ctl", "-D", c.data, "stop", "-m", "immediate").Run() })
	return c
}

// URL is the connection URL of the cluster's postgres database.
func (c *cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%s/postgres?sslmode=disable", c.port)
}

// start starts the server and waits until it takes connections.
func (c *cluster) start() {
	c.pgctl("start", "-w", "-l", filepath.Join(filepath.Dir(c.data), "server.log"),
		"-o", fmt.Sprintf("-p %s -k %s -c listen_addresses=127.0.0.1 -c fsync=off", c.port, filepath.Dir(c.data)))
}

// crash stops the server at once, without a checkpoint (pg_ctl stop -m immediate): what a
// crash or a pulled plug does; it recovers from its log when started again.
func (c *cluster) crash() { c.pgctl("stop", "-m", "immediate") }

func (c *cluster) pgctl(args ...string) {
	c.run("pg_ctl", append([]string{"-D", c.data}, args...)...)
}

func (c *cluster) command(prog string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, prog)
	if c.runAs != nil {
		return exec.Command("runuser", append([]string{"-u", c.runAs.Username, "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (c *cluster) run(prog string, args ...string) {
	c.t.Helper()
	if out, err := c.command(prog, args...).CombinedOutput(); err != nil {
		c.t.Fatalf("%s %v: %v\n%s", prog, args, err, out)
	}
}
