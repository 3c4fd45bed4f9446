// Package outreach reaches out before residents have to ask (未诉先办): a
// scheduler runs campaigns from a config file — check-ins, notices, visit
// lists, digests, the year-end evaluation; each kind is one file
// (kind_*.go) — and periodic jobs (jobs.go) follow up on deadlines,
// clusters of tickets and resolved tickets. Tickets change only through
// package tickets; figures come from package reports. Every message is an
// outbox row written with a dedupe key, so a crash or a restart never
// sends it twice; each run and job takes one roster snapshot.
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

	"hotline/storage"
	"hotline/taxonomy"
)

//go:embed campaigns.yaml
var defaultCampaigns []byte

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

// Signal configures cluster alerts (see signals.go): at least Tickets of
// one category from one village within Window, and Factor times the
// village's usual pace over the BaselineDays before today; once per
// Cooldown.
type Signal struct {
	Tickets       int      `yaml:"tickets"`
	Window        Duration `yaml:"window"`
	BaselineDays  int      `yaml:"baseline_days"`
	Factor        float64  `yaml:"factor"`
	Cooldown      Duration `yaml:"cooldown"`
	TellResidents *bool    `yaml:"tell_residents"`
}

// Campaign is one scheduled outreach.
type Campaign struct {
	ID       string               `yaml:"id"`
	Title    string               `yaml:"title"`
	Kind     storage.CampaignKind `yaml:"kind"`
	Schedule []string             `yaml:"schedule"`
	// SpringFestivalDaysBefore limits the schedule to days this many days
	// before the Spring Festival, whose date moves every year.
	SpringFestivalDaysBefore []int             `yaml:"spring_festival_days_before"`
	Segment                  string            `yaml:"segment"`
	Text                     string            `yaml:"text"`
	Category                 taxonomy.Category `yaml:"category"`
	Digest                   string            `yaml:"digest"` // daily, weekly, monthly
	Disabled                 bool              `yaml:"disabled"`

	sched *Schedule
	seg   Segment
	at    string // FILE:LINE where it is defined, for errors
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
	if err := decode(defaultCampaigns, builtIn, &base); err != nil {
		return nil, fmt.Errorf("%s: %w", builtIn, err)
	}
	settings := builtIn
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read campaigns: %w", err)
		}
		var over Config
		if err := decode(b, path, &over); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		base.merge(over)
		settings = path
	}
	if err := base.validate(settings); err != nil {
		return nil, err
	}
	return &base, nil
}

// builtIn names the embedded campaigns in errors.
const builtIn = "built-in campaigns"

// decode reads a campaigns file named src into c, and notes where each
// campaign is defined.
func decode(b []byte, src string, c *Config) error {
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true) // a misspelt key is an error, not a silently ignored setting
	// An empty file is "no overrides", not an error.
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	lines := campaignLines(b)
	for i := range c.Campaigns {
		c.Campaigns[i].at = src
		if i < len(lines) {
			c.Campaigns[i].at = fmt.Sprintf("%s:%d", src, lines[i])
		}
	}
	return nil
}

// campaignLines are the lines the items of the file's campaigns list start
// on, in order; the file has already decoded, so errors cannot happen.
func campaignLines(b []byte) []int {
	var doc yaml.Node
	if yaml.Unmarshal(b, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "campaigns" {
			continue
		}
		var lines []int
		for _, item := range m.Content[i+1].Content {
			lines = append(lines, item.Line)
		}
		return lines
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
		{&c.Signal.Cooldown, &o.Signal.Cooldown},
	} {
		if *p.src != 0 {
			*p.dst = *p.src
		}
	}
	if o.Signal.Tickets != 0 {
		c.Signal.Tickets = o.Signal.Tickets
	}
	if o.Signal.BaselineDays != 0 {
		c.Signal.BaselineDays = o.Signal.BaselineDays
	}
	if o.Signal.Factor != 0 {
		c.Signal.Factor = o.Signal.Factor
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

// validate checks the settings (read from the file named settings) and
// every campaign; each error names its file, and a campaign's its line.
func (c *Config) validate(settings string) error {
	if err := c.validateSettings(); err != nil {
		return fmt.Errorf("%s: %w", settings, err)
	}
	var problems []error
	seen := map[string]bool{}
	enabled := c.Campaigns[:0]
	for _, cp := range c.Campaigns {
		if err := cp.prepare(c.loc); err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", cp.at, err))
			continue
		}
		if seen[cp.ID] {
			problems = append(problems, fmt.Errorf("%s: campaign %s: defined twice", cp.at, cp.ID))
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

func (c *Config) validateSettings() error {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil || c.TimeZone == "" {
		return fmt.Errorf("timezone %q: not a known time zone", c.TimeZone)
	}
	c.loc = loc
	for name, d := range map[string]Duration{"grace": c.Grace, "answer_within": c.AnswerWithin,
		"fixed_after": c.FixedAfter, "remind_accept_before": c.RemindAccept,
		"remind_resolve_before": c.RemindResolve, "signal.window": c.Signal.Window, "signal.cooldown": c.Signal.Cooldown} {
		if d <= 0 {
			return fmt.Errorf("%s must be a positive duration", name)
		}
	}
	switch sig := c.Signal; {
	case sig.Tickets < 2:
		return fmt.Errorf("signal.tickets must be at least 2, not %d", sig.Tickets)
	case sig.BaselineDays < 1:
		return fmt.Errorf("signal.baseline_days must be at least 1, not %d", sig.BaselineDays)
	case sig.Factor < 1:
		return fmt.Errorf("signal.factor must be at least 1, not %g", sig.Factor)
	case sig.Cooldown < sig.Window:
		return fmt.Errorf("signal.cooldown (%v) must be at least signal.window (%v): one cluster, one alert",
			time.Duration(sig.Cooldown), time.Duration(sig.Window))
	}
	return nil
}

// prepare validates a campaign and parses its schedule and segment: the
// fields every campaign has here, the rest by its kind.
func (c *Campaign) prepare(loc *time.Location) error {
	if c.ID == "" || strings.ContainsAny(c.ID, " :") {
		return fmt.Errorf("campaign %q: id must be non-empty, without spaces or colons", c.ID)
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("campaign %s: %s", c.ID, fmt.Sprintf(format, a...))
	}
	k := kinds[c.Kind]
	if k == nil {
		names := make([]string, len(storage.CampaignKinds))
		for i, id := range storage.CampaignKinds {
			names[i] = string(id)
		}
		return fail("unknown kind %q (want one of %s)", c.Kind, strings.Join(names, ", "))
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
	if k.residents {
		if strings.TrimSpace(c.Text) == "" {
			return fail("missing text")
		}
		seg, err := ParseSegment(c.Segment)
		if err != nil {
			return fail("%v", err)
		}
		c.seg = seg
	}
	if c.Category != "" && !c.Category.Valid() {
		return fail("unknown category %q", c.Category)
	}
	if k.validate != nil {
		if err := k.validate(c); err != nil {
			return fail("%v", err)
		}
	}
	return nil
}
