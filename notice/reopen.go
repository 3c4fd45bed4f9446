package notice

import (
	"fmt"
	"html"
	"strings"

	"hotline/storage"
)

// A result the resident rejected with 未解决: the question of what is
// still wrong, and what the handler reads about it.

// Kinds of outbox rows about a rejected result.
const (
	KindAskReason      = "ask_reopen_reason"
	KindReasonNoted    = "reopen_reason_noted"
	KindReasonAddendum = "reopen_reason"
)

// AskReopenReason asks the resident, in one message, what is still wrong;
// answering is optional.
func AskReopenReason(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindAskReason, fmt.Sprintf("请问还有哪里没解决？直接回一句话就行，我们转告 %s。不想说也没关系。", handler(t)), nil)
}

// ReopenReasonNoted thanks the resident for saying what is still wrong.
func ReopenReasonNoted(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindReasonNoted, fmt.Sprintf("好的，已转告 %s，工单 <b>%s</b> 会按您说的情况重新办理。", handler(t), t.Number), nil)
}

// ReopenReasonAddendum tells the handler what the resident said is still
// wrong: the card is edited too, but an edit makes no sound.
func ReopenReasonAddendum(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindReasonAddendum, fmt.Sprintf("💬 工单 <b>%s</b> 居民说明了哪里没解决：%s", t.Number, html.EscapeString(t.ReopenReason)), nil)
}

// cardReopen are the card's lines about a result the resident rejected:
// that they did, the result they were given and what they said.
func cardReopen(t storage.Ticket) string {
	if t.Reopened == 0 || (t.ReopenNote == "" && t.ReopenReason == "") {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "⚠️ <b>居民反馈未解决</b>（第 %d 次）\n", t.Reopened)
	if t.ReopenNote != "" {
		fmt.Fprintf(&b, "上次办理结果：%s\n", html.EscapeString(t.ReopenNote))
	}
	if t.ReopenReason != "" {
		fmt.Fprintf(&b, "居民说：%s\n", html.EscapeString(t.ReopenReason))
	}
	return b.String()
}
