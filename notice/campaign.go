package notice

import (
	"fmt"
	"html"

	"hotline/storage"
)

// What a campaign run sends each resident, one builder per campaign kind
// that writes to residents; package outreach's kind files choose theirs.

// CheckinMessage asks a resident how things are, with 正常 / 有问题: a
// check-in, a broadcast with a check-in, a visit month's question.
func CheckinMessage(r storage.Run) storage.OutboxMessage {
	kb := [][]storage.Button{{
		{Text: "正常", Data: Action{Verb: VerbCheckin, ID: r.ID, Arg: "ok"}.Data()},
		{Text: "有问题", Data: Action{Verb: VerbCheckin, ID: r.ID, Arg: "bad"}.Data()},
	}}
	text := html.EscapeString(r.Text) + "\n（有问题也可以直接回复文字说明。）"
	return storage.OutboxMessage{Kind: KindCampaign, Lane: storage.LaneCampaign, Text: text + stopHint, Buttons: kb}
}

// NoticeMessage is a notice that expects no answer.
func NoticeMessage(r storage.Run) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindCampaign, Lane: storage.LaneCampaign, Text: html.EscapeString(r.Text) + stopHint}
}

// YearEndMessage asks a household to rate its village cadre 1–5.
func YearEndMessage(r storage.Run) storage.OutboxMessage {
	row := make([]storage.Button, 0, 5)
	for i := 1; i <= 5; i++ {
		row = append(row, storage.Button{Text: fmt.Sprint(i), Data: Action{Verb: VerbYearEndRate, ID: r.ID, Arg: fmt.Sprint(i)}.Data()})
	}
	return storage.OutboxMessage{Kind: KindCampaign, Lane: storage.LaneCampaign, Text: html.EscapeString(r.Text) + stopHint, Buttons: [][]storage.Button{row}}
}
