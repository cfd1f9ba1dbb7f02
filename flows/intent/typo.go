package intent

import (
	"slices"
	"sort"
)

// typoIndex finds vocabulary words within a small Damerau–Levenshtein
// (optimal string alignment) distance of a misspelt word. It is a symmetric
// deletion index: every word is stored under the hashes of all its spellings
// with up to two bytes deleted; a query looks up its own deletions and
// verifies each candidate with the real distance. Lookups never scan the
// vocabulary, so a misspelt word costs a few microseconds.
type typoIndex struct {
	words []string
	freq  []int32
	keys  []uint64 // sorted deletion hashes
	ids   []int32  // word id for each key
}

const (
	typoMinLen = 4  // shorter words are too ambiguous to correct
	typoMaxLen = 24 // longer tokens are not words
)

// typoMaxDist is the largest distance corrected for a word of n bytes.
func typoMaxDist(n int) int {
	switch {
	case n < typoMinLen:
		return 0
	case n <= 6:
		return 1
	default:
		return 2
	}
}

func newTypoIndex(vocab map[string]int) *typoIndex {
	ix := &typoIndex{}
	for w := range vocab {
		if len(w) >= typoMinLen && len(w) <= typoMaxLen && isASCIIWord(w) {
			ix.words = append(ix.words, w)
		}
	}
	slices.Sort(ix.words)
	type entry struct {
		key uint64
		id  int32
	}
	var entries []entry
	seen := map[uint64]bool{}
	for id, w := range ix.words {
		ix.freq = append(ix.freq, int32(vocab[w]))
		clear(seen)
		deletions(w, 2, func(h uint64) {
			if !seen[h] {
				seen[h] = true
				entries = append(entries, entry{h, int32(id)})
			}
		})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].key != entries[j].key {
			return entries[i].key < entries[j].key
		}
		return entries[i].id < entries[j].id
	})
	ix.keys = make([]uint64, len(entries))
	ix.ids = make([]int32, len(entries))
	for i, e := range entries {
		ix.keys[i], ix.ids[i] = e.key, e.id
	}
	return ix
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// deletions calls fn with the hash of w with every choice of up to max
// (at most 2) deleted bytes, including none.
func deletions(w string, max int, fn func(uint64)) {
	fn(hashSkip(w, -1, -1))
	if max < 1 {
		return
	}
	for i := range len(w) {
		fn(hashSkip(w, i, -1))
		if max < 2 {
			continue
		}
		for j := i + 1; j < len(w); j++ {
			fn(hashSkip(w, i, j))
		}
	}
}

func hashSkip(w string, i, j int) uint64 {
	h := uint64(fnvOffset)
	for k := 0; k < len(w); k++ {
		if k == i || k == j {
			continue
		}
		h ^= uint64(w[k])
		h *= fnvPrime
	}
	return h
}

// correct returns the closest vocabulary word to q and its distance.
// Ties go to the more frequent word, then to the alphabetically first.
func (ix *typoIndex) correct(q string) (string, int, bool) {
	maxD := typoMaxDist(len(q))
	if maxD == 0 || len(q) > typoMaxLen || !isASCIIWord(q) {
		return "", 0, false
	}
	best, bestD := int32(-1), maxD+1
	var checked [64]int32
	nc := 0
	deletions(q, maxD, func(h uint64) {
		i, _ := slices.BinarySearch(ix.keys, h)
		for ; i < len(ix.keys) && ix.keys[i] == h; i++ {
			id := ix.ids[i]
			if slices.Contains(checked[:nc], id) {
				continue
			}
			if nc < len(checked) {
				checked[nc] = id
				nc++
			}
			w := ix.words[id]
			if len(w) < typoMinLen {
				continue
			}
			d := osaDistance(q, w, maxD)
			if d > maxD {
				continue
			}
			if d < bestD || d == bestD && (ix.freq[id] > ix.freq[best] || ix.freq[id] == ix.freq[best] && w < ix.words[best]) {
				best, bestD = id, d
			}
		}
	})
	if best < 0 {
		return "", 0, false
	}
	return ix.words[best], bestD, true
}

// osaDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and adjacent transpositions), or
// max+1 once it is certain to exceed max. Both strings are at most
// typoMaxLen bytes.
func osaDistance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	var rows [3][typoMaxLen + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
