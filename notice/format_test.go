package notice

import "testing"

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"村口路灯坏了", "村口路灯坏了"},
		{`<a href="x">A&B</a>`, "&lt;a href=&quot;x&quot;&gt;A&amp;B&lt;/a&gt;"},
		{"&amp;", "&amp;amp;"},
		{"it's", "it's"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
