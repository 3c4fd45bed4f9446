package intents

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"hotline/roster"
	"hotline/taxonomy"
)

// corpusFiles is the township's labelled corpus (CATEGORY-N.jsonl), from
// which the default model is trained at start.
//
//go:embed corpus/*.jsonl
var corpusFiles embed.FS

// Corpus returns the embedded labelled corpus, files in name order.
func Corpus() ([]Example, error) {
	return readJSONLDir(corpusFiles, "corpus")
}

// DefaultModel returns the embedded model, trained once per process from
// the embedded corpus with DefaultTrainOptions and the demo roster's
// village names masked. Training at start takes a fraction of a second and
// cannot drift from the corpus the way generated weight files could.
func DefaultModel() (*Model, error) { return defaultModel() }

var defaultModel = sync.OnceValues(func() (*Model, error) {
	ex, err := Corpus()
	if err != nil {
		return nil, err
	}
	opts := DefaultTrainOptions()
	opts.Gazetteer = NewGazetteer(roster.Demo().Villages)
	m, err := Train(ex, opts)
	if err != nil {
		return nil, fmt.Errorf("default model: %w", err)
	}
	return m, nil
})

// errNoModel is returned when a classifier is built without a model.
var errNoModel = errors.New("intents: no model")

// SourceEmbedded names the embedded classifier in Result.Source.
const SourceEmbedded = "embedded"

// Result.Source for results no classifier made: SourceFallback when the
// classifier failed and the message went to the resident's village as
// "other", SourceVoice for a voice message nobody could transcribe (the
// village cadre listens to it), Source12345 when a 12345 order's own
// 问题分类 gave the category.
const (
	SourceFallback = "fallback"
	SourceVoice    = "voice"
	Source12345    = "12345"
)

// Embedded is the pure-Go classifier: the model for category and urgency,
// the cues for urgency, the gazetteer for the village.
type Embedded struct {
	model *Model
	gaz   *Gazetteer
}

// NewEmbedded builds the classifier. A nil gazetteer finds no villages.
func NewEmbedded(m *Model, g *Gazetteer) *Embedded {
	return &Embedded{model: m, gaz: g}
}

// Classify implements Classifier. It never fails on any text; an empty or
// contentless message ("？？？") is other, low.
func (e *Embedded) Classify(ctx context.Context, in Input) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if e.model == nil {
		return Result{}, errNoModel
	}
	res := Result{Source: SourceEmbedded}
	norm := Normalize(in.Text)
	mentions := e.gaz.Mentions(norm)
	resident, _ := e.gaz.Resolve(Normalize(in.ResidentVillage))
	res.Village = resident
	if v, ok := pickVillage(norm, mentions, resident); ok {
		res.Village = v
	}
	if !hasContent(norm) {
		res.Category, res.Urgency, res.Confidence = taxonomy.Other, taxonomy.Low, 1
		return res, nil
	}
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	text := norm
	if e.model.maskVillage {
		text = maskMentions(text, mentions)
	}
	p, cueMask := e.model.predict(trimManners(text), s)
	res.Category = taxonomy.Category(p.Label)
	res.Confidence = p.Confidence
	res.Urgency = e.urgency(res.Category, p, cueMask)
	if em, ok := detectEmergency(norm); ok {
		e.emergency(&res, em, p, norm)
	}
	return res, nil
}

// emergency makes the result of a life-safety message urgent in the
// emergency's category: the model's own when the kind allows it (a forest
// fire is forestry, a transformer on fire power), else the kind's. The
// confidence stays the model's probability of that category, so that it
// still says how sure the model is.
func (e *Embedded) emergency(res *Result, em Emergency, p Prediction, norm string) {
	res.Emergency = em.Kind
	res.Urgency = taxonomy.Urgent
	c := emergencyCategory(em, res.Category, norm)
	// A model of a foreign label set keeps its own label.
	if i := slices.Index(e.model.labels, string(c)); i >= 0 && c != res.Category {
		res.Category, res.Confidence = c, p.Probs[i]
	}
}

// urgency combines cues, the urgency layer and the category. Cues and a
// modest probability of urgent both raise the alarm (recall first); below
// that, questions and praise are low and faults are normal. A question or
// praise reports nothing broken, so without a cue the layer must be sure
// before it calls one urgent: its low cut is meant for faults, and on a
// short "thanks, that was quick" the few n-grams it knows (快) would
// otherwise raise false alarms.
func (e *Embedded) urgency(c taxonomy.Category, p Prediction, cueMask uint64) taxonomy.Urgency {
	cut := e.model.urgentCut
	if c == taxonomy.Consultation || c == taxonomy.Feedback {
		cut = max(cut, lowCategoryUrgentCut)
	}
	if cueMask != 0 || (e.model.urgency != nil && p.PUrgent >= cut) {
		return taxonomy.Urgent
	}
	switch c {
	case taxonomy.Consultation, taxonomy.Feedback:
		return taxonomy.Low
	case taxonomy.Other:
		if p.Urgency != "" {
			return p.Urgency
		}
	}
	return taxonomy.Normal
}

// lowCategoryUrgentCut is the probability of urgent a consultation or
// feedback message needs, without a cue, to be urgent: the layer's own
// choice. No corpus message of either category is urgent.
const lowCategoryUrgentCut = 0.5

// maskVillages replaces each village name in text with one placeholder.
func maskVillages(text string, g *Gazetteer) string {
	return maskMentions(text, g.Mentions(text))
}

// maskMentions replaces the mentions found in text with one placeholder
// each.
func maskMentions(text string, ms []Mention) string {
	if len(ms) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(text[last:m.Start])
		b.WriteByte('@')
		last = m.End
	}
	b.WriteString(text[last:])
	return b.String()
}
