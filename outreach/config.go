// Package outreach reaches out before residents have to ask (未诉先办): a
// scheduler runs campaigns from a config file — check-ins, notices, visit
// lists, digests, the year-end evaluation — and internal jobs follow up on
// deadlines, clusters of tickets and resolved tickets. Every message is an
// outbox row written in the same transaction as the record of why it was
// sent, with a dedupe key, so a crash or a restart never sends it twice.
package outreach

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Shanghai must load on hosts without a zoneinfo database

	"go.yaml.in/yaml/v3"

	"hotline/taxonomy"
)

//go:embed campaigns.yaml
var defaultCampaigns []byte

// Campaign kinds.
const (
	KindCheckin   = "checkin"   // residents: message with 正常 / 有问题
	KindNotice    = "notice"    // residents: message without buttons
	KindYearEnd   = "yearend"   // residents: rate the village cadre 1–5
	KindVisit     = "visit"     // cadres: visit list; residents of due villages: check-in
	KindWednesday = "wednesday" // area leaders: the 下村日 list
	KindDigest    = "digest"    // the centre: daily, weekly or monthly digest
	KindBroadcast = "broadcast" // a one-off notice from staff; never in the config
)

var kinds = []string{KindCheckin, KindNotice, KindYearEnd, KindVisit, KindWednesday, KindDigest}

// toResidents reports whether a kind writes to residents (and so needs a
// segment and a text).
func toResidents(kind string) bool {
	return kind == KindCheckin || kind == KindNotice || kind == KindYearEnd || kind == KindVisit || kind == KindBroadcast
}

// Duration is a time.Duration written as "48h" in the config.
type Duration time.Duration

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// Signal configures cluster alerts: Tickets of one category from one
// village within Window.
type Signal struct {
	Tickets       int      `yaml:"tickets"`
	Window        Duration `yaml:"window"`
	TellResidents *bool    `yaml:"tell_residents"`
}

// Campaign is one scheduled outreach.
type Campaign struct {
	ID       string   `yaml:"id"`
	Title    string   `yaml:"title"`
	Kind     string   `yaml:"kind"`
	Schedule []string `yaml:"schedule"`
	// SpringFestivalDaysBefore limits the schedule to days this many days
	// before the Spring Festival, whose date moves every year.
	SpringFestivalDaysBefore []int  `yaml:"spring_festival_days_before"`
	Segment                  string `yaml:"segment"`
	Text                     string `yaml:"text"`
	Category                 string `yaml:"category"`
	Digest                   string `yaml:"digest"` // daily, weekly, monthly
	Disabled                 bool   `yaml:"disabled"`

	sched *Schedule
	seg   Segment
}

// Sched is the campaign's parsed schedule; nil for a manual-only campaign.
func (c Campaign) Sched() *Schedule { return c.sched }

// Seg is the campaign's parsed segment.
func (c Campaign) Seg() Segment { return c.seg }

// Config is the outreach configuration.
type Config struct {
	TimeZone      string     `yaml:"timezone"`
	Grace         Duration   `yaml:"grace"`
	AnswerWithin  Duration   `yaml:"answer_within"`
	FixedAfter    Duration   `yaml:"fixed_after"`
	RemindAccept  Duration   `yaml:"remind_accept_before"`
	RemindResolve Duration   `yaml:"remind_resolve_before"`
	Signal        Signal     `yaml:"signal"`
	Campaigns     []Campaign `yaml:"campaigns"`

	loc *time.Location
}

// Location is the time zone schedules run in.
func (c *Config) Location() *time.Location { return c.loc }

// Campaign returns the enabled campaign with the given id.
func (c *Config) Campaign(id string) (Campaign, bool) {
	for _, cp := range c.Campaigns {
		if cp.ID == id {
			return cp, true
		}
	}
	return Campaign{}, false
}

// DefaultConfig is the embedded configuration.
func DefaultConfig() (*Config, error) {
	return LoadConfig("")
}

// LoadConfig reads the embedded defaults and, when path is not empty, the
// township's file over them: its settings replace the defaults they set,
// its campaigns replace built-in ones by id or are added.
func LoadConfig(path string) (*Config, error) {
	var base Config
	if err := decode(defaultCampaigns, &base); err != nil {
		return nil, fmt.Errorf("built-in campaigns: %w", err)
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read campaigns: %w", err)
		}
		var over Config
		if err := decode(b, &over); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		base.merge(over)
	}
	if err := base.validate(); err != nil {
		if path != "" {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return nil, err
	}
	return &base, nil
}

