package intents

import (
	"context"
	"runtime"
	"testing"
)

// BenchmarkTrain trains with the default options on 3,000 messages of the
// corpus and on all of it, as DefaultModel does at start.
func BenchmarkTrain(b *testing.B) {
	ex, err := Corpus()
	if err != nil {
		b.Fatal(err)
	}
	opts := DefaultTrainOptions()
	opts.Gazetteer = demoGazetteer(b)
	// Every other example first, so the 3,000 cover every category.
	var mixed []Example
	for i := 0; i < len(ex); i += 2 {
		mixed = append(mixed, ex[i])
	}
	for i := 1; i < len(ex); i += 2 {
		mixed = append(mixed, ex[i])
	}
	for _, n := range []int{3000, len(ex)} {
		b.Run(name(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Train(mixed[:min(n, len(mixed))], opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(min(n, len(mixed))), "examples")
		})
	}
}

func name(n int) string {
	if n == 3000 {
		return "3000"
	}
	return "corpus"
}

// BenchmarkClassify measures classification alone; run it with -cpu 1 for
// the one-core figure.
func BenchmarkClassify(b *testing.B) {
	c := defaultClassifier(b)
	ex, err := Corpus()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	i := 0
	for b.Loop() {
		e := ex[i%len(ex)]
		i++
		if _, err := c.Classify(ctx, Input{Text: e.Text, ResidentVillage: e.ResidentVillage}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkModelMemory reports what the default model keeps on the heap:
// its own estimate and the live heap growth after training and GC.
func BenchmarkModelMemory(b *testing.B) {
	ex, err := Corpus()
	if err != nil {
		b.Fatal(err)
	}
	opts := DefaultTrainOptions()
	opts.Gazetteer = demoGazetteer(b)
	var m *Model
	var before, after runtime.MemStats
	for b.Loop() {
		m = nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		if m, err = Train(ex, opts); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	b.ReportMetric(float64(m.Bytes()), "model-bytes")
	b.ReportMetric(float64(after.HeapAlloc)-float64(before.HeapAlloc), "heap-bytes")
	runtime.KeepAlive(m)
}

// BenchmarkClassifyTraditional classifies the corpus written in
// traditional characters: every message then pays for OpenCC's
// phrase-aware conversion, which the others skip.
func BenchmarkClassifyTraditional(b *testing.B) {
	c := defaultClassifier(b)
	ex, err := Corpus()
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, 0, 500)
	for _, e := range ex[:min(500, len(ex))] {
		t, _ := toTraditional("", e.Text)
		texts = append(texts, t)
	}
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := c.Classify(ctx, Input{Text: texts[i%len(texts)]}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkNormalize measures Normalize alone over the corpus.
func BenchmarkNormalize(b *testing.B) {
	ex, err := Corpus()
	if err != nil {
		b.Fatal(err)
	}
	Normalize("") // build the tables outside the loop
	i := 0
	for b.Loop() {
		Normalize(ex[i%len(ex)].Text)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
