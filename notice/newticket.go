package notice

import (
	"fmt"
	"html"

	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// The staff's /new: a request someone brought them in person or by phone,
// recorded step by step (village, what, who, how it came) or in one line.

// Kinds of outbox rows of /new.
const (
	KindNewStep   = "new_step"
	KindNewOpened = "new_opened"
)

// NewHelp is the line of help about /new.
const NewHelp = "替居民登记诉求：/new（一步步填），或一行写完：/new 村名 姓名 电话 问题 [走访|电话|来访]。"

// NewAreaMenu asks which 片区 the request is about.
func NewAreaMenu(r *roster.Roster) storage.OutboxMessage {
	var bs []storage.Button
	for _, a := range r.Areas() {
		bs = append(bs, storage.Button{Text: a, Data: Action{Verb: VerbNewArea, Arg: AreaArg(r, a, len(VerbNewArea)+3)}.Data()})
	}
	return msg(KindNewStep, "替居民登记诉求：是哪个村的事？请先选片区，也可以直接打出村名。\n发送 /cancel 取消。", rows(bs, 2))
}

// NewVillageMenu asks which of villages the request is about; back offers
// the 片区 menu again.
func NewVillageMenu(r *roster.Roster, villages []roster.Village, back bool) storage.OutboxMessage {
	var bs []storage.Button
	for _, v := range villages {
		bs = append(bs, storage.Button{Text: v.Name, Data: villageData(r, VerbNewVillage, v.Name)})
	}
	kb := rows(bs, 3)
	if back {
		kb = append(kb, []storage.Button{{Text: "« 返回选择片区", Data: Action{Verb: VerbNewArea}.Data()}})
	}
	return msg(KindNewStep, "替居民登记诉求：是哪个村的事？请选村，也可以直接打出村名。\n发送 /cancel 取消。", kb)
}

// NewAskText asks what the request is.
func NewAskText(village string) storage.OutboxMessage {
	return msg(KindNewStep, fmt.Sprintf("登记 <b>%s</b> 的诉求：请写一下是什么问题、在哪里（居民的原话或您看到的情况）。\n发送 /cancel 取消。",
		html.EscapeString(orDash(village))), nil)
}

// NewAskRequester asks for the requester's name and phone, which may be
// skipped.
func NewAskRequester() storage.OutboxMessage {
	return msg(KindNewStep, "反映人的姓名和电话（可不填），例如：张大爷 13800001111。承办人会打这个电话联系。",
		[][]storage.Button{{{Text: "跳过", Data: Action{Verb: VerbNewSkip}.Data()}}})
}

// NewAskSource asks how the request came.
func NewAskSource() storage.OutboxMessage {
	var bs []storage.Button
	for _, s := range []taxonomy.Source{taxonomy.Visit, taxonomy.Phone, taxonomy.Walkin} {
		bs = append(bs, storage.Button{Text: s.Chinese(), Data: Action{Verb: VerbNewSource, Arg: string(s)}.Data()})
	}
	return msg(KindNewStep, "这件事是怎么来的？", [][]storage.Button{bs})
}

// NewOpened confirms a ticket opened on someone's behalf: its number,
// where it went, and that the requester hears from the handler by phone.
func NewOpened(t storage.Ticket) storage.OutboxMessage {
	text := fmt.Sprintf("已登记工单 <b>%s</b>（%s），类别：%s，已派给 %s，办结时限：%s 前。",
		t.Number, t.Source.Chinese(), category(t), handler(t), When(t.ResolveBy))
	if !t.ReplyBy.IsZero() {
		text += fmt.Sprintf("\n答复承诺：%s 前。", When(t.ReplyBy))
	}
	if t.RequesterPhone != "" {
		text += "\n反映人不用 Telegram，承办人会电话联系。"
	}
	return msg(KindNewOpened, text, nil)
}

// Refusals of /new.
const (
	NewNoVillage    = "您负责的范围里没有村可以登记。"
	NewNotYourPlace = "这个村不在您负责的范围内，不能替这里的居民登记。"
	NewUnknownPlace = "没有找到这个村名，请从按钮里选，或打出完整的村名。"
	NewAskWords     = "请用文字写一下是什么问题。"
)
