package bot

import (
	"strings"
	"unicode/utf8"
)

// maxInboundBytes bounds the text of one inbound message. Telegram allows 4,096 characters and
// WhatsApp more; nothing a worker types to a sign-up bot is longer, and the flows, the
// classifier (which reads 2,000 bytes) and the database never see more.
const maxInboundBytes = 16 << 10

// clean makes what a worker sent safe to store and show: invalid UTF-8 becomes U+FFFD; NUL and
// other control characters (which PostgreSQL refuses in text, or which garble a terminal) and
// the bidirectional overrides that make text display in another order than it is stored (a
// spoofing trick in staff views) are dropped, keeping line breaks and tabs; and it is cut to
// maxInboundBytes on a character boundary. Text without any of these is returned as it is.
func clean(s string) string {
	if len(s) <= maxInboundBytes && !needsCleaning(s) {
		return s
	}
	var b strings.Builder
	b.Grow(min(len(s), maxInboundBytes))
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if dropped(r) {
			continue
		}
		if b.Len()+utf8.RuneLen(r) > maxInboundBytes {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

func needsCleaning(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || dropped(r) {
			return true
		}
		i += size
	}
	return false
}

// dropped are the characters clean removes.
func dropped(r rune) bool {
	switch {
	case r == '\n' || r == '\t' || r == '\r':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0): // C0 and C1 controls, DEL
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}

// cleanInbound cleans every text field of in that came from the platform.
func cleanInbound(in Inbound) Inbound {
	in.Text, in.Value, in.Payload = clean(in.Text), clean(in.Value), clean(in.Payload)
	if in.Contact != nil {
		c := *in.Contact
		c.Phone = clean(c.Phone)
		in.Contact = &c
	}
	if cmd, ok := strings.CutPrefix(in.Value, MenuButtonPrefix); ok && in.Kind == KindButton && cmd != "" {
		// A button that opens part of the menu at any time (an announcement's "Daftar"): read
		// as the command, which the flows never take for an answer.
		in.Kind, in.Text, in.Value = KindText, "/"+cmd, ""
	}
	return in
}
