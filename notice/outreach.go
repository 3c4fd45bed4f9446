package notice

import (
	"fmt"
	"html"
	"strings"
	"time"

	"hotline/storage"
	"hotline/taxonomy"
)

// Kinds of outbox rows that outreach sends.
const (
	KindCampaign      = "campaign"       // a campaign or broadcast message to a resident
	KindCheckinThanks = "checkin_thanks" // the answer to 正常
	KindAnswered      = "already_answered"
	KindVisitList     = "visit_list"     // a cadre's monthly or quarterly visit list
	KindNoAnswer      = "no_answer_list" // residents who did not answer a check-in
	KindWednesday     = "wednesday_list" // 下村日 list of an area leader
	KindDigest        = "digest"
	KindReminder      = "sla_reminder"
	KindOverdueTop    = "sla_overdue_top"
	KindSignal        = "signal_alert"
	KindSignalNotice  = "signal_residents"
	KindFixedAsk      = "fixed_ask"
	KindFixedThanks   = "fixed_thanks"
	KindYearEndThanks = "yearend_thanks"
	KindBroadcastDone = "broadcast_done"
	KindTagsSet       = "tags_set"
)

const stopHint = "\n\n<i>不想再收到此类提醒，请发送 /stop。</i>"

// CheckinThanks answers 正常.
func CheckinThanks() storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindCheckinThanks, Text: "好的，谢谢您！有情况随时发消息给我。"}
}

// AlreadyAnswered answers a second press of a check-in or rating.
func AlreadyAnswered() storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindAnswered, Text: "您已经回复过了，谢谢！"}
}

// CheckinTicketText is the ticket text of a check-in answered 有问题.
func CheckinTicketText(question string) string {
	return "主动问询：" + Clip(question, 40) + "\n居民回复：有问题"
}

// YearEndThanks thanks a household for its rating.
func YearEndThanks(stars int) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindYearEndThanks, Text: fmt.Sprintf("已收到您的评分（%d 分），谢谢您的参与！", stars)}
}

// VisitLine is one resident on a cadre's list.
type VisitLine struct {
	Name, Phone, Why string
}

func visitLines(b *strings.Builder, lines []VisitLine) {
	for i, l := range lines {
		if i == maxTasks {
			fmt.Fprintf(b, "\n……还有 %d 户", len(lines)-maxTasks)
			break
		}
		name := l.Name
		if name == "" {
			name = "（未留姓名）"
		}
		fmt.Fprintf(b, "\n· %s %s %s", html.EscapeString(name), MaskPhone(l.Phone), html.EscapeString(l.Why))
	}
}

// VisitList is a cadre's periodic visit list for one village: open tickets
// and residents to look in on.
func VisitList(village string, open []storage.Ticket, people []VisitLine, now time.Time) storage.OutboxMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "🏠 <b>%s</b> 走访提醒\n本期请到村里走访一次。", html.EscapeString(village))
	if len(open) > 0 {
		fmt.Fprintf(&b, "\n\n未办结工单 %d 件：", len(open))
		for i, t := range open {
			if i == maxTasks {
				fmt.Fprintf(&b, "\n……还有 %d 件", len(open)-maxTasks)
				break
			}
			fmt.Fprintf(&b, "\n· <b>%s</b> %s %s", t.Number, category(t), html.EscapeString(Clip(t.Text, 20)))
			if now.After(NextDeadline(t)) {
				b.WriteString(" ⏰已超时")
			}
		}
	}
	if len(people) > 0 {
		fmt.Fprintf(&b, "\n\n需要上门看看的住户 %d 户：", len(people))
		visitLines(&b, people)
	}
	if len(open) == 0 && len(people) == 0 {
		b.WriteString("\n目前没有未办结工单，也没有需要特别关注的住户。")
	}
	return storage.OutboxMessage{Kind: KindVisitList, Lane: storage.LaneCampaign, Text: b.String()}
}

// NoAnswerList tells a cadre who did not answer a check-in.
func NoAnswerList(village, campaign string, people []VisitLine) storage.OutboxMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "📋 <b>%s</b>：以下住户没有回复“%s”问询，已加入您的走访名单，请电话或上门问一问：", html.EscapeString(village), html.EscapeString(campaign))
	visitLines(&b, people)
	return storage.OutboxMessage{Kind: KindNoAnswer, Lane: storage.LaneCampaign, Text: b.String()}
}

