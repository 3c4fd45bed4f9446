package notice

import "hotline/storage"

// Kinds of outbox rows the bot's conversations send.
const (
	KindWelcome      = "welcome"
	KindAreaMenu     = "area_menu"
	KindVillageMenu  = "village_menu"
	KindRegistered   = "registered"
	KindTagQuestion  = "tag_question"
	KindTagsDone     = "tags_done"
	KindPendingKept  = "pending_kept"
	KindStaffHello   = "staff_hello"
	KindHelp         = "help"
	KindRefusal      = "refusal"
	KindMyList       = "my_list"
	KindTaskList     = "task_list"
	KindTicketView   = "ticket_view"
	KindNotePrompt   = "note_prompt"
	KindResolvedAck  = "resolved_ack"
	KindOptOut       = "opt_out"
	KindWelcomeBack  = "welcome_back"
	KindPhoneSaved   = "phone_saved"
	KindCategoryMenu = "category_menu"
	KindTransferMenu = "transfer_menu"
	KindPressed      = "pressed" // a pressed message rewritten to show the choice made
	KindCancelled    = "cancelled"
	KindNotHandled   = "not_handled"
)

func msg(kind, text string, buttons [][]storage.Button) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: kind, Text: text, Buttons: buttons}
}

// rows lays buttons out n to a row.
func rows(bs []storage.Button, n int) [][]storage.Button {
	var out [][]storage.Button
	for len(bs) > 0 {
		k := min(n, len(bs))
		out = append(out, bs[:k:k])
		bs = bs[k:]
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
