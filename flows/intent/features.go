package intent

// Features are hashed with 64-bit FNV-1a so that scoring needs no string
// building; names are built only while training and explaining. A feature's
// hash is the FNV-1a hash of its name, so the two paths cannot disagree.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnvBytes(h uint64, s []byte) uint64 {
	for _, c := range s {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// featConfig chooses the feature families, for the measurements in doc.go.
type featConfig struct {
	noBigrams bool // word bigrams, with <s> and </s> at the ends
	charGrams bool // character 3- and 4-grams of each word
	noOOV     bool // one "o:oov" feature if any word is new to the model
}

// featSink receives features; names are kept only when named is set.
type featSink struct {
	named  bool
	hashes []uint64
	names  []string
}

// emit adds the feature named kind+":"+a, or kind+":"+a+" "+b if b != "".
func (s *featSink) emit(kind, a, b string) {
	h := fnvString(fnvOffset, kind)
	h = fnvString(h, ":")
	h = fnvString(h, a)
	if b != "" {
		h = fnvString(h, " ")
		h = fnvString(h, b)
	}
	s.hashes = append(s.hashes, h)
	if s.named {
		name := kind + ":" + a
		if b != "" {
			name += " " + b
		}
		s.names = append(s.names, name)
	}
}

func (s *featSink) emitBytes(kind string, g []byte) {
	h := fnvString(fnvOffset, kind)
	h = fnvString(h, ":")
	s.hashes = append(s.hashes, fnvBytes(h, g))
	if s.named {
		s.names = append(s.names, kind+":"+string(g))
	}
}

// wordClass maps numbers to a shape, so "16800" and "8400" share weights;
// eight or more digits look like a NIK or phone number.
func wordClass(t string) string {
	if !isNumber(t) {
		return t
	}
	digits := 0
	for i := 0; i < len(t); i++ {
		if '0' <= t[i] && t[i] <= '9' {
			digits++
		}
	}
	if digits >= 8 {
		return "<id>"
	}
	return "<num>"
}

// extract sends every feature of the canonical tokens toks to s. isNew
// tells whether the model has (almost) never seen a word: at training time
// a word in only one example, at run time a word absent from training, so
// the "o:oov" weight is learnt from the same kind of evidence it meets later.
func (fc featConfig) extract(toks []string, isNew func(string) bool, s *featSink) {
	prev := "<s>"
	oov := false
	for _, t := range toks {
		w := wordClass(t)
		s.emit("w", w, "")
		if !fc.noBigrams {
			s.emit("b", prev, w)
		}
		prev = w
		if !fc.noOOV && !oov && !isNumber(t) && isNew(t) {
			oov = true
		}
		if fc.charGrams && !isNumber(t) && len(t) <= 30 {
			var buf [32]byte
			p := append(append(append(buf[:0], '^'), t...), '$')
			for n := 3; n <= 4; n++ {
				for i := 0; i+n <= len(p); i++ {
					s.emitBytes("c", p[i:i+n])
				}
			}
		}
	}
	if !fc.noBigrams && len(toks) > 0 {
		s.emit("b", prev, "</s>")
	}
	if oov {
		s.emit("o", "oov", "")
	}
}
