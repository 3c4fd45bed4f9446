// Package notice says what every message of the hotline says and which
// buttons it carries: the Chinese wording for residents and staff, and the
// callback data of the buttons. It turns domain facts into outbox rows; it
// sends nothing.
package notice

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"hotline/storage"
)

// Verbs of callback data. They are short because Telegram allows 64 bytes.
const (
	VerbAccept      = "acc"   // staff: accept the ticket
	VerbResolve     = "res"   // staff: resolve (asks for a note)
	VerbTransferTo  = "trm"   // staff: show transfer targets
	VerbTransfer    = "tr"    // staff: transfer to Arg (Telegram id)
	VerbEscalate    = "esc"   // staff: escalate one level
	VerbRate        = "rate"  // resident: Arg 1..5
	VerbUnresolved  = "unres" // resident: not solved, reopen
	VerbRecatMenu   = "rcm"   // resident: the category is wrong
	VerbRecategory  = "rc"    // resident: set category Arg
	VerbArea        = "area"  // registration: pick 片区 Arg
	VerbVillage     = "vil"   // registration: pick village Arg
	VerbTag         = "tag"   // registration: answer tag question, Arg "name=yes|no"
	VerbCheckin     = "ci"    // outreach: answer a check-in, ID = run, Arg ok|bad
	VerbYearEndRate = "ye"    // outreach: year-end cadre rating, ID = run, Arg 1..5
	VerbFixed       = "fix"   // outreach: "has it been fixed?" Arg yes|no
	VerbContact     = "con"   // staff: record the first contact with the requester (先行联系)
	VerbOutcome     = "oc"    // staff resolving: the problem was Arg (partly, unsolved, solved)
	VerbAskExtend   = "ext"   // staff: ask the centre for more time (延期)
	VerbAskReturn   = "ret"   // staff: ask the centre to take the ticket back (退单)
	VerbApprove     = "rqy"   // centre: approve request ID
	VerbRefuse      = "rqn"   // centre: refuse request ID
	VerbNewArea     = "na"    // staff /new: show the villages of 片区 Arg
	VerbNewVillage  = "nv"    // staff /new: the request is about village Arg
	VerbNewSkip     = "nsk"   // staff /new: no requester name or phone
	VerbNewSource   = "nsrc"  // staff /new: the source Arg (visit, phone, walkin)
)

// MaxData is Telegram's limit on callback data, in bytes.
const MaxData = 64

// Action is what a button press asks for: a verb, the ticket (or run) it
// is about, and an optional argument. Nothing else travels in callback
// data; who may do it is checked on the server at press time.
type Action struct {
	Verb string
	ID   int64
	Arg  string
}

// Ticket is the ticket a ticket button is about.
func (a Action) Ticket() storage.TicketID { return storage.TicketID(a.ID) }

// Data encodes a as callback data: "verb:id[:arg]".
func (a Action) Data() string {
	s := a.Verb + ":" + strconv.FormatInt(a.ID, 10)
	if a.Arg != "" {
		s += ":" + a.Arg
	}
	return s
}

// ErrBadAction is returned for callback data that this bot did not make.
var ErrBadAction = errors.New("bad callback data")

// ParseAction decodes callback data made by Data.
func ParseAction(data string) (Action, error) {
	if len(data) == 0 || len(data) > MaxData {
		return Action{}, fmt.Errorf("%w: length %d", ErrBadAction, len(data))
	}
	parts := strings.SplitN(data, ":", 3)
	if len(parts) < 2 || parts[0] == "" {
		return Action{}, fmt.Errorf("%w: %q", ErrBadAction, data)
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || id < 0 {
		return Action{}, fmt.Errorf("%w: %q", ErrBadAction, data)
	}
	a := Action{Verb: parts[0], ID: id}
	if len(parts) == 3 {
		a.Arg = parts[2]
	}
	return a, nil
}
