// Package numerals reads the small numbers people write in a message,
// in digits or in Chinese: 3, 三, 两, 十, 十五, 二十, 二十五 — the days of
// a deadline (三天内), a village's group (5组, 五组).
package numerals

import "strconv"

var digits = map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// Parse reads a number written in ASCII digits, or in Chinese up to
// 九十九. ok is false for anything else (十十, 三五, 一百).
func Parse(s string) (n int, ok bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10, true
	case len(rs) == 1:
		n, ok := digits[rs[0]]
		return n, ok
	case len(rs) == 2 && rs[0] == '十':
		n, ok := digits[rs[1]]
		return 10 + n, ok
	case len(rs) == 2 && rs[1] == '十':
		n, ok := digits[rs[0]]
		return 10 * n, ok
	case len(rs) == 3 && rs[1] == '十':
		a, okA := digits[rs[0]]
		b, okB := digits[rs[2]]
		return 10*a + b, okA && okB
	}
	return 0, false
}
