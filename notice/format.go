package notice

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Zone is the township's time zone; every time a person reads is in it.
var Zone = time.FixedZone("CST", 8*3600)

// When formats a time as people here read it: 11月29日 17:30.
func When(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(Zone).Format("1月2日 15:04")
}

// PhoneDigits keeps the digits of a phone number and drops China's
// country code, so that 138****5678 is masked from the number people
// know.
func PhoneDigits(p string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p)
	if len(digits) == 13 && strings.HasPrefix(digits, "86") {
		digits = digits[2:]
	}
	return digits
}

// MaskPhone hides the middle of a phone number: 138****5678. At least four
// digits are always hidden: a shorter number (a landline) shows only its
// last four, and one too short for that is hidden whole.
func MaskPhone(p string) string {
	digits := PhoneDigits(p)
	switch n := len(digits); {
	case n == 0:
		return ""
	case n >= 11:
		return digits[:3] + "****" + digits[n-4:]
	case n >= 8:
		return "****" + digits[n-4:]
	}
	return "****"
}

// Clip shortens s to at most n runes for list lines.
func Clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// Deadline formats a due time with an overdue mark relative to now.
func Deadline(due, now time.Time) string {
	if !due.IsZero() && now.After(due) {
		return When(due) + "（已超时）"
	}
	return When(due)
}
