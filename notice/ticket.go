package notice

// What a resident is told about their own tickets, and the names of a
// ticket's states, categories and handlers as people read them.

import (
	"fmt"
	"html"

	"hotline/routing"
	"hotline/storage"
)

// Kinds of outbox rows about tickets.
const (
	KindReceipt     = "receipt"
	KindCard        = "card"
	KindCardEdit    = "card_edit"
	KindAccepted    = "accepted"
	KindTransferred = "transferred"
	KindEscalated   = "escalated"
	KindResolved    = "resolved"
	KindReopened    = "reopened"
	KindRated       = "rated"
	KindRecategory  = "recategorized"
	KindUnstarted   = "handler_unstarted"
	KindHandedOver  = "handed_over"
	KindMerged      = "merged"
	KindUnlinked    = "unlinked"
)

var stateNames = map[routing.State]string{
	routing.StateNew: "待分派",
	routing.Assigned: "待接单",
	routing.Accepted: "办理中",
	routing.Resolved: "已办结",
	routing.Closed:   "已关闭",
	routing.Linked:   "已合并办理",
}

// StateChinese is a ticket state as people read it.
func StateChinese(s routing.State) string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return string(s)
}

func category(t storage.Ticket) string { return t.Category.Chinese() }

func handler(t storage.Ticket) string {
	if t.HandlerName == "" {
		return "镇市民诉求处置中心"
	}
	return fmt.Sprintf("%s（%s）", html.EscapeString(t.HandlerName), t.HandlerRole.Chinese())
}

// Receipt tells a resident that the ticket is open, who handles it and by
// when, with a button to say the category is wrong.
func Receipt(t storage.Ticket) storage.OutboxMessage {
	if t.Voice > 0 {
		return VoiceReceipt(t)
	}
	text := fmt.Sprintf("已收到您反映的问题，工单编号：<b>%s</b>\n类别：%s\n承办：%s\n办结时限：%s 前\n有进展会第一时间告诉您。",
		t.Number, category(t), handler(t), When(t.ResolveBy))
	return storage.OutboxMessage{TicketID: t.ID, Kind: KindReceipt, Text: text, Buttons: recategoryButton(t)}
}

// recategoryButton lets the resident say the category is wrong.
func recategoryButton(t storage.Ticket) [][]storage.Button {
	return [][]storage.Button{{{Text: "类别不对？点这里改", Data: Action{Verb: VerbRecatMenu, ID: int64(t.ID)}.Data()}}}
}

// ticketMsg is a message about ticket t.
func ticketMsg(t storage.Ticket, kind, text string, buttons [][]storage.Button) storage.OutboxMessage {
	return storage.OutboxMessage{TicketID: t.ID, Kind: kind, Text: text, Buttons: buttons}
}

// Accepted tells the resident someone took the ticket.
func Accepted(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindAccepted, fmt.Sprintf("您的工单 <b>%s</b> 已由 %s 接单，正在办理。", t.Number, handler(t)), nil)
}

// Transferred tells the resident the ticket has a new handler.
func Transferred(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindTransferred, fmt.Sprintf("您的工单 <b>%s</b> 已转给 %s 办理，办结时限：%s 前。", t.Number, handler(t), When(t.ResolveBy)), nil)
}

// Escalated tells the resident the ticket went up a level.
func Escalated(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindEscalated, fmt.Sprintf("您的工单 <b>%s</b> 已上报给 %s 督办，我们会抓紧处理。", t.Number, handler(t)), nil)
}

// RatingButtons are the satisfaction buttons under a resolution notice.
func RatingButtons(id storage.TicketID) [][]storage.Button {
	row := make([]storage.Button, 0, 5)
	for i := 1; i <= 5; i++ {
		row = append(row, storage.Button{Text: fmt.Sprint(i), Data: Action{Verb: VerbRate, ID: int64(id), Arg: fmt.Sprint(i)}.Data()})
	}
	return [][]storage.Button{row, {{Text: "未解决", Data: Action{Verb: VerbUnresolved, ID: int64(id)}.Data()}}}
}

// Resolved tells the resident the result and asks for a rating.
func Resolved(t storage.Ticket) storage.OutboxMessage {
	text := fmt.Sprintf("您的工单 <b>%s</b> 已办结。\n办理结果：%s\n\n满意度：请点 1～5 打分（5 最满意）；问题没解决请点“未解决”。",
		t.Number, html.EscapeString(t.ResultNote))
	return ticketMsg(t, KindResolved, text, RatingButtons(t.ID))
}

// ReopenedResident tells the resident the ticket is back with its handler.
func ReopenedResident(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindReopened, fmt.Sprintf("已重新办理工单 <b>%s</b>，并提高了紧急程度（%s），仍由 %s 负责。",
		t.Number, t.Urgency.Chinese(), handler(t)), nil)
}

// Rated thanks the resident for the rating.
func Rated(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindRated, fmt.Sprintf("感谢您的评价（%d 分）！工单 <b>%s</b> 已完结。", t.Rating, t.Number), nil)
}

// Recategorized tells the resident the new category and handler.
func Recategorized(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindRecategory, fmt.Sprintf("已改为“%s”，工单 <b>%s</b> 现由 %s 办理。", category(t), t.Number, handler(t)), nil)
}

// MergedReceipt tells a requester that someone in their village already
// reported the same problem: they follow its number and hear when it is
// done.
func MergedReceipt(t, primary storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindReceipt, fmt.Sprintf("已收到。同村已有人反映了这个问题（编号 <b>%s</b>），我们合并跟进，办好后一起告诉您。\n承办：%s",
		primary.Number, handler(primary)), nil)
}

// MergedByHand tells a requester that staff found their ticket to be the
// same problem as another one, which they now follow.
func MergedByHand(t, primary storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindMerged, fmt.Sprintf("您反映的问题（工单 %s）和同村已有人反映的问题是同一件事（编号 <b>%s</b>），我们合并跟进，办好后一起告诉您。",
		t.Number, primary.Number), nil)
}

// Unlinked tells a requester that their report, first taken for someone
// else's, is a problem of its own, with its own number and handler.
func Unlinked(t, primary storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindUnlinked, fmt.Sprintf("经核实，您反映的问题和工单 %s 不是同一件事，已单独登记为工单 <b>%s</b>，由 %s 办理，办结时限：%s 前。",
		primary.Number, t.Number, handler(t), When(t.ResolveBy)), nil)
}
