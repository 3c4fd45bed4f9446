package botsim

import (
	"bytes"
	"encoding/json"
	"strings"
)

// maxButtons is Telegram's cap on the buttons of one keyboard.
const maxButtons = 100

// maxCallbackData is the byte limit of callback_data.
const maxCallbackData = 64

// markup is a parsed reply_markup parameter.
type markup struct {
	inline   [][]Button // nil without an inline keyboard
	keyboard [][]KeyButton
	replyKB  bool // a reply keyboard was sent (keyboard is the new one)
	remove   bool // remove_keyboard: true
}

// inlineButtonActions are the fields of which an inline button needs exactly
// one; copy_text counts only when its text is not empty, because
// go-telegram/bot always sends "copy_text":{"text":""}.
var inlineButtonActions = []string{
	"callback_data", "url", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
	"callback_game", "pay", "copy_text",
}

func parseMarkup(raw string) (markup, *apiError) {
	var m markup
	if strings.TrimSpace(raw) == "" {
		return m, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil {
		return m, badRequest("can't parse reply keyboard markup JSON object")
	}
	switch {
	case obj["inline_keyboard"] != nil:
		rows, aerr := parseInline(obj["inline_keyboard"])
		m.inline = rows
		return m, aerr
	case obj["keyboard"] != nil:
		rows, aerr := parseKeyboard(obj["keyboard"])
		m.keyboard, m.replyKB = rows, true
		return m, aerr
	case obj["remove_keyboard"] != nil:
		m.remove = true
		return m, nil
	case obj["force_reply"] != nil:
		return m, nil
	}
	return m, badRequest("can't parse reply keyboard markup JSON object")
}

func parseInline(raw json.RawMessage) ([][]Button, *apiError) {
	var rows [][]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, badRequest("can't parse inline keyboard button: field \"inline_keyboard\" must be an Array of Arrays of Objects")
	}
	out := make([][]Button, 0, len(rows))
	total := 0
	for _, row := range rows {
		if len(row) == 0 {
			continue // Telegram drops empty rows
		}
		var r []Button
		for _, b := range row {
			total++
			btn, aerr := parseInlineButton(b)
			if aerr != nil {
				return nil, aerr
			}
			r = append(r, btn)
		}
		out = append(out, r)
	}
	if total > maxButtons {
		return nil, badRequest("reply markup is too long")
	}
	if len(out) == 0 {
		return nil, nil // an empty inline keyboard removes the keyboard
	}
	return out, nil
}

func parseInlineButton(b map[string]json.RawMessage) (Button, *apiError) {
	var btn Button
	if err := json.Unmarshal(b["text"], &btn.Text); err != nil || strings.TrimSpace(btn.Text) == "" {
		return btn, badRequest("BUTTON_TEXT_INVALID")
	}
	actions := 0
	for _, f := range inlineButtonActions {
		v, ok := b[f]
		if !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			continue
		}
		switch f {
		case "copy_text":
			var ct struct {
				Text string `json:"text"`
			}
			if json.Unmarshal(v, &ct) != nil {
				return btn, badRequest("can't parse inline keyboard button: CopyTextButton must be an Object")
			}
			if ct.Text == "" {
				continue
			}
		case "pay":
			if string(v) != "true" {
				continue
			}
		case "callback_data":
			if json.Unmarshal(v, &btn.CallbackData) != nil {
				return btn, badRequest("can't parse inline keyboard button: Field \"callback_data\" must be of type String")
			}
			if btn.CallbackData == "" || len(btn.CallbackData) > maxCallbackData {
				return btn, badRequest("BUTTON_DATA_INVALID")
			}
		case "url":
			if json.Unmarshal(v, &btn.URL) != nil || !validButtonURL(btn.URL) {
				return btn, badRequest("BUTTON_URL_INVALID")
			}
		}
		actions++
	}
	switch {
	case actions == 0:
		return btn, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	case actions > 1:
		return btn, badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used")
	}
	return btn, nil
}

func validButtonURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "tg://")
}

func parseKeyboard(raw json.RawMessage) ([][]KeyButton, *apiError) {
	var rows [][]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	var out [][]KeyButton
	total := 0
	for _, row := range rows {
		var r []KeyButton
		for _, b := range row {
			total++
			var kb KeyButton
			var s string
			if json.Unmarshal(b, &s) == nil {
				kb.Text = s // a button may be a bare string
			} else {
				var obj struct {
					Text            string `json:"text"`
					RequestContact  bool   `json:"request_contact"`
					RequestLocation bool   `json:"request_location"`
				}
				if json.Unmarshal(b, &obj) != nil {
					return nil, badRequest("can't parse keyboard button: KeyboardButton must be a String or an Object")
				}
				kb = KeyButton(obj)
			}
			if strings.TrimSpace(kb.Text) == "" {
				return nil, badRequest("can't parse keyboard button: Text must be non-empty")
			}
			r = append(r, kb)
		}
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	if total > maxButtons {
		return nil, badRequest("reply markup is too long")
	}
	return out, nil
}
