package intent

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// The measurements behind the method in doc.go. They take a minute, so they
// run only on request:
//
//	go test ./flows/intent -run TestCompareMethods -intent.compare -v
var compare = flag.Bool("intent.compare", false, "run the method comparison (slow)")

// probs returns the calibrated probabilities for text, and false when the
// text has no words.
func (c *Classifier) probs(text string) ([numLabels]float64, bool) {
	toks := c.lex.normalize(text, nil)
	if len(toks) == 0 {
		return [numLabels]float64{}, false
	}
	p, known := c.score(toks, nil)
	if c.newRule && known == 0 {
		// the rule forces unknown: show it as certainty
		p = [numLabels]float64{}
		p[unknownIndex] = 1
	}
	return p, true
}

// oofPred is one out-of-fold prediction.
type oofPred struct {
	truth int
	p     [numLabels]float64
	empty bool
}

// crossValidate returns out-of-fold predictions of a stratified k-fold split
// of the training set. Each fold's lexicon only knows its training words.
func crossValidate(t testing.TB, cfg config, ex []example, k int) []oofPred {
	p, _ := crossValidateNoisy(t, cfg, ex, k)
	return p
}

// misspell applies one random edit (swap, delete, substitute, double) to one
// random word of five or more letters, the kind of typo thumbs make.
func misspell(rng *rand.Rand, text string) string {
	words := strings.Fields(text)
	var cands []int
	for i, w := range words {
		if len(w) >= 5 && isASCIIWord(strings.ToLower(w)) {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		return text
	}
	i := cands[rng.IntN(len(cands))]
	w := []byte(words[i])
	j := 1 + rng.IntN(len(w)-2) // keep the first letter, as people mostly do
	switch rng.IntN(4) {
	case 0:
		w[j], w[j+1] = w[j+1], w[j]
	case 1:
		w = append(w[:j], w[j+1:]...)
	case 2:
		w[j] = byte('a' + rng.IntN(26))
	default:
		w = append(w[:j+1], w[j:]...)
	}
	words[i] = string(w)
	return strings.Join(words, " ")
}

// crossValidateNoisy also returns predictions for each test message with
// one typo added (see misspell).
func crossValidateNoisy(t testing.TB, cfg config, ex []example, k int) ([]oofPred, []oofPred) {
	noise := rand.New(rand.NewPCG(3, 3))
	var noisy []oofPred
	folds := make([]int, len(ex))
	perLabel := map[Label]int{}
	rng := rand.New(rand.NewPCG(7, 7))
	perm := rng.Perm(len(ex))
	for _, i := range perm {
		folds[i] = perLabel[ex[i].label] % k
		perLabel[ex[i].label]++
	}
	var out []oofPred
	for f := range k {
		var tr, te []example
		for i, e := range ex {
			if folds[i] == f {
				te = append(te, e)
			} else {
				tr = append(tr, e)
			}
		}
		cfgNoTemp := cfg
		cfgNoTemp.temp = 1
		c, err := New(withConfig(cfgNoTemp), withExamples(tr), WithThreshold(0))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range te {
			p, ok := c.probs(e.text)
			out = append(out, oofPred{truth: labelIndex(e.label), p: p, empty: !ok})
			p, ok = c.probs(misspell(noise, e.text))
			noisy = append(noisy, oofPred{truth: labelIndex(e.label), p: p, empty: !ok})
		}
	}
	return out, noisy
}

// scoreAt applies temperature and threshold to out-of-fold predictions.
type cvScore struct {
	acc, macroRecall, minRecall, nll, ece float64
}

func rescale(p [numLabels]float64, temp float64) [numLabels]float64 {
	// p came from softmax at temperature 1: log p are logits up to a constant
	var z [numLabels]float64
	for c, x := range p {
		z[c] = math.Log(max(x, 1e-300))
	}
	softmax(&z, temp)
	return z
}

func scoreAt(preds []oofPred, temp, threshold float64) cvScore {
	var hit, n [numLabels]float64
	var s cvScore
	var binConf, binAcc, binN [10]float64
	for _, pr := range preds {
		n[pr.truth]++
		pred, conf := unknownIndex, 1.0
		if !pr.empty {
			p := rescale(pr.p, temp)
			top := 0
			for c := range p {
				if p[c] > p[top] {
					top = c
				}
			}
			pred, conf = top, p[top]
			if top != unknownIndex && p[top] < threshold {
				pred, conf = unknownIndex, 1-p[top]
			}
			s.nll -= math.Log(max(p[pr.truth], 1e-12))
		}
		ok := 0.0
		if pred == pr.truth {
			hit[pr.truth]++
			ok = 1
		}
		b := min(int(conf*10), 9)
		binConf[b] += conf
		binAcc[b] += ok
		binN[b]++
	}
	total, correct := 0.0, 0.0
	s.minRecall = 1
	for c := range numLabels {
		total += n[c]
		correct += hit[c]
		if n[c] > 0 {
			r := hit[c] / n[c]
			s.macroRecall += r / float64(numLabels)
			s.minRecall = min(s.minRecall, r)
		}
	}
	s.acc = correct / total
	s.nll /= total
	for b := range binN {
		if binN[b] > 0 {
			s.ece += math.Abs(binConf[b]-binAcc[b]) / total
		}
	}
	return s
}

// tune picks the temperature with the lowest log loss, then the threshold
// with the best accuracy (ties: the lower threshold).
func tune(preds []oofPred) (temp, threshold float64) {
	temp, best := 1.0, math.Inf(1)
	for t := 0.3; t <= 3.0001; t += 0.05 {
		if s := scoreAt(preds, t, 0); s.nll < best {
			temp, best = t, s.nll
		}
	}
	bestAcc := -1.0
	for th := 0.0; th <= 0.9001; th += 0.025 {
		if s := scoreAt(preds, temp, th); s.acc > bestAcc+1e-9 {
			threshold, bestAcc = th, s.acc
		}
	}
	return temp, threshold
}

func loadTrain(t testing.TB) []example {
	ex, err := parseExamples("train.tsv", mustData("data/train.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func loadHeldOut(t testing.TB) []example {
	b, err := os.ReadFile("testdata/heldout.tsv")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := parseExamples("heldout.tsv", b)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func TestCompareMethods(t *testing.T) {
	if !*compare {
		t.Skip("run with -intent.compare")
	}
	ex := loadTrain(t)
	held := loadHeldOut(t)
	nb := defaultConfig
	nb.model = "nb"
	variants := []struct {
		name string
		cfg  config
	}{
		{"lr words (chosen)", defaultConfig},
		{"nb words", nb},
	}
	with := func(name string, base config, f func(*config)) {
		c := base
		f(&c)
		variants = append(variants, struct {
			name string
			cfg  config
		}{name, c})
	}
	with("lr +bigrams", defaultConfig, func(c *config) { c.feat.noBigrams = false })
	with("nb +bigrams", nb, func(c *config) { c.feat.noBigrams = false })
	with("lr +char 3-4grams", defaultConfig, func(c *config) { c.feat.charGrams = true })
	with("nb +char 3-4grams", nb, func(c *config) { c.feat.charGrams = true })
	with("lr +bigrams +char", defaultConfig, func(c *config) { c.feat.noBigrams, c.feat.charGrams = false, true })
	with("lr l2=1e-3", defaultConfig, func(c *config) { c.lr.l2 = 1e-3 })
	with("lr l2=0", defaultConfig, func(c *config) { c.lr.l2 = 0 })
	with("lr 10 epochs", defaultConfig, func(c *config) { c.lr.epochs = 10 })
	with("lr 60 epochs", defaultConfig, func(c *config) { c.lr.epochs = 60 })
	with("lr rate 0.2", defaultConfig, func(c *config) { c.lr.rate = 0.2 })
	with("lr rate 1.0", defaultConfig, func(c *config) { c.lr.rate = 1.0 })
	with("lr no oov feature", defaultConfig, func(c *config) { c.feat.noOOV = true })
	with("lr no keyword rules", defaultConfig, func(c *config) { c.noRules = true })
	with("lr no all-new rule", defaultConfig, func(c *config) { c.noNewRule = true })
	with("lr no typo fixing", defaultConfig, func(c *config) { c.lex.noTypo = true })
	with("lr no stemming", defaultConfig, func(c *config) { c.lex.noStem = true })
	with("lr no slang table", defaultConfig, func(c *config) { c.lex.noSlang = true })
	with("lr no repeat collapse", defaultConfig, func(c *config) { c.lex.noCollapse = true })
	with("lr bare (no slang/stem/typo)", defaultConfig, func(c *config) {
		c.lex = lexConfig{noSlang: true, noStem: true, noTypo: true, noCollapse: true}
	})
	if v := os.Getenv("INTENT_ONLY"); v != "" {
		variants = slices.DeleteFunc(variants, func(x struct {
			name string
			cfg  config
		}) bool {
			return !strings.Contains(x.name, v)
		})
	}
	fmt.Printf("%-30s %7s %7s %7s %7s %7s %6s %6s %5s %5s | %7s %7s\n", "5-fold CV on train.tsv", "acc@0", "acc", "typoAcc", "macroR", "minR", "NLL", "ECE", "temp", "thr", "held", "heldMin")
	for _, v := range variants {
		start := time.Now()
		preds, noisy := crossValidateNoisy(t, v.cfg, ex, 5)
		temp, th := tune(preds)
		s0 := scoreAt(preds, 1, 0)
		s := scoreAt(preds, temp, th)
		sn := scoreAt(noisy, temp, th)
		elapsed := time.Since(start)
		cfg := v.cfg
		cfg.temp, cfg.threshold = temp, th
		c, err := New(withConfig(cfg))
		if err != nil {
			t.Fatal(err)
		}
		acc, recall := math.NaN(), map[Label]float64{}
		if os.Getenv("INTENT_HELD") != "" { // held-out numbers for the report, never for choosing
			acc, recall = evaluate(c, held)
		}
		minR := math.NaN()
		if len(recall) > 0 {
			minR = 1
		}
		for _, r := range recall {
			minR = min(minR, r)
		}
		fmt.Printf("%-30s %7.4f %7.4f %7.4f %7.4f %7.4f %6.3f %6.3f %5.2f %5.3f | %7.4f %7.4f  (%v)\n",
			v.name, s0.acc, s.acc, sn.acc, s.macroRecall, s.minRecall, s.nll, s.ece, temp, th, acc, minR, elapsed.Round(time.Millisecond))
	}
}

// evaluate returns accuracy and per-label recall of c on ex.
func evaluate(c *Classifier, ex []example) (float64, map[Label]float64) {
	hit, n := map[Label]float64{}, map[Label]float64{}
	correct := 0.0
	for _, e := range ex {
		n[e.label]++
		if c.Classify(e.text).Label == e.label {
			hit[e.label]++
			correct++
		}
	}
	recall := map[Label]float64{}
	for l, k := range n {
		recall[l] = hit[l] / k
	}
	return correct / float64(len(ex)), recall
}

var showErrors = flag.Bool("intent.errors", false, "print cross-validation errors of the default method")

func TestCrossValidationErrors(t *testing.T) {
	if !*showErrors {
		t.Skip("run with -intent.errors")
	}
	ex := loadTrain(t)
	preds := crossValidate(t, defaultConfig, ex, 5)
	// crossValidate visits folds in order; rebuild the same order of texts
	folds := make([]int, len(ex))
	perLabel := map[Label]int{}
	rng := rand.New(rand.NewPCG(7, 7))
	for _, i := range rng.Perm(len(ex)) {
		folds[i] = perLabel[ex[i].label] % 5
		perLabel[ex[i].label]++
	}
	k := 0
	for f := range 5 {
		for i, e := range ex {
			if folds[i] != f {
				continue
			}
			pr := preds[k]
			k++
			top := 0
			for c := range pr.p {
				if pr.p[c] > pr.p[top] {
					top = c
				}
			}
			if pr.empty {
				top = unknownIndex
			}
			if top != pr.truth {
				fmt.Printf("%-12s -> %-12s %.2f  %q  %v\n", e.label, allLabels[top], pr.p[top], e.text, Normalize(e.text))
			}
		}
	}
}

// TestLabelMinimums shows, for the labels with their own minimum confidence
// in data/rules.tsv, what each candidate minimum keeps and stops in the
// cross-validation predictions: the minimum is chosen from this table,
// never from the held-out set.
//
//	go test ./flows/intent -run TestLabelMinimums -intent.compare -v
func TestLabelMinimums(t *testing.T) {
	if !*compare {
		t.Skip("run with -intent.compare")
	}
	preds := crossValidate(t, defaultConfig, loadTrain(t), 5)
	rs, err := parseRules(mustData("data/rules.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for l := range numLabels {
		if rs.min[l] == 0 {
			continue
		}
		fmt.Printf("%s (data/rules.tsv: %.2f)\n   min  answered  right  wrong  recall  precision\n", allLabels[l], rs.min[l])
		for m := 0.35; m <= 0.9001; m += 0.05 {
			var right, wrong, n int
			for _, pr := range preds {
				if pr.truth == l {
					n++
				}
				if pr.empty {
					continue
				}
				p := rescale(pr.p, defaultConfig.temp)
				top := 0
				for c := range p {
					if p[c] > p[top] {
						top = c
					}
				}
				if top != l || p[top] < max(m, defaultConfig.threshold) {
					continue
				}
				if pr.truth == l {
					right++
				} else {
					wrong++
				}
			}
			fmt.Printf("  %.2f  %8d  %5d  %5d  %6.3f  %9.3f\n", m, right+wrong, right, wrong, float64(right)/float64(n), float64(right)/float64(max(right+wrong, 1)))
		}
	}
}
