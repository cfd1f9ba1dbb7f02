package intent

// Option configures New.
type Option func(*settings) error

type settings struct {
	threshold    float64
	thresholdSet bool            // else the method's tuned threshold
	labelMin     map[int]float64 // WithLabelThreshold, over data/rules.tsv
	cfg          config
	examples     []example // training set; nil means the embedded one
}

// WithThreshold sets the confidence below which Classify answers unknown
// instead of its best label. 0 never answers unknown for low confidence,
// except for the labels that have their own minimum (see
// WithLabelThreshold); 1 always does unless the model is certain. The
// default was tuned by cross-validation on the training set (see doc.go).
func WithThreshold(t float64) Option {
	return func(s *settings) error {
		if !(t >= 0 && t <= 1) {
			return ErrInvalidThreshold
		}
		s.threshold, s.thresholdSet = t, true
		return nil
	}
}

// WithLabelThreshold sets the minimum confidence of one label, replacing
// the one in data/rules.tsv (petugas and hapus_data have one: a wrong
// answer there opens a staff request or an erasure). Below it, and below
// the general threshold, Classify answers unknown. Unknown itself has no
// minimum.
func WithLabelThreshold(l Label, t float64) Option {
	return func(s *settings) error {
		i := labelIndex(l)
		if i < 0 || i == unknownIndex {
			return ErrInvalidLabel
		}
		if !(t >= 0 && t <= 1) {
			return ErrInvalidThreshold
		}
		if s.labelMin == nil {
			s.labelMin = map[int]float64{}
		}
		s.labelMin[i] = t
		return nil
	}
}

// withConfig replaces the whole method configuration; for the measurements.
func withConfig(c config) Option {
	return func(s *settings) error {
		s.cfg = c
		return nil
	}
}

// withExamples trains on ex instead of the embedded training set.
func withExamples(ex []example) Option {
	return func(s *settings) error {
		s.examples = ex
		return nil
	}
}
