package notice

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// Kinds of outbox rows the bot's conversations send.
const (
	KindWelcome      = "welcome"
	KindAreaMenu     = "area_menu"
	KindVillageMenu  = "village_menu"
	KindRegistered   = "registered"
	KindTagQuestion  = "tag_question"
	KindTagsDone     = "tags_done"
	KindPendingKept  = "pending_kept"
	KindStaffHello   = "staff_hello"
	KindHelp         = "help"
	KindRefusal      = "refusal"
	KindMyList       = "my_list"
	KindTaskList     = "task_list"
	KindTicketView   = "ticket_view"
	KindNotePrompt   = "note_prompt"
	KindResolvedAck  = "resolved_ack"
	KindOptOut       = "opt_out"
	KindWelcomeBack  = "welcome_back"
	KindPhoneSaved   = "phone_saved"
	KindAskText      = "ask_text"
	KindCategoryMenu = "category_menu"
	KindTransferMenu = "transfer_menu"
	KindPressed      = "pressed" // a pressed message rewritten to show the choice made
	KindCancelled    = "cancelled"
	KindNotHandled   = "not_handled"
)

// Resident tags asked at registration, in the order asked.
const (
	TagAlone           = "alone"
	TagElectricHeating = "electric_heating"
)

// TagQuestions lists the optional registration questions in order.
var TagQuestions = []string{TagAlone, TagElectricHeating}

var tagQuestionText = map[string]string{
	TagAlone:           "还想了解一下（可以跳过）：您是 70 岁以上、一个人住吗？天冷的时候我们会主动问候您。",
	TagElectricHeating: "您家是用电取暖吗（煤改电、空气源热泵）？供暖季前我们会提醒检修。",
}

// PrivacyLine says in one line what is kept and how to stop proactive messages.
const PrivacyLine = "<i>我们只保存您的村名、您反映的内容和您主动分享的手机号，只用于办理诉求。不想收到通知和回访，发送 /stop 即可。</i>"

func msg(chat int64, kind, text string, buttons [][]storage.Button) storage.OutboxMessage {
	return storage.OutboxMessage{ChatID: chat, Kind: kind, Text: text, Buttons: buttons}
}

// rows lays buttons out n to a row.
func rows(bs []storage.Button, n int) [][]storage.Button {
	var out [][]storage.Button
	for len(bs) > 0 {
		k := min(n, len(bs))
		out = append(out, bs[:k:k])
		bs = bs[k:]
	}
	return out
}

// AreaButtons are the 片区 to pick from; suggest, if not "", is a village
// guessed from what the resident typed, offered first.
func AreaButtons(r *roster.Roster, suggest string) [][]storage.Button {
	var out [][]storage.Button
	if suggest != "" {
		out = append(out, []storage.Button{{Text: "我住" + suggest, Data: VillageData(r, suggest)}})
	}
	var bs []storage.Button
	for _, a := range r.Areas() {
		bs = append(bs, storage.Button{Text: a, Data: Action{Verb: VerbArea, Arg: AreaArg(r, a, len("area:0:"))}.Data()})
	}
	return append(out, rows(bs, 2)...)
}

// AreaArg is how a button names a 片区: its name, or "#index" among the
// roster's 片区 when the name would push the callback data (whose other
// parts take used bytes) over 64 bytes. Seven Chinese characters are
// already 21 bytes, so a long 片区 name is not far-fetched.
func AreaArg(r *roster.Roster, area string, used int) string {
	if used+len(area) <= MaxData {
		return area
	}
	for i, a := range r.Areas() {
		if a == area {
			return fmt.Sprintf("#%d", i)
		}
	}
	return area
}

// AreaFromArg turns an AreaArg back into a 片区 of the roster.
func AreaFromArg(r *roster.Roster, arg string) (string, bool) {
	areas := r.Areas()
	if rest, ok := strings.CutPrefix(arg, "#"); ok {
		var i int
		if _, err := fmt.Sscanf(rest, "%d", &i); err == nil && i >= 0 && i < len(areas) && fmt.Sprint(i) == rest {
			return areas[i], true
		}
		return "", false
	}
	for _, a := range areas {
		if a == arg {
			return a, true
		}
	}
	return "", false
}

