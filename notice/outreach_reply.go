package notice

import (
	"fmt"
	"html"
	"strings"

	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// The bot's side of outreach: what a pressed check-in, rating or "has it
// been fixed?" turns into, and the replies to /notify and /tag.

// Toasts and refusals of outreach presses and commands.
const (
	RefuseExpired     = "这个问题已经过期了，不用再回复。有事请直接发文字给我。"
	RefuseOutreachOff = "主动服务功能暂未开启。"
	RefuseNotifyRole  = "只有镇中心和包片领导可以给居民发通知。需要通知居民，请联系镇中心。"
	RefuseNotifyArea  = "您只能给自己片区的居民发通知。"
	RefuseTagWho      = "没有找到这位居民，或这位居民不在您负责的村。"
	ToastThanks       = "谢谢您的回复！"
	ToastTicketOpened = "已登记，我们尽快安排"
	ToastAnswered     = "您已经回复过了，谢谢！"
	ToastRated        = "谢谢您的评分！"
)

// NotifyBadSegment says which part of a /notify's range is wrong.
func NotifyBadSegment(segment string, known bool) string {
	if known {
		return fmt.Sprintf("范围“%s”里的村或片区不在花名册上，请检查名字。\n\n%s", html.EscapeString(segment), NotifyUsage)
	}
	return fmt.Sprintf("看不懂范围“%s”。\n\n%s", html.EscapeString(segment), NotifyUsage)
}

// NotifyBadCategory lists the categories a check-in may open tickets in.
func NotifyBadCategory(category string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "没有“%s”这个类别。可以写：", html.EscapeString(category))
	for i, c := range taxonomy.Categories {
		if i > 0 {
			b.WriteString("、")
		}
		fmt.Fprintf(&b, "%s（%s）", c, c.Chinese())
	}
	return b.String()
}

// OutreachHelp is the part of the staff help about /notify and /tag, by
// what the staff member may do.
func OutreachHelp(s roster.Staff) string {
	var lines []string
	switch s.Role {
	case roster.Center, roster.Admin, roster.AreaLeader:
		lines = append(lines, "发送 /notify 范围 内容 给居民发通知，例如 "+html.EscapeString(NotifyExamples[0])+"（只发 /notify 看用法）。")
	}
	if s.Role != roster.Department {
		lines = append(lines, "发送 /tag 工单编号 标签 开|关 设置居民标签，例如 "+html.EscapeString(TagExamples[0])+"。")
	}
	return strings.Join(lines, "\n")
}

// checkinAnswers are the recorded answers of a check-in as residents read them.
var checkinAnswers = map[string]string{"ok": "正常", "bad": "有问题", "text": "有问题（已文字说明）"}

// CheckinPressed is a check-in once answered: the question stays, the
// buttons go. answer is the answer recorded ("ok", "bad", "text").
func CheckinPressed(run storage.Run, answer string, already bool) storage.OutboxMessage {
	text := html.EscapeString(run.Text) + "\n\n✅ 您的回复：" + checkinAnswers[answer]
	if already {
		text += "（之前已回复）"
	}
	return storage.OutboxMessage{Kind: KindPressed, Text: text}
}

// YearEndPressed is the year-end question once the household rated.
func YearEndPressed(run storage.Run, stars string, already bool) storage.OutboxMessage {
	text := html.EscapeString(run.Text) + "\n\n✅ 您的评分：" + html.EscapeString(stars) + " 分"
	if already {
		text += "（之前已评过）"
	}
	return storage.OutboxMessage{Kind: KindPressed, Text: text}
}

// FixedPressed is "has it been fixed?" once answered; already says the
// answer was given before and this press changed nothing.
func FixedPressed(t storage.Ticket, yes, already bool) storage.OutboxMessage {
	text := FixedAsk(t).Text + "\n\n✅ "
	switch {
	case already:
		text += "您已经回复过了。"
	case yes:
		text += "您的回复：已经好了"
	default:
		text += "您的回复：还没好，我们重新安排办理。"
	}
	return storage.OutboxMessage{Kind: KindPressed, TicketID: t.ID, Text: text}
}
