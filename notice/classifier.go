package notice

import (
	"fmt"

	"hotline/intents"
)

// Classification says, for staff, how sure the classification of a ticket
// is and who made it: "96.3%（内置模型）". A voice message nobody could
// transcribe, or a message the classifier could not read, has no
// confidence worth a number.
func Classification(classifier string, confidence float64) string {
	switch classifier {
	case intents.SourceVoice:
		return "—（语音留言，由包村干部听取）"
	case intents.SourceFallback:
		return "—（未能自动分类）"
	}
	by := map[string]string{
		intents.SourceEmbedded: "内置模型",
		intents.SourceOllama:   "本地大模型",
		intents.Source12345:    "12345 工单分类",
	}[classifier]
	if by == "" {
		by = classifier
	}
	return fmt.Sprintf("%.1f%%（%s）", confidence*100, by)
}