// VillageData is the callback data that picks a village: its name, or
// "#index" in the roster when a very long name would not fit in 64 bytes.
func VillageData(r *roster.Roster, name string) string {
	d := Action{Verb: VerbVillage, Arg: name}.Data()
	if len(d) <= MaxData {
		return d
	}
	for i, v := range r.Villages {
		if v.Name == name {
			return Action{Verb: VerbVillage, Arg: fmt.Sprintf("#%d", i)}.Data()
		}
	}
	return d
}

// VillageFromArg turns the Arg of VillageData back into a village.
func VillageFromArg(r *roster.Roster, arg string) (roster.Village, bool) {
	if rest, ok := strings.CutPrefix(arg, "#"); ok {
		var i int
		if _, err := fmt.Sscanf(rest, "%d", &i); err == nil && i >= 0 && i < len(r.Villages) && fmt.Sprint(i) == rest {
			return r.Villages[i], true
		}
		return roster.Village{}, false
	}
	return r.Village(arg)
}

// Welcome greets a new resident and asks for the 片区.
func Welcome(chat int64, r *roster.Roster) storage.OutboxMessage {
	text := "您好！这里是镇市民诉求热线 🙂\n有困难、问题或建议，直接在这里发文字给我们，我们派负责的人办理，并告诉您进展。\n\n" +
		"先请告诉我们：<b>您住在哪个片区？</b>（也可以直接打出村名）\n\n" + PrivacyLine
	return msg(chat, KindWelcome, text, AreaButtons(r, ""))
}

// AreaMenu asks for the 片区 again, e.g. after /village.
func AreaMenu(chat int64, r *roster.Roster) storage.OutboxMessage {
	return msg(chat, KindAreaMenu, "请选择您住在哪个片区（也可以直接打出村名）：", AreaButtons(r, ""))
}

// PendingKept tells an unregistered resident their words are kept and asks
// for the village; suggest is a village their text named, if any.
func PendingKept(chat int64, r *roster.Roster, suggest string) storage.OutboxMessage {
	text := "您说的内容我们已经记下了。请先选一下您住在哪个村，选好后马上为您登记办理。"
	return msg(chat, KindPendingKept, text, AreaButtons(r, suggest))
}

// VillageMenu lists the villages of one 片区.
func VillageMenu(chat int64, r *roster.Roster, area string) storage.OutboxMessage {
	var bs []storage.Button
	for _, v := range r.VillagesIn(area) {
		bs = append(bs, storage.Button{Text: v.Name, Data: VillageData(r, v.Name)})
	}
	kb := rows(bs, 3)
	kb = append(kb, []storage.Button{{Text: "« 返回选择片区", Data: Action{Verb: VerbArea}.Data()}})
	return msg(chat, KindVillageMenu, fmt.Sprintf("请选择您住的村（社区）——%s：", Escape(area)), kb)
}

// Registered confirms the village. pending is how many earlier messages
// are now being registered as tickets; moved says the village changed.
func Registered(chat int64, v roster.Village, pending int, moved bool) storage.OutboxMessage {
	var b strings.Builder
	if moved {
		fmt.Fprintf(&b, "好的，已把您的村改为 <b>%s</b>（%s）。", Escape(v.Name), Escape(v.Area))
	} else {
		fmt.Fprintf(&b, "好的，已登记您住在 <b>%s</b>（%s）。", Escape(v.Name), Escape(v.Area))
	}
	if pending > 0 {
		fmt.Fprintf(&b, "\n您刚才说的 %d 件事，马上为您登记，请看下面的回执。", pending)
	}
	// The welcome this message replaces carried the privacy line; keep it
	// in the chat's history.
	if !moved {
		b.WriteString("\n\n" + PrivacyLine)
	}
	return msg(chat, KindRegistered, b.String(), nil)
}