// WednesdayList is an area leader's 下村日 route: open tickets of the 片区
// by village, villages with overdue tickets first, overdue tickets first.
func WednesdayList(area string, villages []string, byVillage map[string][]storage.Ticket, now time.Time) storage.OutboxMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "🚗 周三下村日 · <b>%s</b>", html.EscapeString(area))
	if len(villages) == 0 {
		b.WriteString("\n本片区没有未办结工单 👍")
	}
	for _, v := range villages {
		ts := byVillage[v]
		fmt.Fprintf(&b, "\n\n<b>%s</b>（%d 件）", html.EscapeString(orDash(v)), len(ts))
		for _, t := range ts {
			mark := "·"
			if now.After(NextDeadline(t)) {
				mark = "⏰"
			}
			fmt.Fprintf(&b, "\n%s <b>%s</b> %s · %s · %s", mark, t.Number, category(t), StateChinese(t.State), html.EscapeString(Clip(t.Text, 20)))
		}
	}
	return storage.OutboxMessage{Kind: KindWednesday, Lane: storage.LaneCampaign, Text: b.String()}
}

// Reminder warns the handler that a deadline is near.
func Reminder(t storage.Ticket, accept bool) storage.OutboxMessage {
	what, due := "办结", t.ResolveBy
	if accept {
		what, due = "接单", t.AcceptBy
	}
	return storage.OutboxMessage{TicketID: t.ID, Kind: KindReminder,
		Text: fmt.Sprintf("⏳ 工单 <b>%s</b>（%s）%s时限快到了：%s 前。超时将自动上报。", t.Number, category(t), what, When(due))}
}

// OverdueAtTop tells the centre a ticket it holds is past its deadline:
// there is nobody above to escalate to.
func OverdueAtTop(t storage.Ticket) storage.OutboxMessage {
	return storage.OutboxMessage{TicketID: t.ID, Kind: KindOverdueTop,
		Text: fmt.Sprintf("⚠️ 工单 <b>%s</b>（%s · %s）已超时，现由 %s 办理，请督办。", t.Number, category(t), html.EscapeString(orDash(t.Village)), handler(t))}
}

// SignalAlert tells a cadre or area leader about a cluster of tickets.
func SignalAlert(village string, c taxonomy.Category, n int, window time.Duration, numbers []string) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindSignal, Lane: storage.LaneCampaign,
		Text: fmt.Sprintf("🚨 <b>%s</b> %s 内收到 %d 件“%s”诉求，可能是同一个问题，请尽快核实处理。\n工单：%s",
			html.EscapeString(village), hours(window), n, c.Chinese(), strings.Join(numbers, "、"))}
}

// SignalResidents tells a village's residents a problem is known.
func SignalResidents(village string, c taxonomy.Category) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindSignalNotice, Lane: storage.LaneCampaign,
		Text: fmt.Sprintf("📢 %s 的“%s”问题，镇里已经知道了，正在处理，不用再单独反映。有新情况我们会通知大家。", html.EscapeString(village), c.Chinese())}
}

func hours(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%d 小时", int(d/time.Hour))
	}
	return fmt.Sprintf("%d 分钟", int(d/time.Minute))
}

// FixedAsk asks a resident, some days after resolution, whether the
// problem stayed fixed. It is separate from the satisfaction rating.
func FixedAsk(t storage.Ticket) storage.OutboxMessage {
	kb := [][]storage.Button{{
		{Text: "已经好了", Data: Action{Verb: VerbFixed, ID: int64(t.ID), Arg: "yes"}.Data()},
		{Text: "还没好", Data: Action{Verb: VerbFixed, ID: int64(t.ID), Arg: "no"}.Data()},
	}}
	return ticketMsg(t, KindFixedAsk, fmt.Sprintf("回访：您前几天反映的问题（工单 <b>%s</b>，%s）现在解决了吗？", t.Number, category(t)), kb)
}

// FixedThanks answers "已经好了".
func FixedThanks(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindFixedThanks, "太好了，谢谢您的回复！", nil)
}

// FixedFollowUpText is the text of the ticket opened when a resident who
// rated a ticket says its problem came back.
func FixedFollowUpText(t storage.Ticket) string {
	return fmt.Sprintf("回访：工单 %s 的问题还没解决。原诉求：%s", t.Number, t.Text)
}

// BroadcastDone tells staff how many residents a notice reaches. It
// answers a staff command, so it is ticket traffic, unlike the notice.
func BroadcastDone(segment string, n int) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindBroadcastDone,
		Text: fmt.Sprintf("通知已排队发送：范围 %s，共 %d 人。", html.EscapeString(SegmentName(segment)), n)}
}

// TagsSet confirms a staff member's tagging.
func TagsSet(name string, tags []string) storage.OutboxMessage {
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		names = append(names, TagName(t))
	}
	if len(names) == 0 {
		names = append(names, "无")
	}
	return storage.OutboxMessage{Kind: KindTagsSet,
		Text: fmt.Sprintf("已更新 %s 的标签：%s", html.EscapeString(name), strings.Join(names, "、"))}
}

// TagName is a tag as staff read it.
func TagName(tag string) string {
	switch tag {
	case TagAlone:
		return "70岁以上独居"
	case TagElectricHeating:
		return "煤改电"
	}
	return tag
}
