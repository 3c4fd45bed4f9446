package notice

import (
	"fmt"
	"strings"
	"time"

	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
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
)

var stateNames = map[string]string{
	"new":      "待分派",
	"assigned": "待接单",
	"accepted": "办理中",
	"resolved": "已办结",
	"closed":   "已关闭",
}

// StateChinese is a ticket state as people read it.
func StateChinese(s string) string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return s
}

func category(t storage.Ticket) string { return taxonomy.Category(t.Category).Chinese() }

func handler(t storage.Ticket) string {
	if t.HandlerName == "" {
		return "镇市民诉求处置中心"
	}
	return fmt.Sprintf("%s（%s）", Escape(t.HandlerName), roster.Role(t.HandlerRole).Chinese())
}

func urgentMark(t storage.Ticket) string {
	if t.Urgency == string(taxonomy.Urgent) {
		return " 🔴紧急"
	}
	return ""
}

// Receipt tells a resident that the ticket is open, who handles it and by
// when, with a button to say the category is wrong.
func Receipt(t storage.Ticket) storage.OutboxMessage {
	text := fmt.Sprintf("已收到您反映的问题，工单编号：<b>%s</b>\n类别：%s\n承办：%s\n办结时限：%s 前\n有进展会第一时间告诉您。",
		t.Number, category(t), handler(t), When(t.ResolveBy))
	return storage.OutboxMessage{
		ChatID: t.ResidentID, TicketID: t.ID, Kind: KindReceipt, Text: text,
		Buttons: [][]storage.Button{{{Text: "类别不对？点这里改", Data: Action{Verb: VerbRecatMenu, ID: t.ID}.Data()}}},
	}
}

// CardText is the task card a handler sees.
func CardText(t storage.Ticket, r storage.Resident) string {
	var b strings.Builder
	fmt.Fprintf(&b, "📋 工单 <b>%s</b>%s\n", t.Number, urgentMark(t))
	fmt.Fprintf(&b, "类别：%s\n", category(t))
	fmt.Fprintf(&b, "紧急程度：%s\n", taxonomy.Urgency(t.Urgency).Chinese())
	if t.Village != "" {
		fmt.Fprintf(&b, "村庄：%s（%s）\n", Escape(t.Village), Escape(t.Area))
	}
	fmt.Fprintf(&b, "诉求：%s\n", Escape(t.Text))
	if contact := residentContact(r); contact != "" {
		fmt.Fprintf(&b, "联系人：%s\n", contact)
	}
	fmt.Fprintf(&b, "接单时限：%s\n办结时限：%s\n", When(t.AcceptBy), When(t.ResolveBy))
	fmt.Fprintf(&b, "状态：<b>%s</b>", StateChinese(t.State))
	if t.ResultNote != "" {
		fmt.Fprintf(&b, "\n办理结果：%s", Escape(t.ResultNote))
	}
	return b.String()
}

