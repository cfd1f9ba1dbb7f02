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

// MaskText hides most digits of every number in free text that may be a NIK or a phone number:
// a run of at least 8 digits, also when written in groups ("0812 3456 7890", "3201-0115-...",
// "+62 812.3456.7890"), keeps its first four and last three digits; the separators stay. For
// what a worker wrote that is kept or shown to staff.
func MaskText(s string) string {
	b := []byte(s)
	i := 0
	for i < len(b) {
		if b[i] < '0' || b[i] > '9' {
			i++
			continue
		}
		// A number: digits, with single separators between groups of digits.
		var digits []int
		j := i
		for j < len(b) {
			if b[j] >= '0' && b[j] <= '9' {
				digits = append(digits, j)
				j++
				continue
			}
			if (b[j] == ' ' || b[j] == '-' || b[j] == '.') && j+1 < len(b) && b[j+1] >= '0' && b[j+1] <= '9' {
				j++
				continue
			}
			break
		}
		if len(digits) >= 8 {
			for _, k := range digits[4 : len(digits)-3] {
				b[k] = '*'
			}
		}
		i = j
	}
	return string(b)
}
