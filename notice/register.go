package notice

import (
	"fmt"
	"html"
	"strings"

	"hotline/roster"
	"hotline/storage"
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
func VillageData(r *roster.Roster, name string) string { return villageData(r, VerbVillage, name) }

// villageData is VillageData for a button of another verb.
func villageData(r *roster.Roster, verb, name string) string {
	d := Action{Verb: verb, Arg: name}.Data()
	if len(d) <= MaxData {
		return d
	}
	for i, v := range r.Villages {
		if v.Name == name {
			return Action{Verb: verb, Arg: fmt.Sprintf("#%d", i)}.Data()
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
func Welcome(r *roster.Roster) storage.OutboxMessage {
	text := "您好！这里是镇市民诉求热线 🙂\n有困难、问题或建议，直接在这里发文字给我们，我们派负责的人办理，并告诉您进展。\n\n" +
		"先请告诉我们：<b>您住在哪个片区？</b>（也可以直接打出村名）\n\n" + PrivacyLine
	return msg(KindWelcome, text, AreaButtons(r, ""))
}

// AreaMenu asks for the 片区 again, e.g. after /village.
func AreaMenu(r *roster.Roster) storage.OutboxMessage {
	return msg(KindAreaMenu, "请选择您住在哪个片区（也可以直接打出村名）：", AreaButtons(r, ""))
}

// PendingKept tells an unregistered resident their words are kept and asks
// for the village; suggest is a village their text named, if any.
func PendingKept(r *roster.Roster, suggest string) storage.OutboxMessage {
	text := "您说的内容我们已经记下了。请先选一下您住在哪个村，选好后马上为您登记办理。"
	return msg(KindPendingKept, text, AreaButtons(r, suggest))
}

// VillageMenu lists the villages of one 片区.
func VillageMenu(r *roster.Roster, area string) storage.OutboxMessage {
	var bs []storage.Button
	for _, v := range r.VillagesIn(area) {
		bs = append(bs, storage.Button{Text: v.Name, Data: VillageData(r, v.Name)})
	}
	kb := rows(bs, 3)
	kb = append(kb, []storage.Button{{Text: "« 返回选择片区", Data: Action{Verb: VerbArea}.Data()}})
	return msg(KindVillageMenu, fmt.Sprintf("请选择您住的村（社区）——%s：", html.EscapeString(area)), kb)
}

// Registered confirms the village. pending is how many earlier messages
// are now being registered as tickets; moved says the village changed.
func Registered(v roster.Village, pending int, moved bool) storage.OutboxMessage {
	var b strings.Builder
	if moved {
		fmt.Fprintf(&b, "好的，已把您的村改为 <b>%s</b>（%s）。", html.EscapeString(v.Name), html.EscapeString(v.Area))
	} else {
		fmt.Fprintf(&b, "好的，已登记您住在 <b>%s</b>（%s）。", html.EscapeString(v.Name), html.EscapeString(v.Area))
	}
	if pending > 0 {
		fmt.Fprintf(&b, "\n您刚才说的 %d 件事，马上为您登记，请看下面的回执。", pending)
	}
	// The welcome this message replaces carried the privacy line; keep it
	// in the chat's history.
	if !moved {
		b.WriteString("\n\n" + PrivacyLine)
	}
	return msg(KindRegistered, b.String(), nil)
}

// TagQuestion asks one optional registration question.
func TagQuestion(tag string) storage.OutboxMessage {
	kb := [][]storage.Button{{
		{Text: "是", Data: Action{Verb: VerbTag, Arg: tag + "=yes"}.Data()},
		{Text: "不是", Data: Action{Verb: VerbTag, Arg: tag + "=no"}.Data()},
		{Text: "跳过", Data: Action{Verb: VerbTag, Arg: "skip"}.Data()},
	}}
	return msg(KindTagQuestion, tagQuestionText[tag], kb)
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
func TagsDone() storage.OutboxMessage {
	return msg(KindTagsDone, "登记完成，谢谢您！以后有事直接发文字或语音给我就行（也可以带照片、发位置）。", nil)
}
