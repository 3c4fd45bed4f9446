package main

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/ollama/ollama/api"

	"hotline/intents"
)

// secondOpinion returns how to wrap the embedded classifier with an Ollama
// second opinion, from OLLAMA_MODEL (off when empty), OLLAMA_HOST (read by
// the client), OLLAMA_THRESHOLD (default 0.6) and OLLAMA_TIMEOUT (default
// 5s). With no model configured it returns the classifier unchanged.
func secondOpinion(getenv func(string) string, log *slog.Logger) (func(intents.Classifier) intents.Classifier, error) {
	model := getenv("OLLAMA_MODEL")
	if model == "" {
		return func(c intents.Classifier) intents.Classifier { return c }, nil
	}
	cfg := intents.OllamaConfig{Model: model}
	if s := getenv("OLLAMA_THRESHOLD"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v <= 0 || v > 1 {
			return nil, fmt.Errorf("OLLAMA_THRESHOLD %q: want a number in (0,1]", s)
		}
		cfg.Threshold = v
	}
	if s := getenv("OLLAMA_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("OLLAMA_TIMEOUT %q: want a positive duration such as 5s", s)
		}
		cfg.Timeout = d
	}
	client, err := api.ClientFromEnvironment()
	if err != nil {
		return nil, fmt.Errorf("OLLAMA_HOST: %w", err)
	}
	log.Info("ollama second opinion on", "model", model, "host", getenv("OLLAMA_HOST"))
	return func(c intents.Classifier) intents.Classifier {
		return intents.NewOllama(client, c, cfg, log)
	}, nil
}
