package conversation

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"hotline/notice"
	"hotline/outreach"
	"hotline/storage"
)

// The staff's side of outreach: /notify sends a one-off notice to a
// segment, /tag sets a resident's tags. Who may do it is outreach's rule,
// checked again there; the bot only words the refusals.

// tag is "/tag WHO TAG on|off", WHO a ticket number (its resident) or a
// resident's id. A resident the staff member may not tag gets the same
// answer as one that does not exist, so nothing leaks.
func (t *turn) tag() error {
	if t.s.outreach == nil {
		return t.send(notice.Refusal(notice.RefuseOutreachOff))
	}
	fields := strings.Fields(t.args)
	if len(fields) != 3 {
		return t.send(notice.Refusal(notice.TagUsage))
	}
	tag, okTag := tagNamed(fields[1])
	on, okSwitch := switchNamed(fields[2])
	if !okTag || !okSwitch {
		return t.send(notice.Refusal(notice.TagUsage))
	}
	id, ok, err := t.tagTarget(fields[0])
	if err != nil {
		return err
	}
	if !ok {
		return t.send(notice.Refusal(notice.RefuseTagWho))
	}
	err = t.tx.Try(t.ctx, func() error {
		r, err := t.tx.Resident(t.ctx, id)
		if err != nil {
			return err
		}
		// Only tags the bot knows are kept: outreach refuses any other.
		tags := slices.DeleteFunc(slices.Clone(r.Tags), func(s string) bool {
			return s == tag || !slices.Contains(notice.TagQuestions, s)
		})
		if on {
			tags = append(tags, tag)
		}
		return t.s.outreach.SetTags(t.ctx, t.tx, t.a, t.staff.TelegramID, id, tags)
	})
	if errors.Is(err, outreach.ErrForbidden) || errors.Is(err, storage.ErrNotFound) {
		return t.send(notice.Refusal(notice.RefuseTagWho))
	}
	return err // SetTags queued the confirmation
}

// tagTarget reads WHO: a ticket number written with its year
// ("2026-000123") names the ticket's resident; a bare number is a
// resident's id.
func (t *turn) tagTarget(who string) (int64, bool, error) {
	if strings.ContainsAny(who, "-－—–#") {
		number, ok := parseTicketNumber(who, t.now)
		if !ok {
			return 0, false, nil
		}
		tk, err := t.tx.TicketByNumber(t.ctx, number)
		if errors.Is(err, storage.ErrNotFound) {
			return 0, false, nil
		}
		return tk.ResidentID, err == nil && tk.ResidentID != 0, err
	}
	id, err := strconv.ParseInt(who, 10, 64)
	return id, err == nil && id > 0, nil
}

// tagWords are what staff call the tags, besides their ids and
// notice.TagName.
var tagWords = map[string]string{
	"独居老人": notice.TagAlone, "独居": notice.TagAlone, "空巢老人": notice.TagAlone, "独居老年人": notice.TagAlone,
	"煤改电": notice.TagElectricHeating, "电采暖": notice.TagElectricHeating, "电取暖": notice.TagElectricHeating,
}

// tagNamed reads a tag by its id or as staff call it.
func tagNamed(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, tag := range notice.TagQuestions {
		if s == tag || s == notice.TagName(tag) {
			return tag, true
		}
	}
	if tag, ok := tagWords[strings.TrimPrefix(s, "tag:")]; ok {
		return tag, true
	}
	if tag := strings.TrimPrefix(s, "tag:"); slices.Contains(notice.TagQuestions, tag) {
		return tag, true
	}
	return "", false
}

// switchNamed reads on/off, also in Chinese.
func switchNamed(s string) (on, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "on", "yes", "开", "是", "打开", "加上", "有":
		return true, true
	case "off", "no", "关", "否", "关闭", "去掉", "取消", "没有":
		return false, true
	}
	return false, false
}
