package botsim

import (
	"slices"
	"strings"
	"testing"
)

func TestParseHTMLAccepts(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		plain string
		ents  []wireEntity
		safe  string
	}{
		{"plain", "你好，世界", "你好，世界", nil, "你好，世界"},
		{"bold and italic", "<b>工单</b> <i>已受理</i>", "工单 已受理",
			[]wireEntity{{Type: "bold", Offset: 0, Length: 2}, {Type: "italic", Offset: 3, Length: 3}},
			"<b>工单</b> <i>已受理</i>"},
		{"synonyms and case", "<STRONG>a</STRONG><em>b</em><ins>c</ins><del>d</del><strike>e</strike>", "abcde",
			[]wireEntity{{Type: "bold", Offset: 0, Length: 1}, {Type: "italic", Offset: 1, Length: 1}, {Type: "underline", Offset: 2, Length: 1}, {Type: "strikethrough", Offset: 3, Length: 1}, {Type: "strikethrough", Offset: 4, Length: 1}},
			"<b>a</b><i>b</i><u>c</u><s>d</s><s>e</s>"},
		{"nested sorted outer first", "<b>a<i>b</i></b>", "ab",
			[]wireEntity{{Type: "bold", Offset: 0, Length: 2}, {Type: "italic", Offset: 1, Length: 1}},
			"<b>a<i>b</i></b>"},
		{"entities decoded", "1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;x&quot; &#20013;&#x6587;", `1 < 2 && 3 > 2 "x" 中文`, nil,
			"1 &lt; 2 &amp;&amp; 3 &gt; 2 &#34;x&#34; 中文"},
		{"utf16 offsets after emoji", "😀<b>好</b>", "😀好",
			[]wireEntity{{Type: "bold", Offset: 2, Length: 1}}, "😀<b>好</b>"},
		{"link", `<a href="https://example.com/?a=1&amp;b=2">地图</a>`, "地图",
			[]wireEntity{{Type: "text_link", Offset: 0, Length: 2, URL: "https://example.com/?a=1&b=2"}},
			`<a href="https://example.com/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">地图</a>`},
		{"script link neutralised", `<a href='javascript:alert(1)'>x</a>`, "x",
			[]wireEntity{{Type: "text_link", Offset: 0, Length: 1, URL: "javascript:alert(1)"}}, "<a>x</a>"},
		{"link without href keeps text", "<a>x</a>", "x", nil, "x"},
		{"pre with language", `<pre><code class="language-go">x := 1</code></pre>`, "x := 1",
			[]wireEntity{{Type: "pre", Offset: 0, Length: 6, Language: "go"}}, "<pre>x := 1</pre>"},
		{"standalone code", "<code>abc</code>", "abc", []wireEntity{{Type: "code", Offset: 0, Length: 3}}, "<code>abc</code>"},
		{"spoilers", `<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>`, "ab",
			[]wireEntity{{Type: "spoiler", Offset: 0, Length: 1}, {Type: "spoiler", Offset: 1, Length: 1}},
			`<span class="spoiler">a</span><span class="spoiler">b</span>`},
		{"expandable blockquote", "<blockquote expandable>引用</blockquote>", "引用",
			[]wireEntity{{Type: "expandable_blockquote", Offset: 0, Length: 2}}, `<blockquote class="expandable">引用</blockquote>`},
		{"empty entity dropped", "<b></b>x", "x", nil, "<b></b>x"},
		{"spaces in tags", "<b >x</b >", "x", []wireEntity{{Type: "bold", Offset: 0, Length: 1}}, "<b>x</b>"},
		{"what html.EscapeString writes", "Tom&#39;s &#34;灯&#34; &lt;3", `Tom's "灯" <3`, nil, "Tom&#39;s &#34;灯&#34; &lt;3"},
		{"custom emoji", `<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>好`, "👍好",
			[]wireEntity{{Type: "custom_emoji", Offset: 0, Length: 2, CustomEmojiID: "5368324170671202286"}}, "👍好"},
		{"single-quoted and bare attributes", `<a href='https://x.cn/a'>a</a><a href=https://x.cn/b>b</a>`, "ab",
			[]wireEntity{{Type: "text_link", Offset: 0, Length: 1, URL: "https://x.cn/a"}, {Type: "text_link", Offset: 1, Length: 1, URL: "https://x.cn/b"}},
			`<a href="https://x.cn/a" target="_blank" rel="noopener noreferrer">a</a><a href="https://x.cn/b" target="_blank" rel="noopener noreferrer">b</a>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseHTML(tt.in)
			if err != nil {
				t.Fatalf("parseHTML(%q): %v", tt.in, err)
			}
			if f.plain != tt.plain {
				t.Errorf("plain = %q, want %q", f.plain, tt.plain)
			}
			if !slices.Equal(f.entities, tt.ents) {
				t.Errorf("entities = %+v, want %+v", f.entities, tt.ents)
			}
			if f.safe != tt.safe {
				t.Errorf("safe = %q, want %q", f.safe, tt.safe)
			}
		})
	}
}

func TestParseHTMLRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unsupported tag", "a<br>b", `Unsupported start tag "br" at byte offset 1`},
		{"unsupported tag with attrs", `<div class="x">a</div>`, `Unsupported start tag "div"`},
		{"unclosed element", "<b>x", `Can't find end tag corresponding to start tag "b"`},
		{"mismatched end", "<b><i>x</b></i>", `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"unexpected end", "x</b>", "Unexpected end tag at byte offset 1"},
		{"unclosed start tag", "<b", "Unclosed start tag at byte offset 0"},
		{"unclosed end tag", "<b>x</b", "Unclosed end tag at byte offset 4"},
		{"bare lt", "1 < 2", "Unexpected end of name token at byte offset 2"},
		{"bare gt", "2 > 1", "character '>' must be escaped"},
		{"bare amp", "A & B", "character '&' must be escaped as &amp; at byte offset 2"},
		{"unknown named entity", "a&nbsp;b", `Unsupported HTML entity "&nbsp;"`},
		{"bad numeric entity", "&#xD800;", `Unsupported HTML entity "&#xD800;"`},
		{"zero numeric entity", "&#0;", `Unsupported HTML entity "&#0;"`},
		{"span without spoiler class", `<span class="red">x</span>`, `Tag "span" must have class "tg-spoiler"`},
		{"unterminated attribute", `<a href="x>y</a>`, "Unclosed start tag at byte offset 0"},
		{"bad entity in attribute", `<a href="a&b">y</a>`, "in the attribute of the tag"},
		{"self closing", "<b/>", `Empty attribute name in the tag "b"`},
		{"comment", "a<!-- x -->b", "Unexpected end of name token at byte offset 1"},
		{"doctype", "<!DOCTYPE html>x", "Unexpected end of name token at byte offset 0"},
		{"end tag without a name", "1 </ 2", "Unclosed end tag at byte offset 2"},
		{"script", "<script>alert(1)</script>", `Unsupported start tag "script" at byte offset 0`},
		{"raw text element", "<textarea><b>x</b></textarea>", `Unsupported start tag "textarea"`},
		{"custom emoji without an id", "<tg-emoji>👍</tg-emoji>", `Tag "tg-emoji" must have attribute "emoji-id"`},
		{"html5 entity", "&hellip;", `Unsupported HTML entity "&hellip;"`},
		{"bad entity in attribute after a good one", `<a href="a&amp;b&c">y</a>`, "in the attribute of the tag at byte offset 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseHTML(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("parseHTML(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestFormatTextLimits(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		parseMode string
		want      *apiError
	}{
		{"4096 Chinese characters fit", strings.Repeat("中", 4096), "", nil},
		{"4097 characters are too long", strings.Repeat("中", 4097), "", errTextTooLong},
		{"emoji count two units", strings.Repeat("😀", 2048), "", nil},
		{"2049 emoji are too long", strings.Repeat("😀", 2049), "", errTextTooLong},
		{"tags do not count", "<b>" + strings.Repeat("a", 4096) + "</b>", "HTML", nil},
		{"entities count once", strings.Repeat("&amp;", 4096), "HTML", nil},
		{"empty", "", "", errTextEmpty},
		{"only spaces", " \n ", "", errTextEmpty},
		{"empty after tags", "<b> </b>", "HTML", errTextEmpty},
		{"invalid utf8", "a\xffb", "", errNotUTF8},
		{"unknown parse mode", "x", "BBCode", badRequest("unsupported parse_mode")},
		{"markdown accepted", "*x*", "MarkdownV2", nil},
		{"parse mode case", "<b>x</b>", "html", nil},
		{"bad html", "<p>x</p>", "HTML", badRequest(`can't parse entities: Unsupported start tag "p" at byte offset 0`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := formatText(tt.text, tt.parseMode)
			switch {
			case tt.want == nil && got != nil:
				t.Fatalf("unexpected error %v", got.Description)
			case tt.want != nil && (got == nil || got.Description != tt.want.Description):
				t.Fatalf("got %v, want %q", got, tt.want.Description)
			}
		})
	}
}
