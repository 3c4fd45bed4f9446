package notice

import (
	"fmt"
	"html"
	"strings"

	"hotline/roster"
	"hotline/storage"
)

func staffLabel(s roster.Staff) string {
	switch s.Role {
	case roster.VillageCadre:
		return fmt.Sprintf("%s（%s）", s.Name, Clip(strings.Join(s.Villages, "、"), 8))
	case roster.Department:
		names := make([]string, len(s.Departments))
		for i, c := range s.Departments {
			names[i] = c.Chinese()
		}
		return fmt.Sprintf("%s（%s）", s.Name, Clip(strings.Join(names, "、"), 10))
	default:
		return fmt.Sprintf("%s（%s）", s.Name, s.Role.Chinese())
	}
}

// TransferArea is the Arg prefix of the transfer menu's page of one 片区's
// cadres; TransferClose closes the menu and brings the card's buttons back.
const (
	TransferArea  = "a:"
	TransferClose = "x"
)

// TransferMenu is the first page of transfer targets: the departments,
// then one button per 片区 for its village cadres, then the centre.
func TransferMenu(t storage.Ticket, targets []roster.Staff, r *roster.Roster) [][]storage.Button {
	var deps, centers []storage.Button
	areas := map[string]bool{}
	for _, s := range targets {
		b := storage.Button{Text: staffLabel(s), Data: Action{Verb: VerbTransfer, ID: int64(t.ID), Arg: fmt.Sprint(s.TelegramID)}.Data()}
		switch s.Role {
		case roster.Department:
			deps = append(deps, b)
		case roster.VillageCadre:
			for _, v := range s.Villages {
				if vv, ok := r.Village(v); ok {
					areas[vv.Area] = true
				}
			}
		default:
			centers = append(centers, b)
		}
	}
	var areaButtons []storage.Button
	for _, a := range r.Areas() {
		if areas[a] {
			used := len(Action{Verb: VerbTransferTo, ID: int64(t.ID), Arg: TransferArea}.Data())
			areaButtons = append(areaButtons, storage.Button{Text: "村干部：" + a,
				Data: Action{Verb: VerbTransferTo, ID: int64(t.ID), Arg: TransferArea + AreaArg(r, a, used)}.Data()})
		}
	}
	kb := rows(deps, 2)
	kb = append(kb, rows(areaButtons, 2)...)
	kb = append(kb, rows(centers, 2)...)
	return append(kb, []storage.Button{{Text: "« 不转派了", Data: Action{Verb: VerbTransferTo, ID: int64(t.ID), Arg: TransferClose}.Data()}})
}

// TransferAreaMenu is the page of one 片区's cadres among the targets.
func TransferAreaMenu(t storage.Ticket, targets []roster.Staff, r *roster.Roster, area string) [][]storage.Button {
	var bs []storage.Button
	for _, s := range targets {
		if s.Role != roster.VillageCadre {
			continue
		}
		in := false
		for _, v := range s.Villages {
			if vv, ok := r.Village(v); ok && vv.Area == area {
				in = true
			}
		}
		if in {
			bs = append(bs, storage.Button{Text: staffLabel(s), Data: Action{Verb: VerbTransfer, ID: int64(t.ID), Arg: fmt.Sprint(s.TelegramID)}.Data()})
		}
	}
	kb := rows(bs, 2)
	return append(kb, []storage.Button{{Text: "« 返回", Data: Action{Verb: VerbTransferTo, ID: int64(t.ID)}.Data()}})
}

// TransferPrompt is the card's text, as viewer sees it, while the
// transfer menu is open.
func TransferPrompt(t storage.Ticket, r storage.Resident, area string, viewer roster.StaffID) string {
	if area != "" {
		return CardText(t, r, viewer) + fmt.Sprintf("\n\n➡️ 转派给%s的哪位村干部？", html.EscapeString(area))
	}
	return CardText(t, r, viewer) + "\n\n➡️ 请选择转派给谁："
}
