package notice

import (
	"fmt"
	"html"
	"strings"

	"hotline/storage"
	"hotline/taxonomy"
)

// The staff's /notify and /tag in their own words: the usage with
// examples (a test runs each through the parser), the confirmation of a
// notice before it goes and the range as people read it.

// VerbNotify confirms (Arg "ok") or drops (Arg "no") the notice a staff
// member is about to send; ID is the command's message id, so that an
// older confirmation cannot send a newer notice.
const VerbNotify = "nfy"

// Kinds of outbox rows about /notify.
const (
	KindNotifyConfirm = "notify_confirm"
)

// NotifyExamples are the /notify lines the usage shows; each parses.
var NotifyExamples = []string{
	"/notify 翟各庄村 明天 9 点到 12 点停电检修",
	"/notify 东片区 独居老人 今晚大风降温，请关好门窗，注意保暖",
	"/notify 全镇 本周六上午集中清运大件垃圾",
	"/notify 东片区 问询:供电 今晚停电，来电后请告诉我们家里用电正常吗",
}

// TagExamples are the /tag lines the usage shows; each parses.
var TagExamples = []string{
	"/tag 2026-000123 独居老人 开",
	"/tag 2026-000123 煤改电 关",
}

// NotifyUsage explains /notify to the centre and area leaders.
var NotifyUsage = "用法：/notify 范围 [问询:类别] 内容\n" +
	"范围：全镇（或 全体）、村名（翟各庄村 或 翟各庄）、片区名（东片区）、标签（独居老人、煤改电），" +
	"可以连着写几个，都符合的居民才收到，例如 东片区 独居老人。\n" +
	"加上 问询:类别，通知会带“正常 / 有问题”按钮，居民点“有问题”就登记为这一类的工单。\n" +
	"发送前会告诉您能收到的人数，点“确认发送”才发出。\n" +
	"例：" + strings.Join(NotifyExamples, "\n例：")

// TagUsage explains /tag to staff.
var TagUsage = "用法：/tag 工单编号或居民编号 标签 开|关\n" +
	"标签：独居老人（70岁以上独居）、煤改电\n" +
	"例：" + strings.Join(TagExamples, "\n例：")

// segmentWords are a segment's terms as people read them.
var segmentWords = map[string]string{"tag:" + TagAlone: "独居老人", "tag:" + TagElectricHeating: "煤改电", "all": "全镇"}

// SegmentName is a segment ("area:东片区,tag:alone") as people read it
// ("东片区 · 独居老人").
func SegmentName(segment string) string {
	var out []string
	for _, part := range strings.Split(segment, ",") {
		part = strings.TrimSpace(part)
		if w, ok := segmentWords[part]; ok {
			out = append(out, w)
			continue
		}
		if _, v, ok := strings.Cut(part, ":"); ok {
			out = append(out, v)
			continue
		}
		out = append(out, part)
	}
	if len(out) == 0 {
		return "全镇"
	}
	return strings.Join(out, " · ")
}

// NotifyConfirm shows a notice before it goes: whom it reaches and how
// many, with 确认发送 / 取消. n is 0: nobody would get it, and there is
// nothing to confirm.
func NotifyConfirm(segment string, n int, category taxonomy.Category, text string, nonce int64, minutes int) storage.OutboxMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "📢 请确认这条通知\n范围：<b>%s</b>\n", html.EscapeString(SegmentName(segment)))
	if n == 0 {
		b.WriteString("这个范围里目前没有能收到通知的居民（还没登记、没启用机器人或已退订），没有发送。")
		return msg(KindNotifyConfirm, b.String(), nil)
	}
	fmt.Fprintf(&b, "将发给 <b>%d</b> 位居民\n", n)
	if category != "" {
		fmt.Fprintf(&b, "带“正常 / 有问题”按钮，有问题登记为“%s”工单\n", category.Chinese())
	}
	fmt.Fprintf(&b, "内容：\n%s\n\n请在 %d 分钟内确认。", html.EscapeString(text), minutes)
	kb := [][]storage.Button{{
		{Text: "确认发送", Data: Action{Verb: VerbNotify, ID: nonce, Arg: "ok"}.Data()},
		{Text: "取消", Data: Action{Verb: VerbNotify, ID: nonce, Arg: "no"}.Data()},
	}}
	return msg(KindNotifyConfirm, b.String(), kb)
}

// NotifyPressed is the confirmation once answered.
func NotifyPressed(segment string, sent bool) storage.OutboxMessage {
	if sent {
		return msg(KindPressed, fmt.Sprintf("📢 通知已确认发送（范围：%s）。", html.EscapeString(SegmentName(segment))), nil)
	}
	return msg(KindPressed, "通知已取消，没有发送。", nil)
}

// Refusals and toasts of /notify's confirmation.
const (
	NotifyExpired = "这条通知的确认已过期，请重新发送 /notify。"
	ToastNotified = "已确认发送"
	ToastDropped  = "已取消"
)
