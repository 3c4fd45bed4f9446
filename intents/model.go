package intents

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"hotline/taxonomy"
)

// Model is a trained classifier: a vocabulary of character n-grams with
// their IDF, a linear layer over the labels and, when the training data had
// urgency labels, a second linear layer over urgencies, each with the
// temperature that turns its scores into calibrated probabilities. It is
// read-only after training and safe for concurrent use.
type Model struct {
	labels             []string
	grams              grams
	vocab              map[uint64]int32
	idf                []float32
	extraValue         float32
	category           linear
	temperature        float64 // divides the category scores; fitted on held-out data
	urgency            *linear // over urgencyLabels; nil when trained without urgencies
	urgencyTemperature float64 // the same for the urgency scores
	urgentCut          float64 // P(urgent) at or above which a message is urgent
	maskVillage        bool    // village names were masked in training
}

// urgencyLabels are the classes of the urgency layer.
var urgencyLabels = []string{string(taxonomy.Urgent), string(taxonomy.Normal), string(taxonomy.Low)}

// linear is a layer of K linear scorers: scores = W·x + b, W stored
// feature-major so a sparse x touches one contiguous row per feature.
type linear struct {
	K int
	W []float32 // features × K
	B []float32
}

// scores writes the K raw scores of x into out.
func (l *linear) scores(idx []int32, val []float32, out []float64) {
	for k := range l.K {
		out[k] = float64(l.B[k])
	}
	for i, f := range idx {
		row := l.W[int(f)*l.K : int(f+1)*l.K]
		v := float64(val[i])
		for k, w := range row {
			out[k] += v * float64(w)
		}
	}
}

// softmax turns scores divided by temperature into probabilities in place.
func softmax(s []float64, temperature float64) {
	m := math.Inf(-1)
	for _, x := range s {
		m = max(m, x)
	}
	var sum float64
	for i, x := range s {
		s[i] = math.Exp((x - m) / temperature)
		sum += s[i]
	}
	for i := range s {
		s[i] /= sum
	}
}

// Labels lists the labels the model can output.
func (m *Model) Labels() []string { return slices.Clone(m.labels) }

// HasUrgency reports whether the model learnt urgency from labels.
func (m *Model) HasUrgency() bool { return m.urgency != nil }

// Temperature is the calibration temperature of the category scores.
func (m *Model) Temperature() float64 { return m.temperature }

// Bytes estimates the memory the model holds: weights, IDF and vocabulary.
func (m *Model) Bytes() int {
	n := 4 * (len(m.category.W) + len(m.category.B) + len(m.idf))
	if m.urgency != nil {
		n += 4 * (len(m.urgency.W) + len(m.urgency.B))
	}
	// A Go map entry of uint64→int32 costs about 12 bytes of payload plus
	// bucket overhead; 24 is a fair upper estimate.
	return n + 24*len(m.vocab)
}

// Prediction is a model's raw answer for one text.
type Prediction struct {
	Label      string
	Confidence float64          // calibrated probability of Label
	Probs      []float64        // calibrated, in Labels order
	PUrgent    float64          // probability of urgent from the urgency layer, 0 without one
	Urgency    taxonomy.Urgency // the urgency layer's own choice, "" without one
	Cues       []string         // names of urgency cues that fired
}

// Predict scores one text, normalised and trimmed as Classify does but
// with no villages masked.
func (m *Model) Predict(text string) Prediction {
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	p, cueMask := m.predict(prepare(text, nil), s)
	p.Probs = slices.Clone(p.Probs)
	p.Cues = cueNames(cueMask)
	return p
}

// predictFields returns the label the model gives a message of several
// fields.
func (m *Model) predictFields(fields []string, g *Gazetteer) string {
	var s scratch
	prepared := make([]string, len(fields))
	for i, f := range fields {
		prepared[i] = prepare(f, g)
	}
	m.features(prepared, &s)
	scores := make([]float64, m.category.K)
	m.category.scores(s.idx, s.val, scores)
	return m.labels[argmax(scores)]
}

func argmax(xs []float64) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

