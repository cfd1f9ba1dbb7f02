package validate

import (
	"strings"
	"unicode"
)

// maxFindMoneyInput bounds, in bytes, the text FindRupiah reads; a chat
// message that long is not a question about an amount.
const maxFindMoneyInput = 1000

// FindRupiah finds the amount of money in a sentence: "brp iuran kalo gaji
// 2 juta" and "my income is 2m" give 2000000, "penghasilan sy 3,5jt
// sebulan" 3500000. It reads amounts as ParseRupiah does, and takes a
// number for money only when something says it is:
//
//   - a unit: "2 juta", "3,5jt", "500rb", "2m", "dua juta";
//   - a currency: "Rp 2.000.000", "IDR 2,000,000", "2000000 rupiah";
//   - thousands groups: "2.000.000" (one group, "2.500", needs a money word
//     before it, as plain digits do);
//   - a money word shortly before plain digits ("gaji 2500000", "iuran
//     16800"), or plain digits making up the whole message.
//
// It ignores numbers that are something else: a count ("telat bayar 4
// bulan", "2 anak"), a date ("15/08/2025", "15 agustus 2025", "tahun
// 2025", a bare year), a NIK or phone number (over nine digits, a leading
// 0 or +), a time, a percentage, and a number after "nik", "hp", "no",
// "rt", "pp" and such.
// A range ("2-3 juta", "2 sampai 3 juta") or an amount ParseRupiah would
// reject ("2 juta 500") is no amount. Two different amounts in one message
// are ambiguous: ok is false, as it is when there is none.
func FindRupiah(text string) (amount int64, ok bool) {
	if len(text) > maxFindMoneyInput {
		return 0, false
	}
	tokens := englishMoneyWords(sentenceTokens(strings.ToLower(text)))
	found := int64(-1)
	for _, run := range moneyRuns(tokens) {
		v, isMoney := run.amount(tokens)
		if !isMoney {
			continue
		}
		if found >= 0 && found != v {
			return 0, false
		}
		found = v
	}
	return max(found, 0), found > 0
}

// sentenceTokens splits a lower-case sentence into numerals, words and
// punctuation marks; spaces only separate. A numeral runs on after a
// letter ("rp2.5jt" is "rp", "2.5", "jt").
func sentenceTokens(s string) []moneyToken {
	rs := []rune(s)
	tokens := make([]moneyToken, 0, len(rs)/3+1)
	for i := 0; i < len(rs); {
		if t, j, ok := scanMoneyToken(rs, i); ok {
			tokens = append(tokens, t)
			i = j
			continue
		}
		if r := rs[i]; !unicode.IsSpace(r) && !isZeroWidth(r) && !wordHyphen(rs, i) {
			tokens = append(tokens, moneyToken{mark: r})
		}
		i++
	}
	return tokens
}

// moneyRun is a stretch of tokens[from:to] that may be an amount: numerals,
// number words and units.
type moneyRun struct {
	from, to int
	rejected bool // part of a range
}

// moneyRuns finds the stretches of a sentence that may be amounts. A
// numeral that is something else (see notMoney) breaks a run, and so does a
// numeral right after another one ("2025 2 juta" is "2025" and "2 juta").
// Two runs around "atau", "sampai", "-" and such are a range, and so are
// rejected; around "dan" they are one amount when they read as one ("1 juta
// dan 500 ribu").
func moneyRuns(tokens []moneyToken) []moneyRun {
	var runs []moneyRun
	for i := 0; i < len(tokens); {
		if !amountToken(tokens[i]) || (tokens[i].numeral != "" && notMoney(tokens, i)) {
			i++
			continue
		}
		j := i + 1
		for j < len(tokens) && amountToken(tokens[j]) &&
			(tokens[j].numeral == "" || tokens[j-1].numeral == "" && !notMoney(tokens, j)) {
			j++
		}
		runs = append(runs, moneyRun{from: i, to: j})
		i = j
	}
	for k := 1; k < len(runs); k++ {
		a, b := &runs[k-1], &runs[k]
		if b.from != a.to+1 {
			continue
		}
		between := tokens[a.to]
		switch {
		case rangeWords[between.word] || between.mark == '-' || between.mark == '~' || between.mark == '–':
			a.rejected, b.rejected = true, true
		case between.word == "dan" || between.word == "and":
			if _, code := rupiahOf(append(append([]moneyToken(nil), tokens[a.from:a.to]...), tokens[b.from:b.to]...)); code == "" {
				b.from = a.from
				a.rejected = true
			} else if !hasUnit(tokens[a.from:a.to]) && hasUnit(tokens[b.from:b.to]) {
				// "2 dan 3 juta"
				a.rejected, b.rejected = true, true
			}
		}
	}
	return runs
}

// amount reads the run and tells whether it is money (see FindRupiah).
func (r moneyRun) amount(tokens []moneyToken) (int64, bool) {
	if r.rejected {
		return 0, false
	}
	run := dropMoneyFillers(append([]moneyToken(nil), tokens[r.from:r.to]...)) // "1 juta dan 500 ribu"
	v, code := rupiahOf(run)
	if code != "" || v == 0 {
		return 0, false
	}
	if hasUnit(run) {
		return v, true
	}
	if len(run) != 1 || run[0].numeral == "" {
		return 0, false // number words need a unit
	}
	n := run[0].numeral
	currency := r.from > 0 && (tokens[r.from-1].word == "rp" || tokens[r.from-1].word == "idr") ||
		r.to < len(tokens) && (tokens[r.to].word == "rupiah" || tokens[r.to].word == "idr")
	switch {
	case n[0] == '0':
		return 0, false
	case currency:
		return v, true
	case strings.Count(n, ".") > 1 || strings.Count(n, ",") > 1:
		return v, true // "2.000.000"
	case !allDigits(n) && !moneyWordBefore(tokens, r.from):
		return 0, false // "2.500"
	case allDigits(n) && (len(n) < 4 || len(n) > 9 || len(n) == 4 && n >= "1900" && n <= "2100"):
		return 0, false // short, a NIK or phone number, or a year
	}
	return v, moneyWordBefore(tokens, r.from) || onlyAmount(tokens, r)
}

