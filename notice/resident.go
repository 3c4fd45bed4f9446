package notice

import (
	"fmt"
	"html"
	"strings"

	"hotline/storage"
	"hotline/taxonomy"
)

// WelcomeBack greets a registered resident who sent /start again.
func WelcomeBack(village string, optedBackIn bool) storage.OutboxMessage {
	text := fmt.Sprintf("欢迎回来！您登记的村是 <b>%s</b>。有事直接发文字或语音给我就行。", html.EscapeString(village))
	if optedBackIn {
		text += "\n已恢复给您发送通知和回访。"
	}
	text += "\n要改村子请发送 /village，查看工单请发送 /my。"
	return msg(KindWelcomeBack, text, nil)
}

// OptedOut confirms /stop.
func OptedOut() storage.OutboxMessage {
	return msg(KindOptOut, "好的，以后不再给您发通知和回访。您反映的问题有进展，我们照常告诉您。想恢复请发送 /start。", nil)
}

// ResidentHelp explains the resident's commands.
func ResidentHelp() storage.OutboxMessage {
	return msg(KindHelp, "使用说明：\n"+
		"· 有事直接发文字或语音给我，我们派人办理；可以带照片，也可以发位置\n"+
		"· 遇到着火、煤气泄漏、有人受伤等紧急情况，请先打 119、120 或 110\n"+
		"· /my 查看我的工单\n"+
		"· /ticket 编号　查看某个工单\n"+
		"· /village 更改所在的村\n"+
		"· /stop 不再接收通知和回访（工单进展照常告诉您）\n"+
		"· /start 重新开始", nil)
}

// NotHandled tells someone that a message of theirs could not be handled
// after several tries, so that they do not wait for an answer that will
// not come.
func NotHandled() storage.OutboxMessage {
	return msg(KindNotHandled, "抱歉，您刚才发的这条消息没能处理成功，请过一会儿再发一次。", nil)
}

// PhoneSaved confirms a shared phone number, masked.
func PhoneSaved(phone string) storage.OutboxMessage {
	return msg(KindPhoneSaved, fmt.Sprintf("已保存您的手机号 %s，只给承办人员看，方便联系您。", MaskPhone(phone)), nil)
}

// MyList lists a resident's tickets: open ones first, then recent ones.
func MyList(ts []storage.Ticket) storage.OutboxMessage {
	if len(ts) == 0 {
		return msg(KindMyList, "您还没有反映过问题。有事直接发文字给我就行。", nil)
	}
	var b strings.Builder
	b.WriteString("您的工单：\n")
	for _, t := range ts {
		fmt.Fprintf(&b, "\n<b>%s</b> %s · %s\n　%s\n　承办：%s\n", t.Number, category(t), StateChinese(t.State),
			html.EscapeString(Clip(t.Text, 24)), handler(t))
	}
	b.WriteString("\n发送 /ticket 编号 查看详情。")
	return msg(KindMyList, b.String(), nil)
}

// ResidentTicket is one of the resident's own tickets in detail.
func ResidentTicket(t storage.Ticket) storage.OutboxMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "工单 <b>%s</b>\n类别：%s\n状态：<b>%s</b>\n", t.Number, category(t), StateChinese(t.State))
	if t.Village != "" {
		fmt.Fprintf(&b, "村庄：%s\n", html.EscapeString(t.Village))
	}
	fmt.Fprintf(&b, "诉求：%s\n承办：%s\n提交时间：%s\n办结时限：%s 前", html.EscapeString(t.Text), handler(t), When(t.CreatedAt), When(t.ResolveBy))
	if t.ResultNote != "" {
		fmt.Fprintf(&b, "\n办理结果：%s", html.EscapeString(t.ResultNote))
	}
	if t.Rating > 0 {
		fmt.Fprintf(&b, "\n您的评价：%d 分", t.Rating)
	}
	return msg(KindTicketView, b.String(), nil)
}

// CategoryMenu lets a resident pick the right category of a ticket.
func CategoryMenu(t storage.Ticket) storage.OutboxMessage {
	var bs []storage.Button
	for _, c := range taxonomy.Categories {
		label := c.Chinese()
		if c == t.Category {
			label = "✅ " + label
		}
		bs = append(bs, storage.Button{Text: label, Data: Action{Verb: VerbRecategory, ID: int64(t.ID), Arg: string(c)}.Data()})
	}
	return msg(KindCategoryMenu, fmt.Sprintf("工单 <b>%s</b> 现在的类别是“%s”。请选择正确的类别：", t.Number, category(t)), rows(bs, 3))
}

// CategoryChosen is what the category menu turns into once used.
func CategoryChosen(t storage.Ticket) string {
	return fmt.Sprintf("工单 <b>%s</b> 的类别已改为“%s”。", t.Number, category(t))
}

// RatedText is the resolution notice once the resident rated it: the
// buttons go, the choice stays visible.
func RatedText(t storage.Ticket, stars int) string {
	return Resolved(t).Text + fmt.Sprintf("\n\n✅ 您的评价：%d 分", stars)
}

// UnresolvedText is the resolution notice once the resident said 未解决.
func UnresolvedText(t storage.Ticket) string {
	return Resolved(t).Text + "\n\n✅ 您反馈了“未解决”，正在重新办理。"
}
