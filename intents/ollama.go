package intents

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/ollama/ollama/api"

	"hotline/taxonomy"
)

// OllamaConfig tunes the LLM second opinion.
type OllamaConfig struct {
	Model     string        // e.g. qwen2.5:7b; required
	Threshold float64       // ask the LLM only below this embedded confidence (default 0.6)
	Timeout   time.Duration // a resident never waits longer than this (default 5s)
}

// Ollama asks a local LLM for a second opinion when the embedded model is
// unsure. The embedded answer always stands unless the LLM answers in time
// with a category of the contract: Ollama being down, slow or confused
// never delays a resident beyond the timeout nor loses a message.
type Ollama struct {
	client   *api.Client
	fallback Classifier
	cfg      OllamaConfig
	log      *slog.Logger
}

// NewOllama wraps fallback (the embedded classifier) with an LLM second
// opinion through client.
func NewOllama(client *api.Client, fallback Classifier, cfg OllamaConfig, log *slog.Logger) *Ollama {
	if cfg.Threshold == 0 {
		cfg.Threshold = 0.6
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	return &Ollama{client: client, fallback: fallback, cfg: cfg, log: log}
}

// SourceOllama marks a result whose category the LLM decided.
const SourceOllama = "ollama"

// Classify implements Classifier.
func (o *Ollama) Classify(ctx context.Context, in Input) (Result, error) {
	r, err := o.fallback.Classify(ctx, in)
	// A life-safety message keeps the embedded answer: the rules that found
	// the emergency chose its category, and no answer may wait on a model.
	if err != nil || r.Confidence >= o.cfg.Threshold || strings.TrimSpace(in.Text) == "" || r.Emergency != "" {
		return r, err
	}
	ask, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	cat, urg, err := o.ask(ask, in.Text)
	if err != nil {
		o.log.Warn("ollama second opinion failed; using the embedded answer",
			"err", err, "embedded_category", r.Category, "confidence", r.Confidence)
		return r, nil
	}
	o.log.Debug("ollama second opinion", "embedded", r.Category, "ollama", cat, "confidence", r.Confidence)
	r.Category, r.Source = cat, SourceOllama
	// Urgency is recall first: keep the more urgent of the two opinions.
	if rank(urg) < rank(r.Urgency) {
		r.Urgency = urg
	}
	return r, nil
}

func rank(u taxonomy.Urgency) int {
	switch u {
	case taxonomy.Urgent:
		return 0
	case taxonomy.Normal:
		return 1
	case taxonomy.Low:
		return 2
	}
	return 3
}

// ask sends one chat request and validates the answer against the contract.
func (o *Ollama) ask(ctx context.Context, text string) (taxonomy.Category, taxonomy.Urgency, error) {
	stream := false
	req := &api.ChatRequest{
		Model:  o.cfg.Model,
		Stream: &stream,
		Format: answerSchema(),
		Options: map[string]any{
			"temperature": 0,
		},
		Messages: []api.Message{
			{Role: "system", Content: systemPrompt()},
			{Role: "user", Content: text},
		},
	}
	var content strings.Builder
	err := o.client.Chat(ctx, req, func(resp api.ChatResponse) error {
		content.WriteString(resp.Message.Content)
		return nil
	})
	if err != nil {
		return "", "", fmt.Errorf("ollama chat: %w", err)
	}
	var ans struct {
		Category string `json:"category"`
		Urgency  string `json:"urgency"`
	}
	if err := json.Unmarshal([]byte(content.String()), &ans); err != nil {
		return "", "", fmt.Errorf("ollama answer %q: %w", clip(content.String()), err)
	}
	cat, err := taxonomy.ParseCategory(ans.Category)
	if err != nil {
		return "", "", fmt.Errorf("ollama answer: %w", err)
	}
	urg, err := taxonomy.ParseUrgency(ans.Urgency)
	if err != nil {
		urg = taxonomy.Normal // the category is what we asked for; urgency has its own cues
	}
	return cat, urg, nil
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// answerSchema is the JSON schema Ollama constrains the reply to: the
// category is an enum of the contract's ids.
func answerSchema() json.RawMessage {
	cats := make([]string, len(taxonomy.Categories))
	for i, c := range taxonomy.Categories {
		cats[i] = string(c)
	}
	schema := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"category": map[string]any{"type": "string", "enum": cats},
			"urgency":  map[string]any{"type": "string", "enum": []string{"urgent", "normal", "low"}},
		},
		"required": []string{"category", "urgency"},
	}
	b, _ := json.Marshal(schema) // a literal map of strings cannot fail
	return b
}

// systemPrompt gives the LLM the taxonomy, the borderline rules and a few
// examples.
func systemPrompt() string {
	var b strings.Builder
	b.WriteString("你是乡镇“接诉即办”热线的分类助手。把居民的一条留言分到且只分到一个类别，并判断紧急程度。只输出 JSON：{\"category\":\"…\",\"urgency\":\"…\"}。\n类别（id：含义）：\n")
	for _, c := range taxonomy.Categories {
		fmt.Fprintf(&b, "- %s：%s\n", c, c.Chinese())
	}
	b.WriteString(`规则：
- 一条留言有两个问题时，取更紧急的；否则取需要更大动作的。
- 表扬加新问题，按新问题分类；纯感谢是 feedback。
- 怎么办理、政策问题是 consultation；补贴没到账等具体诉求按主题分类。
- 邻里因噪音吵架要调解是 dispute；单纯噪音是 pollution。
- 企业为自身经营提出的需求是 enterprise。
- 看原因不看表象：邻居家的树把墙顶裂是 dispute；树枝挡路灯是 forestry；树枝碰电线打火是 power；院墙砌到胡同里是 construction；物业问题是 construction。
- 只有问候、没有内容的留言是 other，urgency 为 low。
紧急程度：urgent＝生命财产有危险（煤气味、起火、电线打火、屋里进水），或老弱病残在恶劣天气下没暖气、没水、没电；low＝没有故障（咨询、表扬、建议）；其余 normal。
例子：
“屋里冷得睡不着，那个空气能机器不出热风” → {"category":"heating","urgency":"normal"}
“停电了，我家还闻到一股煤气味” → {"category":"safety","urgency":"urgent"}
“感谢上次修好路灯，不过村东头那盏又不亮了” → {"category":"roads","urgency":"normal"}
“热泵过了保修期维修要自己掏钱吗” → {"category":"consultation","urgency":"low"}
`)
	return b.String()
}