func decode(b []byte, c *Config) error {
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true) // a misspelt key is an error, not a silently ignored setting
	// An empty file is "no overrides", not an error.
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

func (c *Config) merge(o Config) {
	if o.TimeZone != "" {
		c.TimeZone = o.TimeZone
	}
	for _, p := range []struct{ dst, src *Duration }{
		{&c.Grace, &o.Grace}, {&c.AnswerWithin, &o.AnswerWithin}, {&c.FixedAfter, &o.FixedAfter},
		{&c.RemindAccept, &o.RemindAccept}, {&c.RemindResolve, &o.RemindResolve}, {&c.Signal.Window, &o.Signal.Window},
	} {
		if *p.src != 0 {
			*p.dst = *p.src
		}
	}
	if o.Signal.Tickets != 0 {
		c.Signal.Tickets = o.Signal.Tickets
	}
	if o.Signal.TellResidents != nil {
		c.Signal.TellResidents = o.Signal.TellResidents
	}
	for _, oc := range o.Campaigns {
		i := slices.IndexFunc(c.Campaigns, func(x Campaign) bool { return x.ID == oc.ID })
		if i >= 0 {
			c.Campaigns[i] = oc
		} else {
			c.Campaigns = append(c.Campaigns, oc)
		}
	}
}

func (c *Config) validate() error {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil || c.TimeZone == "" {
		return fmt.Errorf("timezone %q: not a known time zone", c.TimeZone)
	}
	c.loc = loc
	for name, d := range map[string]Duration{"grace": c.Grace, "answer_within": c.AnswerWithin,
		"fixed_after": c.FixedAfter, "remind_accept_before": c.RemindAccept,
		"remind_resolve_before": c.RemindResolve, "signal.window": c.Signal.Window} {
		if d <= 0 {
			return fmt.Errorf("%s must be a positive duration", name)
		}
	}
	if c.Signal.Tickets < 2 {
		return fmt.Errorf("signal.tickets must be at least 2, not %d", c.Signal.Tickets)
	}
	var problems []error
	seen := map[string]bool{}
	enabled := c.Campaigns[:0]
	for _, cp := range c.Campaigns {
		if err := cp.prepare(loc); err != nil {
			problems = append(problems, err)
			continue
		}
		if seen[cp.ID] {
			problems = append(problems, fmt.Errorf("campaign %s: defined twice", cp.ID))
			continue
		}
		seen[cp.ID] = true
		if !cp.Disabled {
			enabled = append(enabled, cp)
		}
	}
	c.Campaigns = enabled
	return errors.Join(problems...)
}

// prepare validates a campaign and parses its schedule and segment.
func (c *Campaign) prepare(loc *time.Location) error {
	if c.ID == "" || strings.ContainsAny(c.ID, " :") {
		return fmt.Errorf("campaign %q: id must be non-empty, without spaces or colons", c.ID)
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("campaign %s: %s", c.ID, fmt.Sprintf(format, a...))
	}
	if !slices.Contains(kinds, c.Kind) {
		return fail("unknown kind %q (want one of %s)", c.Kind, strings.Join(kinds, ", "))
	}
	if c.Title == "" {
		c.Title = c.ID
	}
	if len(c.Schedule) > 0 {
		s, err := NewSchedule(c.Schedule, c.SpringFestivalDaysBefore, loc)
		if err != nil {
			return fail("%v", err)
		}
		c.sched = s
	} else if len(c.SpringFestivalDaysBefore) > 0 {
		return fail("spring_festival_days_before needs a schedule")
	}
	if toResidents(c.Kind) {
		if strings.TrimSpace(c.Text) == "" {
			return fail("missing text")
		}
		seg, err := ParseSegment(c.Segment)
		if err != nil {
			return fail("%v", err)
		}
		c.seg = seg
	}
	if c.Category != "" {
		if !taxonomy.Category(c.Category).Valid() {
			return fail("unknown category %q", c.Category)
		}
	} else if c.Kind == KindCheckin || c.Kind == KindVisit {
		return fail("a %s campaign needs a category for the tickets its answers open", c.Kind)
	}
	if c.Kind == KindDigest && !slices.Contains([]string{"daily", "weekly", "monthly"}, c.Digest) {
		return fail("digest must be daily, weekly or monthly, not %q", c.Digest)
	}
	return nil
}
