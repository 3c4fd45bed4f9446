package desk

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"hotline/api"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// entry is one line of a ticket's timeline.
type entry struct {
	At     time.Time
	Kind   string
	Actor  string
	Detail string
}

// eventData is every field an event's data may carry (see package tickets
// and storage.SLAMissEvent); each kind uses a few.
type eventData struct {
	Campaign   string            `json:"campaign"`
	Category   taxonomy.Category `json:"category"`
	From       taxonomy.Category `json:"from"`
	By         string            `json:"by"`
	Urgency    taxonomy.Urgency  `json:"urgency"`
	Village    string            `json:"village"`
	Confidence float64           `json:"confidence"`
	Classifier string            `json:"classifier"`
	Handler    string            `json:"handler"`
	Role       roster.Role       `json:"role"`
	Reason     string            `json:"reason"`
	Note       string            `json:"note"`
	Rating     int               `json:"rating"`
	Fixed      *bool             `json:"fixed"`
	Deadline   string            `json:"deadline"`
	// The 12345 way of handling and the same problem (handlingDetail).
	At         time.Time       `json:"at"`
	ReplyBy    time.Time       `json:"reply_by"`
	Source     taxonomy.Source `json:"source"`
	ExternalID string          `json:"external_id"`
	Outcome    routing.Outcome `json:"outcome"`
	To         string          `json:"to"`
	With       string          `json:"with"`
	Ticket     string          `json:"ticket"`
	Requesters int             `json:"requesters"`
	Changes    []struct {
		Field, From, To string
	} `json:"changes"`
}

func entryOf(r *roster.Roster, t storage.Ticket, e storage.Event) entry {
	var d eventData
	_ = json.Unmarshal([]byte(e.Data), &d) // an event this version cannot read shows without details
	return entry{At: e.At, Kind: notice.EventChinese(e.Kind), Actor: api.ActorName(r, t, e.ActorID), Detail: detail(e.Kind, d)}
}

// detail says what an event's data means.
func detail(kind string, d eventData) string {
	var parts []string
	add := func(format string, args ...any) { parts = append(parts, fmt.Sprintf(format, args...)) }
	switch kind {
	case "created":
		if d.Campaign != "" {
			add("来自主动问询（%s）", d.Campaign)
		}
		if d.Source != "" && d.Campaign == "" {
			add("来源：%s", d.Source.Chinese())
		}
		if d.ExternalID != "" {
			add("12345 工单编号 %s", d.ExternalID)
		}
	case "classified":
		if d.From != "" {
			who := map[string]string{"staff": "工作人员", "resident": "居民"}[d.By]
			add("%s把类别从“%s”改为“%s”", who, d.From.Chinese(), d.Category.Chinese())
			break
		}
		add("类别“%s”，%s，%s", d.Category.Chinese(), d.Urgency.Chinese(), orNone(d.Village))
		add("置信度 %.0f%%（%s）", d.Confidence*100, d.Classifier)
	case string(routing.Assign), string(routing.Transfer), string(routing.Escalate), string(routing.Reopen):
		add("交给 %s（%s）", d.Handler, d.Role.Chinese())
		if d.Reason != "" {
			add("原因：%s", d.Reason)
		}
	case string(routing.Resolve):
		add("办理结果：%s", d.Note)
		if d.Outcome != "" {
			add("%s", d.Outcome.Chinese())
		}
		if d.With != "" {
			add("随 %s 一起办结", d.With)
		}
	case string(routing.Dismiss):
		add("说明：%s", d.Note)
	case "urged":
		if d.Note != "" {
			add("督办意见：%s", d.Note)
		}
	case "rated":
		add("%d 分", d.Rating)
	case "fixed_answer":
		if d.Fixed != nil && *d.Fixed {
			add("居民说已经好了")
		} else {
			add("居民说还没好")
		}
	case storage.EventSLAMissed:
		which := map[string]string{"accept": "接单", "resolve": "办结"}[d.Deadline]
		add("%s超过%s时限", orNone(d.Handler), which)
	default:
		handlingDetail(kind, d, add)
	}
	return strings.Join(parts, "；")
}

// handlingDetail says what the events of the 12345 way of handling and of
// the same problem mean.
func handlingDetail(kind string, d eventData, add func(string, ...any)) {
	switch kind {
	case string(routing.Contact):
		add("%s 联系了反映人", whenText(d.At))
	case string(routing.Promise):
		add("承诺 %s 前答复", whenText(d.ReplyBy))
	case string(routing.AskExtend):
		add("申请延至 %s；理由：%s", deadlineText(d.Deadline), d.Reason)
	case string(routing.AskReturn):
		add("理由：%s", d.Reason)
	case tickets.EventExtendApproved:
		add("办结时限改为 %s", deadlineText(d.Deadline))
	case string(routing.Link):
		add("与 %s 是同一问题（%s）", d.To, map[string]string{"matcher": "系统自动合并", "hand": "工作人员合并"}[d.By])
	case tickets.EventRequesterAdded, tickets.EventRequesterRemoved:
		add("%s；现有 %d 位反映人", d.Ticket, d.Requesters)
	case tickets.EventOrderUpdated:
		for _, c := range d.Changes {
			add("%s：%s → %s", c.Field, orNone(c.From), orNone(c.To))
		}
	}
	if d.Note != "" {
		add("意见：%s", d.Note)
	}
}

// deadlineText is an RFC 3339 time in an event's data as the desk shows
// times.
func deadlineText(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return orNone(s)
	}
	return whenText(t)
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
