package conversation

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode"

	"hotline/assets"
	"hotline/notice"
	"hotline/outreach"
	"hotline/taxonomy"
	"hotline/tickets"
)

// /notify in the staff's own words: "/notify 东片区 独居老人 今晚降温…".
// The range is read from the words before the text (a village by name or
// short name, a 片区, 全镇/全体, a tag in Chinese, or the older
// village:X/area:X/tag:X), shown with the number of residents it reaches,
// and sent only once the staff member presses 确认发送 within
// notifyWithin. The count is taken again then.

// pendingNotice is a /notify waiting for its confirmation, kept in the
// chat's state.
type pendingNotice struct {
	Segment  string `json:"seg"` // as outreach.ParseSegment reads it
	Category string `json:"cat,omitempty"`
	Text     string `json:"text"`
	Nonce    int64  `json:"nonce"` // the confirmation buttons carry it
	Until    int64  `json:"until"` // unix seconds
}

// notifyWords are the words for every resident.
var notifyWords = []string{"全镇", "全体", "全部", "所有人", "全镇居民", "all"}

// checkinPrefixes introduce the category of a check-in notice.
var checkinPrefixes = []string{"checkin:", "问询:", "问询：", "回访:", "回访："}

// errNotifyUsage is a /notify without a range or a text.
var errNotifyUsage = errors.New("usage")

// parseNotify reads /notify's arguments. A word it cannot read as part of
// the range starts the text; a first word it cannot read is a bad range
// (its refusal names it).
func parseNotify(a *assets.Assets, args string) (pendingNotice, string, error) {
	var terms []string
	all := false
	var n pendingNotice
	rest := strings.TrimSpace(args)
	for rest != "" {
		word, after := cutWord(rest)
		if c, name, ok := checkinCategory(word); ok {
			if c == "" {
				return n, name, errBadCategory
			}
			n.Category = string(c)
			rest = after
			continue
		}
		term, ok, known := segmentTerm(a, word)
		if !known {
			return n, word, errUnknownPlace
		}
		if !ok {
			break
		}
		if term == "all" {
			all = true
		} else {
			terms = append(terms, term)
		}
		rest = after
	}
	switch {
	case len(terms) == 0 && !all && rest != "":
		first, _ := cutWord(rest)
		return n, first, errBadSegment
	case len(terms) == 0 && !all, rest == "":
		return n, "", errNotifyUsage
	}
	n.Segment, n.Text = strings.Join(terms, ","), rest
	if n.Segment == "" {
		n.Segment = "all"
	}
	return n, "", nil
}

var (
	errBadSegment   = errors.New("bad segment")
	errUnknownPlace = errors.New("unknown village or 片区")
	errBadCategory  = errors.New("bad category")
)

// segmentTerm reads one word of a range as outreach's term. known is false
// for a word written as a term (village:X) whose village or 片区 is not in
// the roster.
func segmentTerm(a *assets.Assets, word string) (term string, ok, known bool) {
	for _, w := range notifyWords {
		if word == w {
			return "all", true, true
		}
	}
	if tag, ok := tagNamed(word); ok {
		return "tag:" + tag, true, true
	}
	for _, area := range a.Roster.Areas() {
		if word == area {
			return "area:" + area, true, true
		}
	}
	if name, ok := a.Gazetteer.Resolve(word); ok {
		return "village:" + name, true, true
	}
	if v, ok := a.Roster.Village(word); ok {
		return "village:" + v.Name, true, true
	}
	// The older form, "village:翟各庄村" or "area:东片区,tag:alone".
	if seg, err := outreach.ParseSegment(word); err == nil && strings.ContainsAny(word, ":：") {
		return seg.String(), true, seg.Check(a.Roster) == nil
	}
	return "", false, true
}

// checkinCategory reads "问询:供电" (or checkin:power); ok is false for a
// word that is no check-in, c is "" for one whose category (name) is
// unknown.
func checkinCategory(word string) (c taxonomy.Category, name string, ok bool) {
	for _, p := range checkinPrefixes {
		if name, found := strings.CutPrefix(word, p); found {
			c, _ := categoryNamed(name)
			return c, name, true
		}
	}
	return "", "", false
}

// categoryWords are what staff call some categories, besides their ids
// and Chinese names.
var categoryWords = map[string]taxonomy.Category{
	"供电": taxonomy.Power, "停电": taxonomy.Power, "用电": taxonomy.Power, "电": taxonomy.Power,
	"供水": taxonomy.Water, "停水": taxonomy.Water, "防汛": taxonomy.Water,
	"供暖": taxonomy.Heating, "取暖": taxonomy.Heating, "暖气": taxonomy.Heating, "煤改电": taxonomy.Heating,
	"卫生": taxonomy.Sanitation, "垃圾": taxonomy.Sanitation, "路灯": taxonomy.Roads, "道路": taxonomy.Roads,
	"安全": taxonomy.Safety, "燃气": taxonomy.Safety,
}