// amountToken reports whether t can be part of an amount.
func amountToken(t moneyToken) bool {
	if t.numeral != "" {
		return true
	}
	w := t.word
	_, digit := digitWords[w]
	return digit || seWords[w] != [2]int64{} || seScaleWords[w] != 0 || scaleWords[w] != 0 ||
		isMultiplierWord(w) || w == "setengah"
}

func hasUnit(run []moneyToken) bool {
	for _, t := range run {
		if scaleWords[t.word] != 0 || seScaleWords[t.word] != 0 {
			return true
		}
	}
	return false
}

// rangeWords join two numbers into a range or a choice.
var rangeWords = map[string]bool{
	"atau": true, "ato": true, "or": true, "sampai": true, "sampe": true, "smp": true, "sd": true,
	"hingga": true, "to": true, "until": true, "ampe": true,
}

// countWords after a number make it a count, not an amount.
var countWords = map[string]bool{
	"bulan": true, "bln": true, "bl": true, "hari": true, "hr": true, "minggu": true, "mgg": true, "pekan": true,
	"tahun": true, "thn": true, "th": true, "thun": true, "kali": true, "x": true, "orang": true, "org": true,
	"anak": true, "jam": true, "menit": true, "mnt": true, "detik": true, "persen": true, "kg": true, "km": true,
	"month": true, "months": true, "day": true, "days": true, "week": true, "weeks": true, "year": true,
	"years": true, "yr": true, "yrs": true, "times": true, "people": true, "kids": true, "children": true,
	"hour": true, "hours": true, "minutes": true, "percent": true, "digit": true, "angka": true,
}

// idWords before a number make it a date, an age, an identifier or a time.
var idWords = map[string]bool{
	"tgl": true, "tanggal": true, "tahun": true, "thn": true, "th": true, "lahir": true, "umur": true, "usia": true,
	"no": true, "nomor": true, "nomer": true, "nik": true, "ktp": true, "kk": true, "hp": true, "wa": true,
	"telp": true, "telepon": true, "tlp": true, "rt": true, "rw": true, "kode": true, "pin": true, "otp": true,
	"ke": true, "jam": true, "pukul": true, "year": true, "age": true, "number": true, "phone": true,
	"date": true, "code": true, "kpj": true, "pp": true, "uu": true, "perpres": true, "permen": true,
	"permenaker": true, "pasal": true, "ayat": true,
}

// moneyWords shortly before plain digits make them an amount.
var moneyWords = map[string]bool{
	"gaji": true, "gajinya": true, "gajian": true, "penghasilan": true, "penghasilannya": true,
	"pendapatan": true, "pendapatannya": true, "upah": true, "honor": true, "income": true, "salary": true,
	"earn": true, "earning": true, "earnings": true, "iuran": true, "iurannya": true, "bayar": true,
	"membayar": true, "harga": true, "biaya": true, "duit": true, "uang": true, "omzet": true, "omset": true,
	"untung": true, "sebesar": true, "senilai": true, "nominal": true, "rp": true, "idr": true,
}

// notMoney reports whether the numeral tokens[i] is a count, date, time,
// phone number, percentage or identifier rather than an amount.
func notMoney(tokens []moneyToken, i int) bool {
	var prev, next moneyToken
	if i > 0 {
		prev = tokens[i-1]
	}
	if i+1 < len(tokens) {
		next = tokens[i+1]
	}
	if countWords[next.word] || idWords[prev.word] || isMonth(next.word) || isMonth(prev.word) {
		return true
	}
	if prev.mark == '+' || prev.mark == '#' || prev.mark == '@' || next.mark == '%' {
		return true
	}
	// "15/08/2025", "0812-3456", "2-3", "8:30": a numeral on the other side
	// of a slash, dash or colon.
	joins := func(mark rune, j int) bool {
		return (mark == '/' || mark == '-' || mark == ':') && j >= 0 && j < len(tokens) && tokens[j].numeral != ""
	}
	return joins(prev.mark, i-2) || joins(next.mark, i+2)
}

// isMonth reports whether w names a month ("agustus", "agt", "aug"), not
// counting Roman numerals.
func isMonth(w string) bool {
	_, ok := monthWords[w]
	return ok && strings.Trim(w, "ivx") != ""
}

// moneyWordBefore reports whether one of the four words before tokens[i]
// says money ("gaji saya sebulan 2500000").
func moneyWordBefore(tokens []moneyToken, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if moneyWords[tokens[j].word] {
			return true
		}
	}
	return false
}

// onlyAmount reports whether the run is all there is, apart from fillers.
func onlyAmount(tokens []moneyToken, r moneyRun) bool {
	for i, t := range tokens {
		if i >= r.from && i < r.to {
			continue
		}
		if t.word != "" && !moneyFillers[t.word] || t.numeral != "" {
			return false
		}
	}
	return true
}
