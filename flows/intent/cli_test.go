package intent

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

func TestRunClassify(t *testing.T) {
	long := strings.Repeat("x", 200_000) // longer than any bufio buffer
	in := "gmn cara dftr\nbrp iuran sebulan\r\n\n" + long + " daftar\nstop kirim pesan"
	var out bytes.Buffer
	if err := RunClassify(strings.NewReader(in), &out, false); err != nil {
		t.Fatal(err)
	}
	want := []string{"daftar\t", "iuran_info\t", "unknown\t1.00", "unknown\t", "berhenti\t"}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], w)
		}
		label, conf, ok := strings.Cut(lines[i], "\t")
		if _, valid := ParseLabel(label); !ok || !valid || len(conf) != 4 || conf[1] != '.' {
			t.Errorf("line %d = %q, want label<TAB>0.00", i+1, lines[i])
		}
	}
}

func TestRunClassifyExplain(t *testing.T) {
	var out bytes.Buffer
	if err := RunClassify(strings.NewReader("bayaaar dmn\nmakasih\n"), &out, true); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if !strings.HasPrefix(lines[0], "bayar\t") {
		t.Fatalf("first line %q", lines[0])
	}
	results := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "  # ") {
			continue
		}
		results++
		if _, ok := ParseLabel(strings.Split(l, "\t")[0]); !ok {
			t.Errorf("unexpected line %q", l)
		}
	}
	if results != 2 {
		t.Errorf("%d result lines, want 2:\n%s", results, out.String())
	}
	if !strings.Contains(out.String(), "  # repeat: bayaaar -> bayar") {
		t.Errorf("explanation missing:\n%s", out.String())
	}
}

func TestRunClassifyEmptyAndErrors(t *testing.T) {
	var out bytes.Buffer
	if err := RunClassify(strings.NewReader(""), &out, false); err != nil || out.Len() != 0 {
		t.Errorf("empty input: err %v, output %q", err, out.String())
	}
	// one byte at a time still yields whole lines
	out.Reset()
	if err := RunClassify(iotest.OneByteReader(strings.NewReader("halo\nmenu")), &out, false); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "salam\t") || !strings.Contains(got, "\nbantuan\t") {
		t.Errorf("one-byte reader: %q", got)
	}
	boom := errors.New("boom")
	if err := RunClassify(iotest.ErrReader(boom), &out, false); !errors.Is(err, boom) {
		t.Errorf("read error: got %v", err)
	}
	if err := RunClassify(strings.NewReader("halo\n"), failWriter{}, false); !errors.Is(err, errWrite) {
		t.Errorf("write error: got %v", err)
	}
}

var errWrite = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }
