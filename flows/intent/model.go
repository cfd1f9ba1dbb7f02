package intent

import (
	"math"
	"math/rand/v2"
	"slices"
)

// linearModel scores labels as bias + the sum of the weights of the
// features present; both trainers below produce one. Weights are stored
// feature-major so one feature's row is contiguous.
type linearModel struct {
	index  map[uint64]int32
	names  []string
	w      []float32
	bias   [numLabels]float32
	l2norm bool    // feature values 1/sqrt(n) instead of 1
	temp   float64 // softmax temperature, fitted by cross-validation
}

// knows reports whether the model has a unigram weight for word t.
func (m *linearModel) knows(t string) bool {
	_, ok := m.index[fnvString(fnvString(fnvOffset, "w:"), wordClass(t))]
	return ok
}

// lookup maps feature hashes to sorted, distinct feature ids.
func (m *linearModel) lookup(hashes []uint64, dst []int32) []int32 {
	for _, h := range hashes {
		if id, ok := m.index[h]; ok {
			dst = append(dst, id)
		}
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

func (m *linearModel) value(n int) float64 {
	if m.l2norm && n > 0 {
		return 1 / math.Sqrt(float64(n))
	}
	return 1
}

// logits writes the raw scores of the features ids into z.
func (m *linearModel) logits(ids []int32, z *[numLabels]float64) {
	for c := range z {
		z[c] = float64(m.bias[c])
	}
	v := m.value(len(ids))
	for _, id := range ids {
		row := m.w[int(id)*numLabels : int(id)*numLabels+numLabels]
		for c := range z {
			z[c] += v * float64(row[c])
		}
	}
}

func softmax(z *[numLabels]float64, temp float64) {
	if temp <= 0 {
		temp = 1
	}
	mx := math.Inf(-1)
	for _, x := range z {
		mx = max(mx, x)
	}
	sum := 0.0
	for c, x := range z {
		z[c] = math.Exp((x - mx) / temp)
		sum += z[c]
	}
	for c := range z {
		z[c] /= sum
	}
}

// lrParams are the hyper-parameters of the logistic-regression trainer.
type lrParams struct {
	epochs int
	rate   float64 // AdaGrad base learning rate
	l2     float64 // L2 penalty, applied to the features of each example
}

// trainLR fits multinomial logistic regression with AdaGrad on X (feature
// ids per example) and y (label indexes). The example order is shuffled
// with a fixed seed, so training is deterministic.
func trainLR(X [][]int32, y []int, nFeat int, p lrParams, l2norm bool) ([]float32, [numLabels]float32) {
	w := make([]float64, nFeat*numLabels)
	g2 := make([]float64, nFeat*numLabels)
	var bias, bg2 [numLabels]float64
	order := make([]int, len(X))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(1, 2))
	m := &linearModel{l2norm: l2norm}
	var z [numLabels]float64
	for range p.epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			ids := X[i]
			v := m.value(len(ids))
			z = [numLabels]float64{}
			for c := range z {
				z[c] = bias[c]
			}
			for _, id := range ids {
				row := w[int(id)*numLabels:]
				for c := range z {
					z[c] += v * row[c]
				}
			}
			softmax(&z, 1)
			z[y[i]] -= 1 // gradient of the log loss with respect to the logits
			for c := range z {
				g := z[c]
				bg2[c] += g * g
				bias[c] -= p.rate * g / (math.Sqrt(bg2[c]) + 1e-8)
			}
			for _, id := range ids {
				base := int(id) * numLabels
				for c := range z {
					k := base + c
					g := z[c]*v + p.l2*w[k]
					g2[k] += g * g
					w[k] -= p.rate * g / (math.Sqrt(g2[k]) + 1e-8)
				}
			}
		}
	}
	out := make([]float32, len(w))
	for k, x := range w {
		out[k] = float32(x)
	}
	var b [numLabels]float32
	for c, x := range bias {
		b[c] = float32(x)
	}
	return out, b
}

// trainNB fits multinomial naive Bayes with additive smoothing alpha; the
// result is linear in the (binary) features: log P(f|c) as weights, log
// P(c) as bias. Features absent from a message contribute nothing.
func trainNB(X [][]int32, y []int, nFeat int, alpha float64) ([]float32, [numLabels]float32) {
	counts := make([]float64, nFeat*numLabels)
	var total, docs [numLabels]float64
	for i, ids := range X {
		docs[y[i]]++
		for _, id := range ids {
			counts[int(id)*numLabels+y[i]]++
			total[y[i]]++
		}
	}
	w := make([]float32, nFeat*numLabels)
	for f := range nFeat {
		for c := range numLabels {
			w[f*numLabels+c] = float32(math.Log((counts[f*numLabels+c] + alpha) / (total[c] + alpha*float64(nFeat))))
		}
	}
	var b [numLabels]float32
	n := float64(len(X))
	for c := range numLabels {
		b[c] = float32(math.Log((docs[c] + 1) / (n + float64(numLabels))))
	}
	return w, b
}
