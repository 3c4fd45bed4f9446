package outreach

import "hotline/roster"

// MayBroadcast says whether actor may send a notice to segment: the check
// Broadcast makes, asked before a notice is confirmed so that a staff
// member learns at once that it is outside their 片区.
func MayBroadcast(r *roster.Roster, actor roster.StaffID, segment string) error {
	seg, err := ParseSegment(segment)
	if err != nil {
		return err
	}
	return mayBroadcast(r, actor, seg)
}
