package outreach

import (
	"context"
	"slices"
	"testing"

	"hotline/notice"
	"hotline/storage"
)

func TestSegmentSelection(t *testing.T) {
	f := newFixture(t,
		resident{id: 1001, village: "翟各庄村", tags: []string{notice.TagElectricHeating}},
		resident{id: 1002, village: "翟各庄村", tags: []string{notice.TagAlone, notice.TagElectricHeating}},
		resident{id: 1003, village: "东寺庄村", tags: []string{notice.TagAlone}},
		resident{id: 1004, village: "梁家务村", tags: []string{notice.TagElectricHeating}},
		resident{id: 1005, village: "梁家务村", off: true},     // opted out
		resident{id: 1006, village: "东寺庄村", unstart: true}, // never started the bot
		resident{id: 1007, village: "翟各庄村", tags: []string{notice.TagAlone}},
	)
	// 1007 blocked the bot: no campaign reaches it.
	if err := f.db.Blocked(context.Background(), 1007, f.now); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		seg  string
		want []int64
	}{
		{"all", []int64{1001, 1002, 1003, 1004}},
		{"village:翟各庄村", []int64{1001, 1002}},
		{"area:东片区", []int64{1001, 1002, 1003}},
		{"tag:electric_heating", []int64{1001, 1002, 1004}},
		{"tag:alone", []int64{1002, 1003}},
		{"area:东片区,tag:electric_heating", []int64{1001, 1002}},
		{"tag:alone，tag:electric_heating", []int64{1002}},
		{"village:梁家务村,tag:alone", nil},
	}
	for _, tc := range cases {
		seg, err := ParseSegment(tc.seg)
		if err != nil {
			t.Fatalf("%s: %v", tc.seg, err)
		}
		var got []int64
		f.update(t, func(ctx context.Context, tx *storage.Tx) error {
			rs, err := tx.Audience(ctx, 0, 0, seg.Matcher(testRoster()))
			for _, r := range rs {
				got = append(got, r.ID)
			}
			return err
		})
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.seg, got, tc.want)
		}
	}
	for _, bad := range []string{"", "village", "street:x", "tag:", "tag:vip"} {
		if _, err := ParseSegment(bad); err == nil {
			t.Errorf("ParseSegment(%q) accepted", bad)
		}
	}
	for _, unknown := range []string{"village:火星村", "area:北片区"} {
		seg, _ := ParseSegment(unknown)
		if err := seg.Check(testRoster()); err == nil {
			t.Errorf("Check(%q) accepted a place not in the roster", unknown)
		}
	}
}
