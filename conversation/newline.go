package conversation

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"hotline/duedate"
	"hotline/intents"
	"hotline/notice"
	"hotline/taxonomy"
	"hotline/workdays"
)

// draft is a ticket a staff member is opening for someone, as far as they
// have told it. It lives in the chat's state between the steps of /new.
type draft struct {
	Step    string          `json:"step"`
	Village string          `json:"v,omitempty"`
	Text    string          `json:"t,omitempty"`
	Name    string          `json:"n,omitempty"`
	Phone   string          `json:"p,omitempty"`
	Asked   bool            `json:"a,omitempty"` // the requester was asked for (or given in the line)
	Source  taxonomy.Source `json:"s,omitempty"`
	ReplyBy time.Time       `json:"r,omitzero"`
}

// A mainland mobile number (with or without +86) or a landline with its
// area code, optionally labelled, not inside a longer run of digits.
var phonePattern = regexp.MustCompile(`(?:(?:联系)?电话|手机|[Tt][Ee][Ll])?[:：]?\s*((?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}|0\d{2,3}-\d{7,8})`)

// parseLine reads "/new 翟各庄村 张大爷 13800001111 村口路灯坏了 [走访]": the
// village by the gazetteer, the phone by its pattern, a source word, a
// promised reply (本周内答复), and a name when a word before the problem
// looks like one. Whatever is left is the problem, in the staff member's
// words.
func parseLine(s string, g *intents.Gazetteer, now time.Time, cal *workdays.Calendar, loc *time.Location) draft {
	var d draft
	if m := findPhone(s); m != nil {
		d.Phone = notice.PhoneDigits(s[m[2]:m[3]])
		s = s[:m[0]] + " " + s[m[1]:]
	}
	var rest []string
	for _, tok := range strings.Fields(s) {
		switch src, err := taxonomy.ParseSource(tok); {
		case err == nil && src.ByStaff() && d.Source == "":
			d.Source = src
			continue
		case d.Village == "":
			if v, ok := g.Resolve(tok); ok {
				d.Village = v
				continue
			}
		}
		if d.ReplyBy.IsZero() && (strings.Contains(tok, "答复") || strings.Contains(tok, "回复")) {
			if due, _, ok := duedate.Parse(tok, now, cal, loc); ok {
				d.ReplyBy = due
				continue
			}
		}
		rest = append(rest, tok)
	}
	if len(rest) >= 2 && looksLikeName(rest[0]) {
		d.Name, rest = rest[0], rest[1:]
	}
	d.Text = strings.Join(rest, " ")
	if d.Village == "" {
		d.Village, _ = g.Find(d.Text)
	}
	d.Asked = d.Name != "" || d.Phone != ""
	return d
}

// findPhone locates the first phone number in s that is not part of a
// longer number: submatch 1 is the number itself.
func findPhone(s string) []int {
	for off := 0; off < len(s); {
		m := phonePattern.FindStringSubmatchIndex(s[off:])
		if m == nil {
			return nil
		}
		for i := range m {
			m[i] += off
		}
		before, after := m[2] == 0 || !isDigit(s[m[2]-1]), m[3] == len(s) || !isDigit(s[m[3]])
		if before && after {
			return m
		}
		off = m[3]
	}
	return nil
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// parseRequester reads the answer to "name and phone": either, both, in
// any order.
func parseRequester(s string) (name, phone string) {
	if m := findPhone(s); m != nil {
		phone = notice.PhoneDigits(s[m[2]:m[3]])
		s = s[:m[0]] + " " + s[m[1]:]
	}
	name = strings.Join(strings.Fields(s), " ")
	return strings.Trim(name, " ，,、。.;；:："), phone
}

// Words that end how people are named in a village: 张大爷, 李奶奶, 王师傅.
var honorifics = []string{"大爷", "大妈", "大娘", "大婶", "奶奶", "爷爷", "阿姨", "叔叔", "大叔", "大哥", "大姐", "师傅", "老师", "先生", "女士", "老人", "婆婆"}

// Common surnames, for a bare name such as 张建国 or 老王.
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤翟郎"

// Characters no name has but problem reports often do.
const notInNames = "了坏没不有的吗呢在是漏停堵灯水电路坑响臭冒倒塌裂烧"

// looksLikeName reports whether a word is a person: a surname and one or
// two more characters, 老王 or 小李, or anything ending in an honorific.
func looksLikeName(w string) bool {
	n := utf8.RuneCountInString(w)
	if n < 2 || n > 5 {
		return false
	}
	for _, r := range w {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	for _, h := range honorifics {
		if strings.HasSuffix(w, h) {
			return true
		}
	}
	if n > 3 || strings.ContainsAny(w, notInNames) {
		return false
	}
	first, size := utf8.DecodeRuneInString(w)
	if first == '老' || first == '小' {
		second, _ := utf8.DecodeRuneInString(w[size:])
		return n == 2 && strings.ContainsRune(surnames, second)
	}
	return strings.ContainsRune(surnames, first)
}