// TagQuestion asks one optional registration question.
func TagQuestion(chat int64, tag string) storage.OutboxMessage {
	kb := [][]storage.Button{{
		{Text: "是", Data: Action{Verb: VerbTag, Arg: tag + "=yes"}.Data()},
		{Text: "不是", Data: Action{Verb: VerbTag, Arg: tag + "=no"}.Data()},
		{Text: "跳过", Data: Action{Verb: VerbTag, Arg: "skip"}.Data()},
	}}
	return msg(chat, KindTagQuestion, tagQuestionText[tag], kb)
}

// TagAnswered is what a tag question turns into once answered.
func TagAnswered(tag string, yes bool) string {
	a := "不是"
	if yes {
		a = "是"
	}
	return tagQuestionText[tag] + "\n✅ " + a
}

// TagsDone ends registration.
func TagsDone(chat int64) storage.OutboxMessage {
	return msg(chat, KindTagsDone, "登记完成，谢谢您！以后有事直接发文字给我就行（也可以带照片）。", nil)
}

// WelcomeBack greets a registered resident who sent /start again.
func WelcomeBack(chat int64, village string, optedBackIn bool) storage.OutboxMessage {
	text := fmt.Sprintf("欢迎回来！您登记的村是 <b>%s</b>。有事直接发文字给我就行。", Escape(village))
	if optedBackIn {
		text += "\n已恢复给您发送通知和回访。"
	}
	text += "\n要改村子请发送 /village，查看工单请发送 /my。"
	return msg(chat, KindWelcomeBack, text, nil)
}

// OptedOut confirms /stop.
func OptedOut(chat int64) storage.OutboxMessage {
	return msg(chat, KindOptOut, "好的，以后不再给您发通知和回访。您反映的问题有进展，我们照常告诉您。想恢复请发送 /start。", nil)
}

// ResidentHelp explains the resident's commands.
func ResidentHelp(chat int64) storage.OutboxMessage {
	return msg(chat, KindHelp, "使用说明：\n"+
		"· 有事直接发文字给我，我们派人办理\n"+
		"· /my 查看我的工单\n"+
		"· /ticket 编号　查看某个工单\n"+
		"· /village 更改所在的村\n"+
		"· /stop 不再接收通知和回访（工单进展照常告诉您）\n"+
		"· /start 重新开始", nil)
}

// StaffScope says what a staff member is responsible for.
func StaffScope(s roster.Staff) string {
	switch s.Role {
	case roster.VillageCadre:
		return "负责：" + Escape(strings.Join(s.Villages, "、"))
	case roster.AreaLeader:
		return "负责：" + Escape(s.Area)
	case roster.Department:
		names := make([]string, len(s.Departments))
		for i, c := range s.Departments {
			names[i] = c.Chinese()
		}
		return "负责：" + strings.Join(names, "、")
	default:
		return "负责：全镇"
	}
}

const staffCommands = "发送 /tasks 查看待办，/ticket 编号 查看工单，/cancel 取消当前操作。"

// StaffHello greets a staff member recognised from the roster; missing is
// how many cards are coming because tickets waited for their /start.
func StaffHello(chat int64, s roster.Staff, missing int) storage.OutboxMessage {
	text := fmt.Sprintf("您好，%s！您的身份：<b>%s</b>（%s）。\n新工单会以卡片发给您，请用卡片上的按钮接单、办结、转派或上报。\n%s",
		Escape(s.Name), s.Role.Chinese(), StaffScope(s), staffCommands)
	if more := OutreachHelp(s); more != "" {
		text += "\n" + more
	}
	if missing > 0 {
		text += fmt.Sprintf("\n\n有 %d 个待办工单，卡片马上发给您。", missing)
	}
	return msg(chat, KindStaffHello, text, nil)
}

