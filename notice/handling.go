package notice

import (
	"fmt"
	"html"

	"hotline/storage"
)

// The 12345 way of handling: the handler's prompts for 延期 and 退单, the
// request as the centre sees it, and the decision as everyone hears it.

// Kinds of outbox rows of requests to the centre.
const (
	KindAskPrompt      = "ask_prompt"
	KindRequestSent    = "request_sent"
	KindRequest        = "request"
	KindRequestDecided = "request_decided"
	KindExtended       = "extended"
)

// Toasts and refusals of the 12345 steps.
const (
	ContactRecorded  = "已记录先行联系"
	RefuseDone       = "这一步已经办过了。"
	RefusePending    = "这个工单已有申请在等镇中心审批。"
	RefuseDecided    = "这个申请已经处理过了。"
	RefuseNotCentre  = "只有镇市民诉求处置中心可以审批。"
	RefuseNotHandler = "只有承办人可以提出申请。"
	AskExtendFormat  = "请写新的办结时间和理由，例如：12月10日 等配件到货（也可以写“3个工作日”）。"
	AskReasonFormat  = "请写一下理由。"
	RefuseNotLater   = "新的办结时间要晚于现在的办结时限，请重新申请。"
	AskPromise       = "请写工单编号和答复时间，例如：/promise 2026-000123 本周内给予答复"
)

// KindPromised is the confirmation of a recorded promise.
const KindPromised = "promised"

// Promised confirms a reply promised to the requester.
func Promised(t storage.Ticket) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindPromised, TicketID: t.ID,
		Text: fmt.Sprintf("已记录：工单 <b>%s</b> 承诺 %s 前给予答复，会显示在卡片上并计入考核。", t.Number, When(t.ReplyBy))}
}

// AskExtendPrompt asks the handler for the new deadline and the reason.
func AskExtendPrompt(t storage.Ticket) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindAskPrompt, TicketID: t.ID, Text: fmt.Sprintf(
		"申请延期 <b>%s</b>（现办结时限 %s）：%s\n发送 /cancel 取消。", t.Number, When(t.ResolveBy), AskExtendFormat)}
}

// AskReturnPrompt asks the handler why the ticket is not theirs.
func AskReturnPrompt(t storage.Ticket) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindAskPrompt, TicketID: t.ID, Text: fmt.Sprintf(
		"申请退单 <b>%s</b>：请写退单理由（例如：不属于本村，属于供电所管辖）。\n发送 /cancel 取消。", t.Number)}
}

func requestWhat(r storage.Request) string {
	if r.Kind == storage.Extend {
		return "延期"
	}
	return "退单"
}

// RequestSent confirms to the handler that the centre has the request.
func RequestSent(t storage.Ticket, r storage.Request) storage.OutboxMessage {
	text := fmt.Sprintf("已向镇中心提交工单 <b>%s</b> 的%s申请，等待审批。", t.Number, requestWhat(r))
	if r.Kind == storage.Extend {
		text = fmt.Sprintf("已向镇中心提交工单 <b>%s</b> 的延期申请（申请延至 %s），等待审批。审批前请按原时限办理。", t.Number, When(r.Deadline))
	}
	return storage.OutboxMessage{Kind: KindRequestSent, TicketID: t.ID, Text: text}
}

// RequestText is a request as the centre reads it.
func RequestText(t storage.Ticket, r storage.Request) string {
	text := fmt.Sprintf("⏳ <b>%s申请</b>：工单 <b>%s</b>（%s · %s）\n承办：%s\n诉求：%s\n", requestWhat(r), t.Number,
		category(t), html.EscapeString(orDash(t.Village)), handler(t), html.EscapeString(Clip(t.Text, 60)))
	if r.Kind == storage.Extend {
		text += fmt.Sprintf("现办结时限：%s\n申请延至：%s\n", When(t.ResolveBy), When(r.Deadline))
	}
	return text + "理由：" + html.EscapeString(r.Reason)
}

// RequestToCentre is the request with the centre's buttons.
func RequestToCentre(t storage.Ticket, r storage.Request) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindRequest, TicketID: t.ID, Text: RequestText(t, r), Buttons: [][]storage.Button{{
		{Text: "同意", Data: Action{Verb: VerbApprove, ID: r.ID}.Data()},
		{Text: "不同意", Data: Action{Verb: VerbRefuse, ID: r.ID}.Data()},
	}}}
}

// RequestDone rewrites the centre's request message to its decision.
func RequestDone(t storage.Ticket, r storage.Request, by string) storage.OutboxMessage {
	word := "✅ 已同意"
	if r.Decision != storage.Approved {
		word = "❌ 未同意"
	}
	return storage.OutboxMessage{Kind: KindPressed, TicketID: t.ID,
		Text: RequestText(t, r) + fmt.Sprintf("\n\n%s（%s）", word, html.EscapeString(by))}
}

// RequestDecided tells the handler who asked what the centre decided.
func RequestDecided(t storage.Ticket, r storage.Request) storage.OutboxMessage {
	var text string
	switch {
	case r.Kind == storage.Extend && r.Decision == storage.Approved:
		text = fmt.Sprintf("✅ 镇中心同意工单 <b>%s</b> 延期，新的办结时限：%s。", t.Number, When(t.ResolveBy))
	case r.Kind == storage.Return && r.Decision == storage.Approved:
		text = fmt.Sprintf("✅ 镇中心同意工单 <b>%s</b> 退单，已收回重新分派，您不用再办理。", t.Number)
	default:
		text = fmt.Sprintf("❌ 镇中心没有同意工单 <b>%s</b> 的%s申请，请继续按时办理（办结时限 %s）。", t.Number, requestWhat(r), When(t.ResolveBy))
	}
	if r.Note != "" {
		text += "\n说明：" + html.EscapeString(r.Note)
	}
	return storage.OutboxMessage{Kind: KindRequestDecided, TicketID: t.ID, Text: text}
}

// Extended tells a resident the new deadline of their ticket.
func Extended(t storage.Ticket) storage.OutboxMessage {
	return ticketMsg(t, KindExtended, fmt.Sprintf("您的工单 <b>%s</b> 需要多一些时间办理，办结时限调整为 %s 前。我们会抓紧，有进展马上告诉您。",
		t.Number, When(t.ResolveBy)), nil)
}

// KindSupervised is the handler's notice that the platform supervises an
// order.
const KindSupervised = "supervised"

// Supervised tells the handler that the 12345 platform put their ticket
// under supervision (督办).
func Supervised(t storage.Ticket) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindSupervised, TicketID: t.ID, Text: fmt.Sprintf(
		"🔔 <b>督办</b>：工单 <b>%s</b>（12345 工单 %s）被市民热线平台督办，请抓紧办理，办结时限：%s。",
		t.Number, html.EscapeString(t.ExternalID), When(t.ResolveBy))}
}
