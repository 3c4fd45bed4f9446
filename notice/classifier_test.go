package notice

import (
	"testing"

	"hotline/intents"
)

func TestClassification(t *testing.T) {
	for _, c := range []struct {
		by   string
		conf float64
		want string
	}{
		{intents.SourceEmbedded, 0.963, "96.3%（内置模型）"},
		{intents.SourceOllama, 0.7, "70.0%（本地大模型）"},
		{intents.Source12345, 1, "100.0%（12345 工单分类）"},
		{intents.SourceVoice, 0, "—（语音留言，由包村干部听取）"},
		{intents.SourceFallback, 0, "—（未能自动分类）"},
		{"somebody", 0.5, "50.0%（somebody）"}, // an unknown name is shown as stored
	} {
		if got := Classification(c.by, c.conf); got != c.want {
			t.Errorf("Classification(%q, %v) = %q, want %q", c.by, c.conf, got, c.want)
		}
	}
}