// StaffHelp reminds a staff member how the bot works, with the commands
// their role may use.
func StaffHelp(chat int64, s roster.Staff) storage.OutboxMessage {
	text := "新工单会以卡片发给您，请用卡片上的按钮处理。\n" + staffCommands
	if more := OutreachHelp(s); more != "" {
		text += "\n" + more
	}
	return msg(chat, KindHelp, text, nil)
}

// NotHandled tells someone that a message of theirs could not be handled
// after several tries, so that they do not wait for an answer that will
// not come.
func NotHandled(chat int64) storage.OutboxMessage {
	return msg(chat, KindNotHandled, "抱歉，您刚才发的这条消息没能处理成功，请过一会儿再发一次。", nil)
}

// Refusal is a short polite "no" with a hint.
func Refusal(chat int64, text string) storage.OutboxMessage {
	return msg(chat, KindRefusal, text, nil)
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
	AskTicketNumber     = "请在 /ticket 后面写上工单编号，例如：/ticket 2026-000123"
	AskText             = "收到了。请再用文字说一下是什么问题、在哪里，我们好派给对口的人办理。"
	AskOwnContact       = "请分享您本人的手机号（点 📎 → 联系人 → 选自己）。"
	StaffIdle           = "您好！新工单会以卡片发给您，请用卡片上的按钮处理。" + staffCommands
	NothingToCancel     = "当前没有进行中的操作。"
	Cancelled           = "已取消。"
)

// RefuseState says the ticket's state does not allow the action.
func RefuseState(state string) string {
	return fmt.Sprintf("工单现在是“%s”，这个操作用不了。", StateChinese(state))
}

// TicketNotFound answers /ticket for a number the asker may not see: the
// same words whether it exists or not, so nothing leaks.
func TicketNotFound(chat int64, number string, staff bool) storage.OutboxMessage {
	hint := "发送 /my 查看您的工单。"
	if staff {
		hint = "发送 /tasks 查看待办。"
	}
	return Refusal(chat, fmt.Sprintf("没有找到工单 %s。请检查编号，或%s", Escape(number), hint))
}

// PhoneSaved confirms a shared phone number, masked.
func PhoneSaved(chat int64, phone string) storage.OutboxMessage {
	return msg(chat, KindPhoneSaved, fmt.Sprintf("已保存您的手机号 %s，只给承办人员看，方便联系您。", MaskPhone(phone)), nil)
}

// MyList lists a resident's tickets: open ones first, then recent ones.
func MyList(chat int64, ts []storage.Ticket) storage.OutboxMessage {
	if len(ts) == 0 {
		return msg(chat, KindMyList, "您还没有反映过问题。有事直接发文字给我就行。", nil)
	}
	var b strings.Builder
	b.WriteString("您的工单：\n")
	for _, t := range ts {
		fmt.Fprintf(&b, "\n<b>%s</b> %s · %s\n　%s\n　承办：%s\n", t.Number, category(t), StateChinese(t.State),
			Escape(Clip(t.Text, 24)), handler(t))
	}
	b.WriteString("\n发送 /ticket 编号 查看详情。")
	return msg(chat, KindMyList, b.String(), nil)
}

// ResidentTicket is one of the resident's own tickets in detail.
func ResidentTicket(chat int64, t storage.Ticket) storage.OutboxMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "工单 <b>%s</b>\n类别：%s\n状态：<b>%s</b>\n", t.Number, category(t), StateChinese(t.State))
	if t.Village != "" {
		fmt.Fprintf(&b, "村庄：%s\n", Escape(t.Village))
	}
	fmt.Fprintf(&b, "诉求：%s\n承办：%s\n提交时间：%s\n办结时限：%s 前", Escape(t.Text), handler(t), When(t.CreatedAt), When(t.ResolveBy))
	if t.ResultNote != "" {
		fmt.Fprintf(&b, "\n办理结果：%s", Escape(t.ResultNote))
	}
	if t.Rating > 0 {
		fmt.Fprintf(&b, "\n您的评价：%d 分", t.Rating)
	}
	return msg(chat, KindTicketView, b.String(), nil)
}