// categoryNamed reads a category by its id ("heating"), its Chinese name
// (供暖与煤改电), a part of it (供暖) or what staff call it (暖气).
func categoryNamed(s string) (taxonomy.Category, bool) {
	s = strings.TrimSpace(s)
	if c, ok := categoryWords[s]; ok {
		return c, true
	}
	for _, c := range taxonomy.Categories {
		if s == string(c) || s == c.Chinese() {
			return c, true
		}
	}
	for _, c := range taxonomy.Categories {
		for _, part := range strings.Split(c.Chinese(), "与") {
			if s == part {
				return c, true
			}
		}
	}
	return "", false
}

// notify is "/notify RANGE [问询:CATEGORY] TEXT" from the centre, an admin
// or an area leader (inside their 片区). It shows whom the notice reaches
// and waits for 确认发送.
func (t *turn) notify() error {
	if t.s.outreach == nil {
		return t.send(notice.Refusal(notice.RefuseOutreachOff))
	}
	if !tickets.MayNotify(t.staff, t.staff.Area) {
		return t.send(notice.Refusal(notice.RefuseNotifyRole))
	}
	n, word, err := parseNotify(t.a, t.args)
	switch {
	case errors.Is(err, errBadSegment):
		return t.send(notice.Refusal(notice.NotifyBadSegment(word, false)))
	case errors.Is(err, errUnknownPlace):
		return t.send(notice.Refusal(notice.NotifyBadSegment(word, true)))
	case errors.Is(err, errBadCategory):
		return t.send(notice.Refusal(notice.NotifyBadCategory(word)))
	case err != nil:
		return t.send(notice.Refusal(notice.NotifyUsage))
	}
	if err := outreach.MayBroadcast(t.a.Roster, t.staff.TelegramID, n.Segment); errors.Is(err, outreach.ErrForbidden) {
		return t.send(notice.Refusal(notice.RefuseNotifyArea))
	} else if err != nil {
		return t.send(notice.Refusal(notice.NotifyBadSegment(n.Segment, true)))
	}
	count, err := t.audience(n.Segment)
	if err != nil {
		return err
	}
	n.Nonce, n.Until = t.now.UnixMilli(), t.now.Add(notifyWithin).Unix()
	if count == 0 {
		return t.send(notice.NotifyConfirm(n.Segment, 0, "", n.Text, n.Nonce, 0))
	}
	data, err := json.Marshal(n)
	if err != nil {
		return err
	}
	if err := t.setState(stateNotify, string(data)); err != nil {
		return err
	}
	return t.send(notice.NotifyConfirm(n.Segment, count, taxonomy.Category(n.Category), n.Text, n.Nonce, int(notifyWithin.Minutes())))
}

// audience counts the residents a segment reaches now.
func (t *turn) audience(segment string) (int, error) {
	seg, err := outreach.ParseSegment(segment)
	if err != nil {
		return 0, err
	}
	rs, err := t.tx.Audience(t.ctx, 0, 0, seg.Matcher(t.a.Roster))
	return len(rs), err
}

// confirmNotify sends (Arg "ok") or drops the notice waiting in the chat,
// if the press is for it and in time. Broadcast counts the residents again
// and checks the rights again.
func (t *turn) confirmNotify(a notice.Action) error {
	var n pendingNotice
	if t.chat.State != stateNotify || json.Unmarshal([]byte(t.chat.StateData), &n) != nil || n.Nonce != a.ID ||
		(a.Arg != "ok" && a.Arg != "no") {
		// An older confirmation, or one already answered: its buttons
		// go; a newer notice still waiting is left alone.
		t.out.Answer = notice.NotifyExpired
		return t.replace(notice.Refusal(notice.NotifyExpired))
	}
	if err := t.setState(stateIdle, ""); err != nil {
		return err
	}
	if a.Arg == "no" {
		t.out.Answer = notice.ToastDropped
		return t.replace(notice.NotifyPressed(n.Segment, false))
	}
	if t.now.Unix() > n.Until {
		t.out.Answer = notice.NotifyExpired
		return t.replace(notice.Refusal(notice.NotifyExpired))
	}
	// The confirmation turns into "sent" before Broadcast's count comes;
	// a refusal undoes both.
	err := t.tx.Try(t.ctx, func() error {
		if err := t.replace(notice.NotifyPressed(n.Segment, true)); err != nil {
			return err
		}
		_, err := t.s.outreach.Broadcast(t.ctx, t.tx, t.a, t.staff.TelegramID, n.Segment, n.Text, n.Category)
		return err
	})
	switch {
	case errors.Is(err, outreach.ErrForbidden):
		t.out.Answer = notice.RefuseNotifyArea
		return t.replace(notice.Refusal(notice.RefuseNotifyArea))
	case errors.Is(err, outreach.ErrBadNotice):
		t.out.Answer = notice.NotifyExpired
		return t.replace(notice.Refusal(notice.NotifyUsage))
	case err != nil:
		return err
	}
	t.out.FanOut, t.out.Answer = true, notice.ToastNotified
	return nil
}

// cutWord splits s, trimmed, at its first white space.
func cutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// notifyPress is a staff member's press on a notice's confirmation;
// without outreach no such button can be current.
func (t *turn) notifyPress(a notice.Action) error {
	if t.s.outreach == nil {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	return t.confirmNotify(a)
}
