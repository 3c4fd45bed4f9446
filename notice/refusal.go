package notice

import (
	"fmt"
	"html"

	"hotline/routing"
	"hotline/storage"
)

// Refusal is a short polite "no" with a hint.
func Refusal(text string) storage.OutboxMessage {
	return msg(KindRefusal, text, nil)
}

// Refusals and hints, for messages and callback answers.
const (
	RefuseStaffOnly     = "这个命令是工作人员用的。您可以发送 /my 查看自己的工单。"
	RefuseResidentOnly  = "这个命令是居民用的。工作人员请发送 /tasks 查看待办。"
	RefuseUnknownCmd    = "没有这个命令。"
	RefuseStale         = "这个按钮已失效，请以最新的消息为准。"
	RefuseNotStaff      = "这个按钮只有工作人员能用。"
	RefuseNotYours      = "这个工单不归您办理，无法操作。"
	RefuseNotFound      = "没有找到这个工单。"
	RefuseTop           = "已经是最高一级（镇市民诉求处置中心），不能再上报。"
	RefuseAlreadyRated  = "您已经评过分了，谢谢！"
	RefuseBusy          = "系统有点忙，请稍后再试。"
	RefuseNoRegistering = "工作人员不用登记村子。"
	RefuseClosedTicket  = "这个工单已经办结，不能再改类别了。"
	RefuseNoHandler     = "花名册上暂时没有能接手的人，工单先留在原处。请联系管理员。"
	RefuseNoDesk        = "网页工作台没有开启，请联系管理员。"
	AskTicketNumber     = "请在 /ticket 后面写上工单编号，例如：/ticket 2026-000123"
	AskOwnContact       = "请分享您本人的手机号（点 📎 → 联系人 → 选自己）。"
	StaffIdle           = "您好！新工单会以卡片发给您，请用卡片上的按钮处理。" + staffCommands
	NothingToCancel     = "当前没有进行中的操作。"
	Cancelled           = "已取消。"
)

// RefuseState says the ticket's state does not allow the action.
func RefuseState(state routing.State) string {
	return fmt.Sprintf("工单现在是“%s”，这个操作用不了。", StateChinese(state))
}

// TicketNotFound answers /ticket for a number the asker may not see: the
// same words whether it exists or not, so nothing leaks.
func TicketNotFound(number string, staff bool) storage.OutboxMessage {
	hint := "发送 /my 查看您的工单。"
	if staff {
		hint = "发送 /tasks 查看待办。"
	}
	return Refusal(fmt.Sprintf("没有找到工单 %s。请检查编号，或%s", html.EscapeString(number), hint))
}
