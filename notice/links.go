package notice

import (
	"fmt"
	"html"
	"strings"

	"hotline/storage"
)

// What staff are told when they link and unlink tickets, and the list of
// a primary's linked reports.

// Kinds of outbox rows of linking.
const KindLinkDone = "link_done"

// Refusals of linking.
const (
	AskLink           = "请写工单编号：/link 编号 主工单编号（把前一个合并到后一个），/unlink 编号（取消合并）。"
	RefuseNotLinkable = "这两个工单不能合并（可能已经办结，或已经合并过了）。"
)

// LinkDone confirms a link made by hand.
func LinkDone(t, primary storage.Ticket) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindLinkDone, TicketID: t.ID, Text: fmt.Sprintf(
		"已把工单 %s 合并到 <b>%s</b>，现有 %d 位反映人，办结时一起通知。", t.Number, primary.Number, primary.Requesters)}
}

// UnlinkDone confirms an unlink: the ticket stands alone with its handler.
func UnlinkDone(t storage.Ticket) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindLinkDone, TicketID: t.ID, Text: fmt.Sprintf(
		"已取消合并：工单 <b>%s</b> 单独办理，已派给 %s。", t.Number, handler(t))}
}

// LinkedList is the reports linked to a primary, for its detail view:
// each one's number, words and requester, so a wrong match can be
// unlinked.
func LinkedList(linked []storage.Ticket) string {
	if len(linked) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n合并的反映（如不是同一问题，发送 /unlink 编号）：")
	for _, t := range linked {
		fmt.Fprintf(&b, "\n· %s %s %s", t.Number, StateChinese(t.State), html.EscapeString(Clip(t.Text, 30)))
		if t.RequesterName != "" {
			b.WriteString(" · " + html.EscapeString(t.RequesterName))
		}
	}
	return b.String()
}
