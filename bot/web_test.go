package bot

import (
	"io"
	"log/slog"
	"regexp"
	"slices"
	"testing"

	"hotline/conversation"
	"hotline/notice"
	"hotline/roster"
	"hotline/signin"
	"hotline/storage"
)

// TestWebLink: /web gives staff a one-time link to the desk, and nobody
// else.
func TestWebLink(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/web")
	if m := f.last(cadreZhai); m.Kind != notice.KindRefusal || !contains(m.Text, "没有开启") {
		t.Errorf("without a desk: %s %q", m.Kind, m.Text)
	}
	sign, err := signin.New("https://desk.example.gov.cn", f.clock)
	if err != nil {
		t.Fatal(err)
	}
	f.h.conv = conversation.New(f.svc, f.out, sign, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.text(cadreZhai, "/web")
	m := f.last(cadreZhai)
	link := regexp.MustCompile(`href="https://desk\.example\.gov\.cn/desk/login/([^"]+)"`).FindStringSubmatch(m.Text)
	if m.Kind != notice.KindWebLink || link == nil || !contains(m.Text, "10 分钟") {
		t.Fatalf("/web answered %s %q", m.Kind, m.Text)
	}
	err = f.db.View(f.ctx, func(tx *storage.Tx) error {
		who, err := sign.CheckLink(f.ctx, tx, link[1])
		if err == nil && int64(who) != cadreZhai {
			t.Errorf("the link signs in %d", who)
		}
		return err
	})
	if err != nil {
		t.Fatalf("the link does not work: %v", err)
	}
	f.text(residentA, "/web")
	if m := f.last(residentA); m.Kind != notice.KindRefusal || m.Text != notice.RefuseStaffOnly {
		t.Errorf("a resident's /web: %s %q", m.Kind, m.Text)
	}
	f.text(cadreZhai, "/help")
	if m := f.last(cadreZhai); !contains(m.Text, "/web") {
		t.Errorf("help does not mention /web: %q", m.Text)
	}
	names := func(cs []notice.Command) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	for _, role := range []roster.Role{roster.VillageCadre, roster.AreaLeader, roster.Department, roster.Center, roster.Admin} {
		if !slices.Contains(names(notice.StaffMenu(role)), "web") {
			t.Errorf("%s's menu lacks /web", role)
		}
	}
}
