package notice

import (
	"fmt"
	"html"

	"hotline/roster"
	"hotline/storage"
)

// What supervisors' actions from the desk (督办, closing with a note,
// correcting the category) tell the handler and the resident, and the
// sign-in link /web sends.

// Kinds of outbox rows about supervision and sign-in.
const (
	KindUrged          = "urged"
	KindDismissed      = "dismissed"
	KindDismissedStaff = "dismissed_staff"
	KindWebLink        = "web_link"
)

// Urged reminds the handler that a supervisor is waiting on the ticket
// (督办), with the card's buttons so that they can act at once.
func Urged(t storage.Ticket, by roster.Staff, note string, times int) storage.OutboxMessage {
	text := fmt.Sprintf("📣 <b>督办</b>：%s（%s）请您尽快办理工单 <b>%s</b>（%s · %s）。\n办结时限：%s",
		html.EscapeString(by.Name), by.Role.Chinese(), t.Number, category(t), html.EscapeString(orDash(t.Village)), When(t.ResolveBy))
	if note != "" {
		text += "\n督办意见：" + html.EscapeString(note)
	}
	if times > 1 {
		text += fmt.Sprintf("\n（这是第 %d 次督办）", times)
	}
	return ticketMsg(t, KindUrged, text, CardButtons(t))
}

// Dismissed tells the resident a supervisor closed the ticket, and why.
func Dismissed(t storage.Ticket, note string) storage.OutboxMessage {
	return ticketMsg(t, KindDismissed, fmt.Sprintf("您的工单 <b>%s</b> 已关闭。\n说明：%s\n如果问题还在，欢迎随时再给我们留言。",
		t.Number, html.EscapeString(note)), nil)
}

// DismissedStaff tells the handler that a supervisor closed their ticket.
func DismissedStaff(t storage.Ticket, by roster.Staff, note string) storage.OutboxMessage {
	return ticketMsg(t, KindDismissedStaff, fmt.Sprintf("工单 <b>%s</b> 已由 %s（%s）关闭，无需再办理。\n说明：%s",
		t.Number, html.EscapeString(by.Name), by.Role.Chinese(), html.EscapeString(note)), nil)
}

// RecategorizedByStaff tells the resident that staff corrected the
// category of their ticket, and who handles it now.
func RecategorizedByStaff(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindRecategory, fmt.Sprintf("工作人员已把您的工单 <b>%s</b> 的类别更正为“%s”，现由 %s 办理。",
		t.Number, category(t), handler(t)), nil)
}

// WebLink is the answer to /web: a one-time link that signs the staff
// member in to the desk (signin.LinkTTL: ten minutes).
func WebLink(url string) storage.OutboxMessage {
	return msg(KindWebLink, fmt.Sprintf("🖥 网页工作台登录链接（10 分钟内有效，只能用一次）：\n<a href=\"%s\">打开工作台</a>\n%s\n\n请不要转发给别人：拿到链接的人能以您的身份登录。",
		html.EscapeString(url), html.EscapeString(url)), nil)
}