// StaffTicket is a ticket in detail for staff who may see it, with the
// card's buttons when they may act on it.
func StaffTicket(chat int64, t storage.Ticket, r storage.Resident, buttons bool) storage.OutboxMessage {
	text := CardText(t, r) + "\n承办：" + handler(t)
	var kb [][]storage.Button
	if buttons {
		kb = CardButtons(t)
	}
	return msg(chat, KindTicketView, text, kb)
}

// NextDeadline is the deadline a ticket is working towards: accepting it
// while it waits, resolving it once taken.
func NextDeadline(t storage.Ticket) time.Time {
	if t.State == "assigned" || t.State == "new" {
		return t.AcceptBy
	}
	return t.ResolveBy
}

// SortTasks orders open tickets for a to-do list: overdue first, then by
// the next deadline, then by number.
func SortTasks(ts []storage.Ticket, now time.Time) {
	sort.SliceStable(ts, func(i, j int) bool {
		di, dj := NextDeadline(ts[i]), NextDeadline(ts[j])
		oi, oj := now.After(di), now.After(dj)
		if oi != oj {
			return oi
		}
		if !di.Equal(dj) {
			return di.Before(dj)
		}
		return ts[i].ID < ts[j].ID
	})
}

// maxTasks keeps a to-do list readable; the rest is counted.
const maxTasks = 30