func residentContact(r storage.Resident) string {
	var parts []string
	if r.Name != "" {
		parts = append(parts, Escape(r.Name))
	}
	if p := MaskPhone(r.Phone); p != "" {
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// CardButtons are the buttons that fit the ticket's state.
func CardButtons(t storage.Ticket) [][]storage.Button {
	b := func(text, verb string) storage.Button {
		return storage.Button{Text: text, Data: Action{Verb: verb, ID: t.ID}.Data()}
	}
	switch t.State {
	case "assigned":
		return [][]storage.Button{{b("接单", VerbAccept), b("办结", VerbResolve)}, {b("转派", VerbTransferTo), b("上报", VerbEscalate)}}
	case "accepted":
		return [][]storage.Button{{b("办结", VerbResolve)}, {b("转派", VerbTransferTo), b("上报", VerbEscalate)}}
	}
	return nil
}

// Card is a new task card for the ticket's handler.
func Card(t storage.Ticket, r storage.Resident) storage.OutboxMessage {
	return storage.OutboxMessage{
		ChatID: t.HandlerID, TicketID: t.ID, Kind: KindCard,
		Text: CardText(t, r), Buttons: CardButtons(t),
	}
}

// CardEdit rewrites the handler's existing card to the ticket's state.
func CardEdit(t storage.Ticket, r storage.Resident) storage.OutboxMessage {
	return storage.OutboxMessage{
		ChatID: t.CardChat, TicketID: t.ID, Kind: KindCardEdit, Method: "edit", EditRef: t.CardOutbox,
		Text: CardText(t, r), Buttons: CardButtons(t),
	}
}

func toResident(t storage.Ticket, kind, text string, buttons [][]storage.Button) storage.OutboxMessage {
	return storage.OutboxMessage{ChatID: t.ResidentID, TicketID: t.ID, Kind: kind, Text: text, Buttons: buttons}
}

// CardGone rewrites a former handler's card: the ticket has moved on, so
// it keeps no buttons.
func CardGone(t storage.Ticket, r storage.Resident, cardChat, cardOutbox int64) storage.OutboxMessage {
	return storage.OutboxMessage{
		ChatID: cardChat, TicketID: t.ID, Kind: KindCardEdit, Method: "edit", EditRef: cardOutbox,
		Text: CardText(t, r) + fmt.Sprintf("\n➡️ 已转由 %s 办理", handler(t)),
	}
}

// Accepted tells the resident someone took the ticket.
func Accepted(t storage.Ticket) storage.OutboxMessage {
	return toResident(t, KindAccepted, fmt.Sprintf("您的工单 <b>%s</b> 已由 %s 接单，正在办理。", t.Number, handler(t)), nil)
}

// Transferred tells the resident the ticket has a new handler.
func Transferred(t storage.Ticket) storage.OutboxMessage {
	return toResident(t, KindTransferred, fmt.Sprintf("您的工单 <b>%s</b> 已转给 %s 办理，办结时限：%s 前。", t.Number, handler(t), When(t.ResolveBy)), nil)
}

// Escalated tells the resident the ticket went up a level.
func Escalated(t storage.Ticket) storage.OutboxMessage {
	return toResident(t, KindEscalated, fmt.Sprintf("您的工单 <b>%s</b> 已上报给 %s 督办，我们会抓紧处理。", t.Number, handler(t)), nil)
}

// RatingButtons are the satisfaction buttons under a resolution notice.
func RatingButtons(id int64) [][]storage.Button {
	row := make([]storage.Button, 0, 5)
	for i := 1; i <= 5; i++ {
		row = append(row, storage.Button{Text: fmt.Sprint(i), Data: Action{Verb: VerbRate, ID: id, Arg: fmt.Sprint(i)}.Data()})
	}
	return [][]storage.Button{row, {{Text: "未解决", Data: Action{Verb: VerbUnresolved, ID: id}.Data()}}}
}

// Resolved tells the resident the result and asks for a rating.
func Resolved(t storage.Ticket) storage.OutboxMessage {
	text := fmt.Sprintf("您的工单 <b>%s</b> 已办结。\n办理结果：%s\n\n满意度：请点 1～5 打分（5 最满意）；问题没解决请点“未解决”。",
		t.Number, Escape(t.ResultNote))
	return toResident(t, KindResolved, text, RatingButtons(t.ID))
}

// ReopenedResident tells the resident the ticket is back with its handler.
func ReopenedResident(t storage.Ticket) storage.OutboxMessage {
	return toResident(t, KindReopened, fmt.Sprintf("已重新办理工单 <b>%s</b>，并提高了紧急程度（%s），仍由 %s 负责。",
		t.Number, taxonomy.Urgency(t.Urgency).Chinese(), handler(t)), nil)
}

// Rated thanks the resident for the rating.
func Rated(t storage.Ticket) storage.OutboxMessage {
	return toResident(t, KindRated, fmt.Sprintf("感谢您的评价（%d 分）！工单 <b>%s</b> 已完结。", t.Rating, t.Number), nil)
}

// Recategorized tells the resident the new category and handler.
func Recategorized(t storage.Ticket) storage.OutboxMessage {
	return toResident(t, KindRecategory, fmt.Sprintf("已改为“%s”，工单 <b>%s</b> 现由 %s 办理。", category(t), t.Number, handler(t)), nil)
}

// HandedOver tells a former handler that a ticket left them.
func HandedOver(t storage.Ticket, formerID int64, why string) storage.OutboxMessage {
	return storage.OutboxMessage{ChatID: formerID, TicketID: t.ID, Kind: KindHandedOver,
		Text: fmt.Sprintf("工单 <b>%s</b> %s，现由 %s 办理。", t.Number, why, handler(t))}
}

// Unstarted flags to the centre that a handler cannot get the card because
// they never started the bot.
func Unstarted(t storage.Ticket, centerID int64) storage.OutboxMessage {
	return storage.OutboxMessage{ChatID: centerID, TicketID: t.ID, Kind: KindUnstarted,
		Text: fmt.Sprintf("⚠️ 工单 <b>%s</b> 的承办人 %s 还没有在 Telegram 里启用本机器人，收不到任务。请电话联系，提醒其发送 /start。",
			t.Number, handler(t))}
}

// Deadline formats a due time with an overdue mark relative to now.
func Deadline(due, now time.Time) string {
	if !due.IsZero() && now.After(due) {
		return When(due) + "（已超时）"
	}
	return When(due)
}
