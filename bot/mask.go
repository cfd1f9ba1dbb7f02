package bot

// MaskID hides most digits of an identifier that may be a phone number (WhatsApp chat ids are
// phone numbers): everything but the first four and last three characters of a run of 8 or more
// digits becomes '*'. Shorter ids pass unchanged.
func MaskID(id string) string {
	b := []byte(id)
	start := -1
	flush := func(end int) {
		if start >= 0 && end-start >= 8 {
			for i := start + 4; i < end-3; i++ {
				b[i] = '*'
			}
		}
		start = -1
	}
	for i, c := range b {
		if c >= '0' && c <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(b))
	return string(b)
}
