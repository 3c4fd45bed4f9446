package taxonomy

import (
	"fmt"
	"strings"
)

// Source is where a request came from. Reports split by it, and it decides
// how the requester is reached: only telegram and checkin requesters have
// a chat with the bot; the others are phoned.
type Source string

// The sources of requests.
const (
	Telegram Source = "telegram" // a resident wrote to the bot
	Checkin  Source = "checkin"  // a resident's answer to an outreach campaign
	Visit    Source = "visit"    // found by staff on a visit (入户走访, 下村日)
	Phone    Source = "phone"    // a phone call to staff or the centre
	Walkin   Source = "walkin"   // someone came to the village or township office
	Hotline  Source = "12345"    // a work order dispatched by the district's 12345 platform
)

// Sources lists every source: those residents start, then those staff
// open for others.
var Sources = []Source{Telegram, Checkin, Visit, Phone, Walkin, Hotline}

var sourceNames = Names[Source]{
	Telegram: "机器人留言",
	Checkin:  "主动问询",
	Visit:    "走访",
	Phone:    "电话",
	Walkin:   "来访",
	Hotline:  "12345工单",
}

// Valid reports whether s is one of the sources above.
func (s Source) Valid() bool { return sourceNames.Has(s) }

// Chinese is the name staff see.
func (s Source) Chinese() string { return sourceNames.Of(s) }

// ByStaff reports whether staff open tickets of this source on someone
// else's behalf (the requester has no chat with the bot).
func (s Source) ByStaff() bool { return s == Visit || s == Phone || s == Walkin }

// Proactive reports whether the township found the problem before anyone
// asked (未诉先办): a campaign's answer or a visit.
func (s Source) Proactive() bool { return s == Checkin || s == Visit }

// ParseSource accepts an id or the Chinese name (and a few everyday
// words staff use for them: 上门, 来电).
func ParseSource(s string) (Source, error) {
	s = strings.TrimSpace(s)
	if src := Source(strings.ToLower(s)); src.Valid() {
		return src, nil
	}
	for src, name := range sourceNames {
		if s == name {
			return src, nil
		}
	}
	switch s {
	case "入户走访", "下村", "下村走访":
		return Visit, nil
	case "来电", "打电话", "电话反映":
		return Phone, nil
	case "上门", "来访反映", "到访":
		return Walkin, nil
	}
	return "", fmt.Errorf("unknown source %q (want one of telegram, checkin, visit, phone, walkin, 12345)", s)
}