// TaskList is a staff member's open tickets, already sorted. withHandler
// shows who handles each, for leaders and the centre who oversee others.
func TaskList(chat int64, ts []storage.Ticket, now time.Time, withHandler bool) storage.OutboxMessage {
	if len(ts) == 0 {
		return msg(chat, KindTaskList, "目前没有待办工单 👍", nil)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "待办工单（%d 件，超时的排在前面）：\n", len(ts))
	for i, t := range ts {
		if i == maxTasks {
			fmt.Fprintf(&b, "\n……还有 %d 件，请发送 /ticket 编号 查看。", len(ts)-maxTasks)
			break
		}
		mark := "·"
		due := NextDeadline(t)
		if now.After(due) {
			mark = "⏰"
		} else if t.Urgency == string(taxonomy.Urgent) {
			mark = "🔴"
		}
		what := "办结"
		if t.State == "assigned" || t.State == "new" {
			what = "接单"
		}
		fmt.Fprintf(&b, "\n%s <b>%s</b> %s · %s · %s\n　%s截止：%s\n　%s", mark, t.Number, category(t),
			Escape(orDash(t.Village)), StateChinese(t.State), what, Deadline(due, now), Escape(Clip(t.Text, 24)))
		if withHandler {
			fmt.Fprintf(&b, "\n　承办：%s", handler(t))
		}
		b.WriteString("\n")
	}
	return msg(chat, KindTaskList, b.String(), nil)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// NotePrompt asks the handler for the one-line result note.
func NotePrompt(chat int64, t storage.Ticket) storage.OutboxMessage {
	return msg(chat, KindNotePrompt, fmt.Sprintf("办结工单 <b>%s</b>：请回复一句办理结果（例如：已更换路灯灯泡），居民会看到这句话。\n发送 /cancel 取消。", t.Number), nil)
}

// ResolvedAck confirms a resolution to the handler.
func ResolvedAck(chat int64, t storage.Ticket) storage.OutboxMessage {
	return msg(chat, KindResolvedAck, fmt.Sprintf("工单 <b>%s</b> 已办结，已通知居民。", t.Number), nil)
}

// CategoryMenu lets a resident pick the right category of a ticket.
func CategoryMenu(chat int64, t storage.Ticket) storage.OutboxMessage {
	var bs []storage.Button
	for _, c := range taxonomy.Categories {
		label := c.Chinese()
		if string(c) == t.Category {
			label = "✅ " + label
		}
		bs = append(bs, storage.Button{Text: label, Data: Action{Verb: VerbRecategory, ID: t.ID, Arg: string(c)}.Data()})
	}
	return msg(chat, KindCategoryMenu, fmt.Sprintf("工单 <b>%s</b> 现在的类别是“%s”。请选择正确的类别：", t.Number, category(t)), rows(bs, 3))
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

func staffLabel(s roster.Staff) string {
	switch s.Role {
	case roster.VillageCadre:
		return fmt.Sprintf("%s（%s）", s.Name, Clip(strings.Join(s.Villages, "、"), 8))
	case roster.Department:
		names := make([]string, len(s.Departments))
		for i, c := range s.Departments {
			names[i] = c.Chinese()
		}
		return fmt.Sprintf("%s（%s）", s.Name, Clip(strings.Join(names, "、"), 10))
	default:
		return fmt.Sprintf("%s（%s）", s.Name, s.Role.Chinese())
	}
}

// TransferArea is the Arg prefix of the transfer menu's page of one 片区's
// cadres; TransferClose closes the menu and brings the card's buttons back.
const (
	TransferArea  = "a:"
	TransferClose = "x"
)

// TransferMenu is the first page of transfer targets: the departments,
// then one button per 片区 for its village cadres, then the centre.
func TransferMenu(t storage.Ticket, targets []roster.Staff, r *roster.Roster) [][]storage.Button {
	var deps, centers []storage.Button
	areas := map[string]bool{}
	for _, s := range targets {
		b := storage.Button{Text: staffLabel(s), Data: Action{Verb: VerbTransfer, ID: t.ID, Arg: fmt.Sprint(s.TelegramID)}.Data()}
		switch s.Role {
		case roster.Department:
			deps = append(deps, b)
		case roster.VillageCadre:
			for _, v := range s.Villages {
				if vv, ok := r.Village(v); ok {
					areas[vv.Area] = true
				}
			}
		default:
			centers = append(centers, b)
		}
	}
	var areaButtons []storage.Button
	for _, a := range r.Areas() {
		if areas[a] {
			used := len(Action{Verb: VerbTransferTo, ID: t.ID, Arg: TransferArea}.Data())
			areaButtons = append(areaButtons, storage.Button{Text: "村干部：" + a,
				Data: Action{Verb: VerbTransferTo, ID: t.ID, Arg: TransferArea + AreaArg(r, a, used)}.Data()})
		}
	}
	kb := rows(deps, 2)
	kb = append(kb, rows(areaButtons, 2)...)
	kb = append(kb, rows(centers, 2)...)
	return append(kb, []storage.Button{{Text: "« 不转派了", Data: Action{Verb: VerbTransferTo, ID: t.ID, Arg: TransferClose}.Data()}})
}

// TransferAreaMenu is the page of one 片区's cadres among the targets.
func TransferAreaMenu(t storage.Ticket, targets []roster.Staff, r *roster.Roster, area string) [][]storage.Button {
	var bs []storage.Button
	for _, s := range targets {
		if s.Role != roster.VillageCadre {
			continue
		}
		in := false
		for _, v := range s.Villages {
			if vv, ok := r.Village(v); ok && vv.Area == area {
				in = true
			}
		}
		if in {
			bs = append(bs, storage.Button{Text: staffLabel(s), Data: Action{Verb: VerbTransfer, ID: t.ID, Arg: fmt.Sprint(s.TelegramID)}.Data()})
		}
	}
	kb := rows(bs, 2)
	return append(kb, []storage.Button{{Text: "« 返回", Data: Action{Verb: VerbTransferTo, ID: t.ID}.Data()}})
}

// TransferPrompt is the card's text while the transfer menu is open.
func TransferPrompt(t storage.Ticket, r storage.Resident, area string) string {
	if area != "" {
		return CardText(t, r) + fmt.Sprintf("\n\n➡️ 转派给%s的哪位村干部？", Escape(area))
	}
	return CardText(t, r) + "\n\n➡️ 请选择转派给谁："
}
