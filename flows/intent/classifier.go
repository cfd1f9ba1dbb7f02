package intent

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Result is the outcome of classifying one message.
type Result struct {
	Label Label
	// Confidence is in [0, 1]. For a label it is the calibrated probability
	// of that label; for unknown chosen because no label was likely enough,
	// it is 1 minus the best label's probability.
	Confidence float64
	// Alternatives are the next most likely labels, best first (at most 3).
	Alternatives []Scored
	// Explain is a human-readable trace: tokens, spelling fixes, slang and
	// stemming rewrites, the strongest features with their weights, and the
	// decision. Only Explain fills it; Classify leaves it nil to stay cheap.
	Explain []string
}

// config is the method: pipeline stages, features, model and decision.
type config struct {
	lex       lexConfig
	feat      featConfig
	model     string // "lr" or "nb"
	lr        lrParams
	nbAlpha   float64
	noRules   bool    // ignore data/rules.tsv
	noNewRule bool    // do not answer unknown when no word is known to the model
	temp      float64 // softmax temperature
	threshold float64 // default for WithThreshold
}

// defaultConfig is the method chosen by the measurements in doc.go.
var defaultConfig = config{
	feat:      featConfig{noBigrams: true},
	model:     "lr",
	lr:        lrParams{epochs: 30, rate: 0.5, l2: 1e-4},
	nbAlpha:   0.1,
	temp:      0.80,
	threshold: 0.375,
}

// Classifier maps free text to a Label. It is immutable after New and safe
// for concurrent use.
type Classifier struct {
	lex       *lexicon
	feat      featConfig
	model     *linearModel
	rules     *rules // nil without keyword rules (a measurement)
	newRule   bool
	threshold float64
	// min is each label's own minimum confidence (data/rules.tsv, then
	// WithLabelThreshold); the threshold applies when it is lower.
	min [numLabels]float64
}

var defaultLexicon = sync.OnceValue(func() *lexicon {
	ex, err := parseExamples("train.tsv", mustData("data/train.tsv"))
	if err != nil {
		panic(err)
	}
	lx, err := newLexicon(lexConfig{}, mustData("data/slang.tsv"), mustData("data/roots.txt"), mustData("data/words.txt"), texts(ex))
	if err != nil {
		panic(err)
	}
	return lx
})

var defaultClassifier = sync.OnceValue(func() *Classifier {
	c, err := New()
	if err != nil {
		panic(err) // embedded data is checked by the tests
	}
	return c
})

// Default returns the classifier trained on the embedded data, built on
// first use (about 0.1 s) and shared afterwards.
func Default() *Classifier { return defaultClassifier() }

// Normalize returns the canonical tokens the default classifier scores:
// lower-cased, punctuation and emoji removed, repeated letters and typos
// fixed, slang rewritten to standard Indonesian, affixes stripped.
func Normalize(text string) []string {
	return defaultLexicon().normalize(text, nil)
}

func texts(ex []example) []string {
	out := make([]string, len(ex))
	for i, e := range ex {
		out[i] = e.text
	}
	return out
}

