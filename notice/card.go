package notice

import (
	"fmt"
	"html"
	"strings"

	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// The handler's task card and the messages to staff about where a
// ticket went.

func urgentMark(t storage.Ticket) string {
	if t.Urgency == taxonomy.Urgent {
		return " 🔴紧急"
	}
	return ""
}

// CardText is the task card as viewer sees it. A requester with no chat
// is phoned, so their full number is on the card of the ticket's handler
// while it is open, and masked for everyone else and once it is done.
func CardText(t storage.Ticket, r storage.Resident, viewer roster.StaffID) string {
	var b strings.Builder
	fmt.Fprintf(&b, "📋 工单 <b>%s</b>%s\n", t.Number, urgentMark(t))
	if t.Source != taxonomy.Telegram && t.Source != "" {
		fmt.Fprintf(&b, "来源：%s\n", t.Source.Chinese())
	}
	if t.ExternalID != "" {
		fmt.Fprintf(&b, "12345 工单编号：%s\n", html.EscapeString(t.ExternalID))
	}
	fmt.Fprintf(&b, "类别：%s\n", category(t))
	fmt.Fprintf(&b, "紧急程度：%s\n", t.Urgency.Chinese())
	if t.Village != "" {
		fmt.Fprintf(&b, "村庄：%s（%s）\n", html.EscapeString(t.Village), html.EscapeString(t.Area))
	}
	fmt.Fprintf(&b, "诉求：%s\n", html.EscapeString(t.Text))
	b.WriteString(cardReopen(t) + cardMedia(t))
	if contact := requesterContact(t, r, viewer); contact != "" {
		b.WriteString(contact + "\n")
	}
	if t.Requesters > 1 {
		fmt.Fprintf(&b, "👥 反映人数：<b>%d</b> 人（同一问题已合并，办结后一起通知）\n", t.Requesters)
	}
	if !t.ReplyBy.IsZero() {
		fmt.Fprintf(&b, "答复承诺：%s 前\n", When(t.ReplyBy))
	}
	fmt.Fprintf(&b, "接单时限：%s\n办结时限：%s\n", When(t.AcceptBy), When(t.ResolveBy))
	if !t.ContactedAt.IsZero() {
		fmt.Fprintf(&b, "先行联系：%s\n", When(t.ContactedAt))
	}
	fmt.Fprintf(&b, "状态：<b>%s</b>", StateChinese(t.State))
	if t.ResultNote != "" {
		fmt.Fprintf(&b, "\n办理结果：%s", html.EscapeString(t.ResultNote))
		if t.Outcome != "" && t.Outcome != routing.Solved {
			fmt.Fprintf(&b, "（%s）", t.Outcome.Chinese())
		}
	}
	return b.String()
}

// requesterContact is the card's line about whom to answer: a resident
// with a chat (told through the bot), or a requester to phone.
func requesterContact(t storage.Ticket, r storage.Resident, viewer roster.StaffID) string {
	if t.HasChat() {
		if c := nameAndPhone(r.Name, MaskPhone(r.Phone)); c != "" {
			return "联系人：" + c
		}
		return ""
	}
	phone := MaskPhone(t.RequesterPhone)
	if viewer != 0 && viewer == t.HandlerID && t.State.Open() {
		phone = html.EscapeString(t.RequesterPhone)
	}
	c := nameAndPhone(t.RequesterName, phone)
	if c == "" {
		return ""
	}
	if t.State.Open() {
		return "📞 联系人（不用 Telegram，请电话联系）：" + c
	}
	return "联系人：" + c
}

// maskedContact is whom a ticket answers, name and masked phone, for
// anyone but its handler: the resident with a chat, or the requester to
// phone.
func maskedContact(t storage.Ticket, r storage.Resident) string {
	if t.HasChat() || r.Name != "" || r.Phone != "" {
		return nameAndPhone(r.Name, MaskPhone(r.Phone))
	}
	return nameAndPhone(t.RequesterName, MaskPhone(t.RequesterPhone))
}

func nameAndPhone(name, phone string) string {
	var parts []string
	if name != "" {
		parts = append(parts, html.EscapeString(name))
	}
	if phone != "" {
		parts = append(parts, phone)
	}
	return strings.Join(parts, " ")
}

// CardButtons are the buttons that fit the ticket's state.
func CardButtons(t storage.Ticket) [][]storage.Button {
	b := func(text, verb string) storage.Button {
		return storage.Button{Text: text, Data: Action{Verb: verb, ID: int64(t.ID)}.Data()}
	}
	ask := []storage.Button{b("申请延期", VerbAskExtend), b("申请退单", VerbAskReturn)}
	switch t.State {
	case routing.Assigned:
		return [][]storage.Button{{b("接单", VerbAccept), b("办结", VerbResolve)}, {b("转派", VerbTransferTo), b("上报", VerbEscalate)}, ask}
	case routing.Accepted:
		first := []storage.Button{b("办结", VerbResolve)}
		if t.ContactedAt.IsZero() {
			first = []storage.Button{b("已先行联系", VerbContact), b("办结", VerbResolve)}
		}
		return [][]storage.Button{first, {b("转派", VerbTransferTo), b("上报", VerbEscalate)}, ask}
	}
	return nil
}

// Card is a new task card for the ticket's handler.
func Card(t storage.Ticket, r storage.Resident) storage.OutboxMessage {
	return storage.OutboxMessage{
		TicketID: t.ID, Kind: KindCard,
		Text: CardText(t, r, t.HandlerID), Buttons: CardButtons(t),
	}
}

// CardEdit rewrites the handler's existing card to the ticket's state.
func CardEdit(t storage.Ticket, r storage.Resident) storage.OutboxMessage {
	return storage.OutboxMessage{
		TicketID: t.ID, Kind: KindCardEdit, Method: "edit", EditRef: t.CardOutbox,
		Text: CardText(t, r, roster.StaffID(t.CardChat)), Buttons: CardButtons(t),
	}
}

// CardGone rewrites a former handler's card: the ticket has moved on, so
// it keeps no buttons.
func CardGone(t storage.Ticket, r storage.Resident, cardOutbox int64) storage.OutboxMessage {
	return storage.OutboxMessage{
		TicketID: t.ID, Kind: KindCardEdit, Method: "edit", EditRef: cardOutbox,
		Text: CardText(t, r, 0) + fmt.Sprintf("\n➡️ 已转由 %s 办理", handler(t)),
	}
}

// CardMerged rewrites the card of a ticket linked by hand to another: it
// keeps no buttons, and says which ticket carries the work now.
func CardMerged(t storage.Ticket, r storage.Resident, primary storage.Ticket, cardOutbox int64) storage.OutboxMessage {
	return storage.OutboxMessage{
		TicketID: t.ID, Kind: KindCardEdit, Method: "edit", EditRef: cardOutbox,
		Text: CardText(t, r, 0) + fmt.Sprintf("\n🔗 与工单 %s 是同一问题，已合并，请在那张卡片上办理。", primary.Number),
	}
}

// HandedOver tells a former handler that a ticket left them.
func HandedOver(t storage.Ticket, why string) storage.OutboxMessage {
	return storage.OutboxMessage{TicketID: t.ID, Kind: KindHandedOver,
		Text: fmt.Sprintf("工单 <b>%s</b> %s，现由 %s 办理。", t.Number, why, handler(t))}
}

// Unstarted flags to the centre that a handler cannot get the card because
// they never started the bot.
func Unstarted(t storage.Ticket) storage.OutboxMessage {
	return storage.OutboxMessage{TicketID: t.ID, Kind: KindUnstarted,
		Text: fmt.Sprintf("⚠️ 工单 <b>%s</b> 的承办人 %s 还没有在 Telegram 里启用本机器人，收不到任务。请电话联系，提醒其发送 /start。",
			t.Number, handler(t))}
}
