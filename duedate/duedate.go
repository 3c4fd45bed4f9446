// Package duedate reads the deadlines people write in Chinese: 明天,
// 本周内, 3天内, 五个工作日内, 12月10日, 2026-12-10. Staff write them when
// they promise a requester a reply (本周内给予答复) or ask the centre for
// more time (延期到12月10日，等配件).
package duedate

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"hotline/numerals"
	"hotline/workdays"
)

// A day-granular deadline ends at endOfDay on that day.
const endOfDay = 23*time.Hour + 59*time.Minute

var phrase = regexp.MustCompile(`(?:(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})[日号]?|(\d{1,2})月(\d{1,2})[日号]|` +
	`(今天|今日|明天|明日|后天|本周|这周|下周)|` +
	`([0-9一二两三四五六七八九十]{1,3})\s*(个工作日|个?天|日))` +
	`(?:之?内|之?前|以内)?`)

// Parse finds the first deadline written in s, as of now, and returns it
// with the rest of s (the reason, say) trimmed. Working days count with
// cal. ok is false when s names no deadline or an impossible date.
func Parse(s string, now time.Time, cal *workdays.Calendar, loc *time.Location) (due time.Time, rest string, ok bool) {
	loc = zone(loc)
	m := phrase.FindStringSubmatchIndex(s)
	if m == nil {
		return time.Time{}, strings.TrimSpace(s), false
	}
	g := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	l := now.In(loc)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	switch {
	case g(1) != "":
		due, ok = date(atoi(g(1)), atoi(g(2)), atoi(g(3)), loc)
	case g(4) != "":
		due, ok = date(l.Year(), atoi(g(4)), atoi(g(5)), loc)
		if ok && due.Before(today) {
			due, ok = date(l.Year()+1, atoi(g(4)), atoi(g(5)), loc) // 1月5日 written in December
		}
	case g(6) != "":
		due, ok = relative(g(6), today, cal), true
	default:
		n, okN := numerals.Parse(g(7))
		if !okN || n <= 0 {
			return time.Time{}, strings.TrimSpace(s), false
		}
		if g(8) == "个工作日" {
			due, ok = cal.Add(now, n), true
		} else {
			due, ok = today.AddDate(0, 0, n).Add(endOfDay), true
		}
	}
	if !ok || !due.After(now) {
		return time.Time{}, strings.TrimSpace(s), false
	}
	const punct = " ，,。.:：；;、"
	left, right := strings.Trim(s[:m[0]], punct), strings.Trim(s[m[1]:], punct)
	if left != "" && right != "" {
		return due, left + " " + right, true
	}
	return due, left + right, true
}

func zone(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// date is the end of a calendar day, refusing dates like 2月30日.
func date(y, mo, d int, loc *time.Location) (time.Time, bool) {
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
		return time.Time{}, false
	}
	return t.Add(endOfDay), true
}

// relative is the end of 今天, 明天, 后天, or of this or next week's last
// working day.
func relative(word string, today time.Time, cal *workdays.Calendar) time.Time {
	switch word {
	case "今天", "今日":
		return today.Add(endOfDay)
	case "明天", "明日":
		return today.AddDate(0, 0, 1).Add(endOfDay)
	case "后天":
		return today.AddDate(0, 0, 2).Add(endOfDay)
	}
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	if word == "下周" {
		monday = monday.AddDate(0, 0, 7)
	}
	last := today
	for d := monday; d.Before(monday.AddDate(0, 0, 7)); d = d.AddDate(0, 0, 1) {
		if !d.Before(today) && cal.IsWorkday(d) {
			last = d
		}
	}
	return last.Add(endOfDay)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