// New trains a classifier on the embedded training set. Training is
// deterministic: two classifiers built with the same options agree on
// every input.
func New(opts ...Option) (*Classifier, error) {
	s := settings{cfg: defaultConfig}
	for _, o := range opts {
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	if !s.thresholdSet {
		s.threshold = s.cfg.threshold
	}
	ex, custom := s.examples, s.examples != nil
	if !custom {
		var err error
		if ex, err = parseExamples("train.tsv", mustData("data/train.tsv")); err != nil {
			return nil, err
		}
	}
	lx := defaultLexicon()
	if custom || s.cfg.lex != (lexConfig{}) {
		// the lexicon accepts the training words as spellings: rebuild it
		var err error
		lx, err = newLexicon(s.cfg.lex, mustData("data/slang.tsv"), mustData("data/roots.txt"), mustData("data/words.txt"), texts(ex))
		if err != nil {
			return nil, err
		}
	}
	c := &Classifier{
		lex:       lx,
		feat:      s.cfg.feat,
		model:     train(s.cfg, lx, ex),
		newRule:   !s.cfg.noNewRule,
		threshold: s.threshold,
	}
	if !s.cfg.noRules {
		var err error
		if c.rules, err = parseRules(mustData("data/rules.tsv")); err != nil {
			return nil, err
		}
		c.min = c.rules.min
	}
	for l, v := range s.labelMin {
		c.min[l] = v
	}
	return c, nil
}

// train extracts features from the examples and fits the configured model.
func train(cfg config, lx *lexicon, ex []example) *linearModel {
	m := &linearModel{index: map[uint64]int32{}, temp: cfg.temp}
	var X [][]int32
	var y []int
	docs := make([][]string, 0, len(ex))
	labels := make([]Label, 0, len(ex))
	df := map[string]int{} // how many examples contain each word
	for _, e := range ex {
		toks := lx.normalize(e.text, nil)
		if len(toks) == 0 {
			continue // emoji-only and punctuation-only messages: handled before the model
		}
		docs = append(docs, toks)
		labels = append(labels, e.label)
		for i, t := range toks {
			if !slices.Contains(toks[:i], t) {
				df[t]++
			}
		}
	}
	isNew := func(t string) bool { return df[t] <= 1 }
	sink := featSink{named: true}
	for d, toks := range docs {
		sink.hashes, sink.names = sink.hashes[:0], sink.names[:0]
		cfg.feat.extract(toks, isNew, &sink)
		ids := make([]int32, 0, len(sink.hashes))
		for k, h := range sink.hashes {
			id, ok := m.index[h]
			if !ok {
				id = int32(len(m.names))
				m.index[h] = id
				m.names = append(m.names, sink.names[k])
			}
			ids = append(ids, id)
		}
		slices.Sort(ids)
		X = append(X, slices.Compact(ids))
		y = append(y, labelIndex(labels[d]))
	}
	switch cfg.model {
	case "nb":
		m.w, m.bias = trainNB(X, y, len(m.names), cfg.nbAlpha)
	default:
		m.l2norm = true
		m.w, m.bias = trainLR(X, y, len(m.names), cfg.lr, m.l2norm)
	}
	return m
}

// Classify returns the most likely label of text. It never fails: empty,
// off-topic or garbled text is LabelUnknown.
func (c *Classifier) Classify(text string) Result {
	return c.classify(text, nil)
}

// Explain is Classify with Result.Explain filled in.
func (c *Classifier) Explain(text string) Result {
	tr := &trace{}
	r := c.classify(text, tr)
	r.Explain = tr.lines
	return r
}

func (c *Classifier) classify(text string, tr *trace) Result {
	toks := c.lex.normalize(text, tr)
	if len(toks) == 0 {
		tr.add("decision: no words -> unknown")
		return Result{Label: LabelUnknown, Confidence: 1}
	}
	p, known := c.score(toks, tr)

	order := [numLabels]int{}
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order[:], func(a, b int) bool { return p[order[a]] > p[order[b]] })
	top := order[0]
	res := Result{Label: allLabels[top], Confidence: p[top]}
	why := ""
	switch {
	case top == unknownIndex:
	case c.newRule && known == 0:
		why = "no word is known to the model"
	case p[top] < c.threshold:
		why = fmt.Sprintf("%.2f < threshold %.2f", p[top], c.threshold)
	case p[top] < c.min[top]:
		why = fmt.Sprintf("%.2f < %s minimum %.2f", p[top], allLabels[top], c.min[top])
	}
	if why != "" {
		res.Label, res.Confidence = LabelUnknown, 1-p[top]
	}
	res.Alternatives = make([]Scored, 0, 3)
	for _, k := range order {
		if allLabels[k] == res.Label || len(res.Alternatives) == 3 {
			continue
		}
		res.Alternatives = append(res.Alternatives, Scored{allLabels[k], p[k]})
	}
	if tr != nil {
		var sb strings.Builder
		for i, k := range order[:5] {
			if i > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "%s %.3f", allLabels[k], p[k])
		}
		tr.add("probabilities: %s", sb.String())
		if why == "" {
			tr.add("decision: %s %.2f", res.Label, res.Confidence)
		} else {
			tr.add("decision: unknown %.2f (best %s: %s)", res.Confidence, allLabels[top], why)
		}
	}
	return res
}

// score returns the label probabilities of canonical tokens and how many
// distinct words of the message the model knows.
func (c *Classifier) score(toks []string, tr *trace) ([numLabels]float64, int) {
	m := c.model
	var hbuf [96]uint64
	var ibuf [96]int32
	sink := featSink{hashes: hbuf[:0]}
	known := 0
	for _, t := range toks {
		if m.knows(t) {
			known++
		}
	}
	c.feat.extract(toks, func(t string) bool { return !m.knows(t) }, &sink)
	ids := m.lookup(sink.hashes, ibuf[:0])
	var z [numLabels]float64
	m.logits(ids, &z)
	top := 0
	for k := range z {
		if z[k] > z[top] {
			top = k
		}
	}
	var fired [maxRules]bool
	if c.rules != nil {
		fired = c.rules.match(toks)
		c.rules.apply(toks, &fired, &z, tr)
	}
	if tr != nil {
		c.explainFeatures(ids, top, tr)
	}
	softmax(&z, m.temp)
	if c.rules != nil {
		c.rules.gate(&fired, &z, tr)
	}
	return z, known
}

// explainFeatures lists the features that pushed hardest towards label top.
func (c *Classifier) explainFeatures(ids []int32, top int, tr *trace) {
	m := c.model
	if len(ids) == 0 {
		tr.add("features: none known")
		return
	}
	type contrib struct {
		name string
		w    float64
	}
	v := m.value(len(ids))
	cs := make([]contrib, 0, len(ids))
	for _, id := range ids {
		row := m.w[int(id)*numLabels:]
		// weight relative to the mean over labels: what the feature says
		// about this label compared to the others
		mean := 0.0
		for k := range numLabels {
			mean += float64(row[k])
		}
		mean /= float64(numLabels)
		cs = append(cs, contrib{m.names[id], v * (float64(row[top]) - mean)})
	}
	sort.SliceStable(cs, func(i, j int) bool { return abs(cs[i].w) > abs(cs[j].w) })
	if len(cs) > 10 {
		cs = cs[:10]
	}
	for _, x := range cs {
		tr.add("feature %-24s %+.3f for %s", x.name, x.w, allLabels[top])
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