// predict is Predict of a prepared text without the copies: Probs lives
// in s.
func (m *Model) predict(text string, s *scratch) (Prediction, uint64) {
	cueMask := m.features([]string{text}, s)
	idx, val, K := s.idx, s.val, m.category.K
	if cap(s.scores) < K+3 {
		s.scores = make([]float64, K+3)
	}
	probs := s.scores[:K]
	m.category.scores(idx, val, probs)
	softmax(probs, m.temperature)
	best := argmax(probs)
	pred := Prediction{Label: m.labels[best], Confidence: probs[best], Probs: probs}
	if m.urgency != nil {
		u := s.scores[K : K+3]
		m.urgency.scores(idx, val, u)
		softmax(u, m.urgencyTemperature)
		pred.PUrgent = u[0]
		switch {
		case u[0] >= m.urgentCut:
			pred.Urgency = taxonomy.Urgent
		case u[2] > u[1]:
			pred.Urgency = taxonomy.Low
		default:
			pred.Urgency = taxonomy.Normal
		}
	}
	return pred, cueMask
}

// modelFile is the serialised form of a Model.
type modelFile struct {
	Magic              string
	Labels             []string
	Grams              uint8
	Hashes             []uint64 // vocabulary, in feature order
	IDF                []float32
	ExtraValue         float32
	NumExtras          int
	Category           linear
	Temperature        float64
	Urgency            *linear
	UrgencyTemperature float64
	UrgentCut          float64
	MaskVillage        bool
}

// modelMagic names the file format and the features: a model trained
// before text normalisation (v1) reads different features and must be
// retrained.
const modelMagic = "hotline-intents-model-v2"

// Save writes the model in a form Load reads back.
func (m *Model) Save(w io.Writer) error {
	f := modelFile{
		Magic: modelMagic, Labels: m.labels, Grams: uint8(m.grams), IDF: m.idf, ExtraValue: m.extraValue,
		NumExtras: numExtras(), Category: m.category, Temperature: m.temperature,
		Urgency: m.urgency, UrgencyTemperature: m.urgencyTemperature, UrgentCut: m.urgentCut, MaskVillage: m.maskVillage,
	}
	f.Hashes = make([]uint64, len(m.vocab))
	for h, i := range m.vocab {
		f.Hashes[i] = h
	}
	bw := bufio.NewWriter(w)
	if err := gob.NewEncoder(bw).Encode(&f); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}

// Load reads a model written by Save, checking that its shapes agree with
// this build's features.
func Load(r io.Reader) (*Model, error) {
	var f modelFile
	if err := gob.NewDecoder(bufio.NewReader(r)).Decode(&f); err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	switch {
	case strings.HasPrefix(f.Magic, "hotline-intents-model-") && f.Magic != modelMagic:
		return nil, fmt.Errorf("load model: made by an older hotline (%s, this one reads %s): train it again", f.Magic, modelMagic)
	case f.Magic != modelMagic:
		return nil, errors.New("load model: not a hotline intents model")
	}
	if f.NumExtras != numExtras() {
		return nil, fmt.Errorf("load model: built for %d extra features, this build has %d: retrain it", f.NumExtras, numExtras())
	}
	nf := len(f.Hashes) + f.NumExtras
	check := func(name string, l *linear, k int) error {
		if l.K != k || len(l.B) != k || len(l.W) != nf*k {
			return fmt.Errorf("load model: %s layer has the wrong shape", name)
		}
		return nil
	}
	if len(f.Labels) < 2 || f.Grams == 0 || f.Grams>>(maxN+1) != 0 || len(f.IDF) != len(f.Hashes) || !(f.Temperature > 0) {
		return nil, errors.New("load model: inconsistent model file")
	}
	if f.Urgency != nil && !(f.UrgencyTemperature > 0) {
		return nil, errors.New("load model: inconsistent model file")
	}
	if err := check("category", &f.Category, len(f.Labels)); err != nil {
		return nil, err
	}
	if f.Urgency != nil {
		if err := check("urgency", f.Urgency, len(urgencyLabels)); err != nil {
			return nil, err
		}
	}
	m := &Model{
		labels: f.Labels, grams: grams(f.Grams), vocab: make(map[uint64]int32, len(f.Hashes)), idf: f.IDF,
		extraValue: f.ExtraValue, category: f.Category, temperature: f.Temperature,
		urgency: f.Urgency, urgencyTemperature: f.UrgencyTemperature, urgentCut: f.UrgentCut, maskVillage: f.MaskVillage,
	}
	for i, h := range f.Hashes {
		m.vocab[h] = int32(i)
	}
	return m, nil
}
