package intents

import (
	"context"
	"fmt"
	"io"
	"strings"

	"hotline/taxonomy"
)

// EvalReport is how a classifier did on labelled messages.
type EvalReport struct {
	N          int
	Accuracy   float64
	MacroF1    float64
	Classes    []ClassScore
	Confusions []Confusion // the most frequent off-diagonal pairs

	UrgentSupport   int     // gold urgent messages
	UrgentRecall    float64 // share of them classified urgent
	UrgentPrecision float64 // share of urgent answers that were urgent
	UrgencyAccuracy float64 // all three levels
	UrgencyN        int     // messages with an urgency label; 0: the data has none

	VillageSupport int     // messages with a gold village
	VillageAcc     float64 // share of them with the right village

	Reliability []ReliabilityBin
	Mistakes    []Mistake
	// Robustness, when set (see Robustness), is printed with the report.
	Robustness []RobustnessRow
}

// ReliabilityBin compares stated confidence with accuracy in one range.
type ReliabilityBin struct {
	Lo, Hi         float64 // confidence in [Lo, Hi)
	N              int
	MeanConfidence float64
	Accuracy       float64
}

// Mistake is one message whose category, urgency or village was wrong.
type Mistake struct {
	Example Example
	Got     Result
}

// reliabilityEdges are the lower edges of the reliability bins.
var reliabilityEdges = []float64{0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}

// Evaluate classifies every example and compares with its labels. Examples
// without a village label are left out of village accuracy; examples
// without an urgency label out of the urgency figures.
func Evaluate(ctx context.Context, c Classifier, examples []Example) (*EvalReport, error) {
	r := &EvalReport{N: len(examples)}
	var cat scores
	var urgentHit, urgentSaid, urgencyOK, urgencyN, villageOK int
	bins := make([]ReliabilityBin, len(reliabilityEdges))
	for i, lo := range reliabilityEdges {
		bins[i].Lo, bins[i].Hi = lo, 1.0000001
		if i+1 < len(reliabilityEdges) {
			bins[i].Hi = reliabilityEdges[i+1]
		}
	}
	for _, e := range examples {
		res, err := c.Classify(ctx, Input{Text: e.Text, ResidentVillage: e.ResidentVillage})
		if err != nil {
			return nil, fmt.Errorf("evaluate %s: %w", e.ID, err)
		}
		got := string(res.Category)
		cat.add(e.Label, got)
		wrong := got != e.Label
		for i := range bins {
			if res.Confidence >= bins[i].Lo && res.Confidence < bins[i].Hi {
				bins[i].N++
				bins[i].MeanConfidence += res.Confidence
				if !wrong {
					bins[i].Accuracy++
				}
			}
		}
		if e.Urgency != "" {
			urgencyN++
			if string(res.Urgency) == e.Urgency {
				urgencyOK++
			} else {
				wrong = true
			}
			if e.Urgency == string(taxonomy.Urgent) {
				r.UrgentSupport++
				if res.Urgency == taxonomy.Urgent {
					urgentHit++
				}
			}
			if res.Urgency == taxonomy.Urgent {
				urgentSaid++
			}
		}
		if e.Village != "" {
			r.VillageSupport++
			if res.Village == e.Village {
				villageOK++
			} else {
				wrong = true
			}
		}
		if wrong {
			r.Mistakes = append(r.Mistakes, Mistake{e, res})
		}
	}
	r.Accuracy = cat.accuracy()
	r.Classes = cat.perClass(categoryOrder())
	r.MacroF1 = macroF1(r.Classes)
	r.Confusions = cat.confusions(10)
	r.UrgentRecall = ratio(urgentHit, r.UrgentSupport)
	r.UrgentPrecision = ratio(urgentHit, urgentSaid)
	r.UrgencyAccuracy = ratio(urgencyOK, urgencyN)
	r.UrgencyN = urgencyN
	r.VillageAcc = ratio(villageOK, r.VillageSupport)
	for i := range bins {
		if bins[i].N > 0 {
			bins[i].MeanConfidence /= float64(bins[i].N)
			bins[i].Accuracy /= float64(bins[i].N)
		}
	}
	r.Reliability = bins
	return r, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func categoryOrder() []string {
	out := make([]string, len(taxonomy.Categories))
	for i, c := range taxonomy.Categories {
		out[i] = string(c)
	}
	return out
}

// Write prints the report; its last line is the summary
// "macro_f1=… urgent_recall=… village_acc=…". A measure the data has no
// labels for (no urgency or village column) prints n/a. With mistakes,
// every wrong message is listed too.
func (r *EvalReport) Write(w io.Writer, mistakes bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "messages=%d accuracy=%.3f macro_f1=%.3f\n\n", r.N, r.Accuracy, r.MacroF1)
	if err := writeClassTable(&b, r.Classes); err != nil {
		return err
	}
	b.WriteString("\nconfusions (gold -> predicted):\n")
	for _, c := range r.Confusions {
		fmt.Fprintf(&b, "  %-13s -> %-13s %d\n", c.Want, c.Got, c.N)
	}
	recall, village := "n/a", "n/a"
	if r.UrgencyN == 0 {
		b.WriteString("\nurgency: n/a (the data has no urgency column)\n")
	} else {
		recall = orNA(r.UrgentRecall, r.UrgentSupport)
		fmt.Fprintf(&b, "\nurgency: accuracy=%.3f urgent recall=%s (%d gold urgent) precision=%.3f\n",
			r.UrgencyAccuracy, recall, r.UrgentSupport, r.UrgentPrecision)
	}
	if r.VillageSupport == 0 {
		b.WriteString("village: n/a (the data has no village column)\n")
	} else {
		village = fmt.Sprintf("%.3f", r.VillageAcc)
		fmt.Fprintf(&b, "village: accuracy=%s over %d messages\n", village, r.VillageSupport)
	}
	b.WriteString("\nreliability (confidence range: n, mean confidence, accuracy):\n")
	for _, bin := range r.Reliability {
		fmt.Fprintf(&b, "  [%.2f,%.2f) n=%-4d conf=%.3f acc=%.3f\n", bin.Lo, min(bin.Hi, 1), bin.N, bin.MeanConfidence, bin.Accuracy)
	}
	if mistakes && len(r.Mistakes) > 0 {
		b.WriteString("\nmistakes (id gold/got category urgency village):\n")
		for _, m := range r.Mistakes {
			e := m.Example
			fmt.Fprintf(&b, "  %s %s/%s %s/%s %s/%s conf=%.2f %s\n", e.ID, e.Label, m.Got.Category,
				e.Urgency, m.Got.Urgency, e.Village, m.Got.Village, m.Got.Confidence, e.Text)
		}
	}
	if len(r.Robustness) > 0 {
		b.WriteString("\n")
		if err := WriteRobustness(&b, r.Robustness); err != nil {
			return err
		}
	}
	fmt.Fprintf(&b, "\nmacro_f1=%.3f urgent_recall=%s village_acc=%s\n", r.MacroF1, recall, village)
	_, err := io.WriteString(w, b.String())
	return err
}

// orNA formats x, or n/a when it was measured over nothing.
func orNA(x float64, n int) string {
	if n == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", x)
}
