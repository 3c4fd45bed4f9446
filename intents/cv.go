package intents

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
)

// CVReport is the result of stratified k-fold cross-validation.
type CVReport struct {
	Folds        int
	N            int
	Accuracy     float64 // over all out-of-fold predictions
	MacroF1      float64
	FoldAccuracy []float64
	Classes      []ClassScore
	Confusions   []Confusion
}

// CrossValidate trains on k-1 folds and predicts the k-th, for each fold.
// Folds are stratified: each label's examples, ordered by a hash of their
// id, are dealt round-robin, so every fold has the same label mix and the
// split is deterministic. Folds train concurrently.
func CrossValidate(ctx context.Context, examples []Example, folds int, opts TrainOptions) (*CVReport, error) {
	if folds < 2 {
		return nil, errors.New("cross-validate: need at least 2 folds")
	}
	byLabel := map[string][]int{}
	for i, e := range examples {
		byLabel[e.Label] = append(byLabel[e.Label], i)
	}
	if len(byLabel) < 2 {
		return nil, errors.New("cross-validate: need at least 2 labels")
	}
	if len(examples) < folds {
		return nil, fmt.Errorf("cross-validate: %d examples cannot make %d folds", len(examples), folds)
	}
	fold := make([]int, len(examples))
	for _, idx := range byLabel {
		slices.SortFunc(idx, func(a, b int) int {
			return cmp.Or(cmp.Compare(hashShare("fold", examples[a].ID+"\x00"+examples[a].Text),
				hashShare("fold", examples[b].ID+"\x00"+examples[b].Text)), cmp.Compare(a, b))
		})
	}
	// Deal labels in a fixed order, continuing the round-robin across
	// labels so small labels do not all land in fold 0.
	labels := make([]string, 0, len(byLabel))
	for l := range byLabel {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	next := 0
	for _, l := range labels {
		for _, i := range byLabel[l] {
			fold[i] = next % folds
			next++
		}
	}

	got := make([]string, len(examples))
	errs := make([]error, folds)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for f := range folds {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				errs[f] = ctx.Err()
				return
			}
			var tr []Example
			for i, e := range examples {
				if fold[i] != f {
					tr = append(tr, e)
				}
			}
			m, err := Train(tr, opts)
			if err != nil {
				errs[f] = fmt.Errorf("fold %d: %w", f+1, err)
				return
			}
			for i, e := range examples {
				if fold[i] == f {
					got[i] = m.predictFields(e.fields(), opts.Gazetteer)
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("cross-validate: %w", err)
	}

	r := &CVReport{Folds: folds, N: len(examples), FoldAccuracy: make([]float64, folds)}
	var all scores
	perFold := make([]scores, folds)
	for i, e := range examples {
		all.add(e.Label, got[i])
		perFold[fold[i]].add(e.Label, got[i])
	}
	for f := range perFold {
		r.FoldAccuracy[f] = perFold[f].accuracy()
	}
	r.Accuracy = all.accuracy()
	r.Classes = all.perClass(categoryOrder())
	r.MacroF1 = macroF1(r.Classes)
	r.Confusions = all.confusions(10)
	return r, nil
}

// Write prints the report; its last line is "accuracy=… macro_f1=…".
func (r *CVReport) Write(w io.Writer) error {
	fmt.Fprintf(w, "%d-fold stratified cross-validation over %d examples\n", r.Folds, r.N)
	fmt.Fprint(w, "fold accuracy:")
	for _, a := range r.FoldAccuracy {
		fmt.Fprintf(w, " %.3f", a)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	if err := writeClassTable(w, r.Classes); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nconfusions (gold -> predicted):")
	for _, c := range r.Confusions {
		fmt.Fprintf(w, "  %s -> %s %d\n", c.Want, c.Got, c.N)
	}
	_, err := fmt.Fprintf(w, "\naccuracy=%.3f macro_f1=%.3f\n", r.Accuracy, r.MacroF1)
	return err
}
