package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"hotline/intents"
	"hotline/taxonomy"
)

type constClassifier struct{}

func (constClassifier) Classify(context.Context, intents.Input) (intents.Result, error) {
	return intents.Result{Category: taxonomy.Roads, Confidence: 0.99}, nil
}

func TestSecondOpinion(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	wrap, err := secondOpinion(env(nil), log)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := wrap(constClassifier{}).(constClassifier); !ok {
		t.Error("without OLLAMA_MODEL the classifier must stay as it is")
	}
	wrap, err = secondOpinion(env(map[string]string{"OLLAMA_MODEL": "qwen2.5:7b", "OLLAMA_THRESHOLD": "0.7", "OLLAMA_TIMEOUT": "3s"}), log)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := wrap(constClassifier{}).(*intents.Ollama); !ok {
		t.Error("with OLLAMA_MODEL the classifier must be wrapped")
	}
	for _, bad := range []map[string]string{
		{"OLLAMA_MODEL": "m", "OLLAMA_THRESHOLD": "high"},
		{"OLLAMA_MODEL": "m", "OLLAMA_THRESHOLD": "1.5"},
		{"OLLAMA_MODEL": "m", "OLLAMA_TIMEOUT": "soon"},
		{"OLLAMA_MODEL": "m", "OLLAMA_TIMEOUT": "-1s"},
	} {
		if _, err := secondOpinion(env(bad), log); err == nil {
			t.Errorf("%v: want an error", bad)
		}
	}
}
