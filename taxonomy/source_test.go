package taxonomy

import "testing"

func TestSources(t *testing.T) {
	seen := map[Source]bool{}
	for _, s := range Sources {
		if !s.Valid() || s.Chinese() == string(s) || seen[s] {
			t.Errorf("source %q: valid=%v chinese=%q dup=%v", s, s.Valid(), s.Chinese(), seen[s])
		}
		seen[s] = true
		for _, in := range []string{string(s), s.Chinese()} {
			if got, err := ParseSource(in); err != nil || got != s {
				t.Errorf("ParseSource(%q) = %q, %v", in, got, err)
			}
		}
	}
	tests := []struct {
		in   string
		want Source
	}{
		{" Phone ", Phone}, {"来电", Phone}, {"上门", Walkin}, {"入户走访", Visit}, {"12345", Hotline},
	}
	for _, tt := range tests {
		if got, err := ParseSource(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseSource(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "wechat", "微信", "tele gram"} {
		if _, err := ParseSource(bad); err == nil {
			t.Errorf("ParseSource(%q): want error", bad)
		}
	}
	for s, want := range map[Source][2]bool{
		Telegram: {false, false}, Checkin: {false, true}, Visit: {true, true},
		Phone: {true, false}, Walkin: {true, false}, Hotline: {false, false},
	} {
		if s.ByStaff() != want[0] || s.Proactive() != want[1] {
			t.Errorf("%s: ByStaff=%v Proactive=%v, want %v", s, s.ByStaff(), s.Proactive(), want)
		}
	}
}
