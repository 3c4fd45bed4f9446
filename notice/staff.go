package notice

import (
	"fmt"
	"html"
	"sort"
	"strings"
	"time"

	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// StaffScope says what a staff member is responsible for.
func StaffScope(s roster.Staff) string {
	switch s.Role {
	case roster.VillageCadre:
		return "负责：" + html.EscapeString(strings.Join(s.Villages, "、"))
	case roster.AreaLeader:
		return "负责：" + html.EscapeString(s.Area)
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

const staffCommands = "发送 /tasks 查看待办，/ticket 编号 查看工单，/web 打开网页工作台，/cancel 取消当前操作。\n" + NewHelp

// StaffHello greets a staff member recognised from the roster; missing is
// how many cards are coming because tickets waited for their /start.
func StaffHello(s roster.Staff, missing int) storage.OutboxMessage {
	text := fmt.Sprintf("您好，%s！您的身份：<b>%s</b>（%s）。\n新工单会以卡片发给您，请用卡片上的按钮接单、办结、转派或上报。\n%s",
		html.EscapeString(s.Name), s.Role.Chinese(), StaffScope(s), staffCommands)
	if more := OutreachHelp(s); more != "" {
		text += "\n" + more
	}
	if missing > 0 {
		text += fmt.Sprintf("\n\n有 %d 个待办工单，卡片马上发给您。", missing)
	}
	return msg(KindStaffHello, text, nil)
}

// StaffHelp reminds a staff member how the bot works, with the commands
// their role may use.
func StaffHelp(s roster.Staff) storage.OutboxMessage {
	text := "新工单会以卡片发给您，请用卡片上的按钮处理。\n" + staffCommands
	if more := OutreachHelp(s); more != "" {
		text += "\n" + more
	}
	return msg(KindHelp, text, nil)
}

// StaffTicket is a ticket in detail for viewer, who may see it, with the
// card's buttons when they may act on it.
func StaffTicket(t storage.Ticket, r storage.Resident, buttons bool, viewer roster.StaffID) storage.OutboxMessage {
	text := CardText(t, r, viewer) + "\n承办：" + handler(t)
	var kb [][]storage.Button
	if buttons {
		kb = CardButtons(t)
	}
	return msg(KindTicketView, text, kb)
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
func TaskList(ts []storage.Ticket, now time.Time, withHandler bool) storage.OutboxMessage {
	if len(ts) == 0 {
		return msg(KindTaskList, "目前没有待办工单 👍", nil)
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
		} else if t.Urgency == taxonomy.Urgent {
			mark = "🔴"
		}
		what := "办结"
		if t.State == "assigned" || t.State == "new" {
			what = "接单"
		}
		fmt.Fprintf(&b, "\n%s <b>%s</b> %s · %s · %s\n　%s截止：%s\n　%s", mark, t.Number, category(t),
			html.EscapeString(orDash(t.Village)), StateChinese(t.State), what, Deadline(due, now), html.EscapeString(Clip(t.Text, 24)))
		if withHandler {
			fmt.Fprintf(&b, "\n　承办：%s", handler(t))
		}
		b.WriteString("\n")
	}
	return msg(KindTaskList, b.String(), nil)
}

// NotePrompt asks the handler for the one-line result note, with buttons
// to say first that the problem was solved only in part, or not at all.
func NotePrompt(t storage.Ticket) storage.OutboxMessage {
	return OutcomePrompt(t, routing.Solved)
}

// OutcomePrompt is the note prompt with outcome o chosen.
func OutcomePrompt(t storage.Ticket, o routing.Outcome) storage.OutboxMessage {
	text := fmt.Sprintf("办结工单 <b>%s</b>（%s）：请回复一句办理结果（例如：已更换路灯灯泡），居民会看到这句话。\n"+
		"只解决了一部分或没能解决，请先点下面的按钮再回复。发送 /cancel 取消。", t.Number, o.Chinese())
	var row []storage.Button
	for _, x := range []routing.Outcome{routing.Solved, routing.Partly, routing.Unsolved} {
		label := x.Chinese()
		if x == o {
			label = "✓ " + label
		}
		row = append(row, storage.Button{Text: label, Data: Action{Verb: VerbOutcome, ID: int64(t.ID), Arg: string(x)}.Data()})
	}
	return storage.OutboxMessage{Kind: KindNotePrompt, TicketID: t.ID, Text: text, Buttons: [][]storage.Button{row}}
}

// ResolvedAck confirms a resolution to the handler. Requesters without a
// chat (the ticket's own and those of tickets linked to it) hear the
// result only from the handler, so it says whom to phone.
func ResolvedAck(t storage.Ticket, linked []storage.Ticket) storage.OutboxMessage {
	var phone []string
	told := 0
	for _, x := range append([]storage.Ticket{t}, linked...) {
		switch {
		case x.HasChat():
			told++
		case x.RequesterName != "" || x.RequesterPhone != "":
			phone = append(phone, nameAndPhone(x.RequesterName, html.EscapeString(x.RequesterPhone)))
		}
	}
	text := fmt.Sprintf("工单 <b>%s</b> 已办结。", t.Number)
	if told > 0 {
		text += fmt.Sprintf("已通知 %d 位反映人。", told)
	}
	if len(phone) > 0 {
		text += "\n不用 Telegram 的反映人，请电话告知办理结果：\n" + strings.Join(phone, "\n")
	}
	if told == 0 && len(phone) == 0 {
		text += "反映人没有留下联系方式。"
	}
	return msg(KindResolvedAck, text, nil)
}
