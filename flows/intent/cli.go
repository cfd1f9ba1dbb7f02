package intent

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// RunClassify is `bpubot classify`: it reads one message per line from in
// and writes "label<TAB>confidence" per line to out, in input order, with
// the confidence to two decimals. With explain, each result line is
// followed by the trace of Result.Explain, each line indented as "  # ".
//
// Lines may be arbitrarily long; only the first MaxInputBytes bytes of each
// are kept (that is all the classifier reads), so memory stays bounded.
// A trailing "\r" is removed. An empty line is classified like any other
// (unknown), so output line i always answers input line i.
func RunClassify(in io.Reader, out io.Writer, explain bool) error {
	c := Default()
	br := bufio.NewReaderSize(in, 64*1024)
	bw := bufio.NewWriter(out)
	line := make([]byte, 0, MaxInputBytes)
	for {
		var err error
		line, err = readLine(br, line[:0])
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("intent: reading input: %w", err)
		}
		text := string(line)
		var r Result
		if explain {
			r = c.Explain(text)
		} else {
			r = c.Classify(text)
		}
		fmt.Fprintf(bw, "%s\t%.2f\n", r.Label, r.Confidence)
		for _, e := range r.Explain {
			bw.WriteString("  # ")
			bw.WriteString(e)
			bw.WriteByte('\n')
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("intent: writing output: %w", err)
	}
	return nil
}

// readLine appends the next line of br, without its line ending and cut to
// MaxInputBytes, to dst. It returns io.EOF only when no line is left; a last
// line without a newline is still returned.
func readLine(br *bufio.Reader, dst []byte) ([]byte, error) {
	read := false
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 {
			read = true
		}
		if room := MaxInputBytes - len(dst); room > 0 {
			dst = append(dst, chunk[:min(room, len(chunk))]...)
		}
		switch {
		case err == nil:
			return trimEOL(dst), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue // keep reading the rest of the long line
		case err == io.EOF && read:
			return trimEOL(dst), nil
		default:
			return dst, err
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}
