package sameproblem

import (
	"math"
	"testing"

	"hotline/taxonomy"
)

func TestRead(t *testing.T) {
	r := Read("三组路口东头的路灯不亮").At(39.70210, 116.80330)
	if r.loc == nil || r.loc.lat != 39.70210 || r.loc.lon != 116.80330 {
		t.Errorf("location = %+v", r.loc)
	}
	if _, ok := r.things["light"]; !ok || len(r.things) != 1 {
		t.Errorf("things = %v", r.things)
	}
	want := map[place]bool{{"group", "3"}: true, {"crossing", ""}: true, {"side", "east"}: true}
	if len(r.places) != len(want) {
		t.Errorf("places = %v", r.places)
	}
	for _, p := range r.places {
		if !want[p] {
			t.Errorf("unexpected place %v", p)
		}
	}
	if Read("我家暖气不热").home != true || Read("全村暖气不热，我家也是").home != false {
		t.Error("household: a home report is one without a word that widens it to the village")
	}
	if r := Read("村口红绿灯坏了"); len(r.things) != 1 || r.things["traffic_light"] != point {
		t.Errorf("红绿灯 must not be read as 灯: %v", r.things)
	}
}

func TestNumeral(t *testing.T) {
	for in, want := range map[string]string{"3": "3", "03": "3", "三": "3", "十": "10", "十三": "13", "二十": "20", "二十五": "25", "两": "2"} {
		if got := numeral(in); got != want {
			t.Errorf("numeral(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDistance(t *testing.T) {
	// About 111 m per 0.001 degree of latitude.
	d := distance(latLon{39.700, 116.800}, latLon{39.701, 116.800})
	if math.Abs(d-111.2) > 1 {
		t.Errorf("distance = %.1f m", d)
	}
}

// Things with no word in common never match, whatever else agrees.
func TestSameNeedsAThing(t *testing.T) {
	if Same(Read("村口有点问题"), Read("村口有点问题")) {
		t.Error("two reports naming no known thing must not be merged")
	}
}

func TestSharedAndMatchable(t *testing.T) {
	if !Shared(taxonomy.Roads) || Shared(taxonomy.Welfare) || Shared(taxonomy.Dispute) || Shared(taxonomy.Consultation) {
		t.Error("shared categories")
	}
	if !Read("村口路灯坏了").Matchable() || Read("我家暖气不热").Matchable() || Read("你好").Matchable() {
		t.Error("matchable")
	}
}
