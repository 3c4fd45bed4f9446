package intents

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// maxLineBytes bounds one input line; a longer line is reported, skipped
// and does not stop the stream.
const maxLineBytes = 1 << 20

// ClassifyLines reads JSON Lines from r, each an object with at least a
// string "text" and optionally a string "resident_village", and writes one
// line per input line to w: the object with "category", "urgency",
// "village" and "confidence" set (and "emergency" for a life-safety
// message, see DetectEmergency) (other fields keep their order and their
// exact text), or {"line":N,"error":"…"} for a line that is blank, not
// valid UTF-8, not a JSON object, too long or without a text. Only I/O errors, a failing
// classifier and cancellation stop it.
func ClassifyLines(ctx context.Context, c Classifier, r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 64*1024)
	bw := bufio.NewWriter(w)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, tooLong, err := readLine(br)
		if err == io.EOF && line == nil {
			break
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("read line %d: %w", n, err)
		}
		var out []byte
		if tooLong {
			out = lineError(n, fmt.Sprintf("line longer than %d bytes", maxLineBytes))
		} else {
			out, err = classifyLine(ctx, c, n, line)
			if err != nil {
				return err
			}
		}
		bw.Write(out)
		bw.WriteByte('\n')
		// Flush whenever the input has nothing more waiting, so that a
		// caller feeding lines one by one gets answers one by one.
		if br.Buffered() == 0 {
			if err := bw.Flush(); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// readLine returns the next line without its line ending, or nil at the
// end of input. A line over maxLineBytes is consumed and reported as too
// long.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > maxLineBytes {
			tooLong = true
		} else {
			buf = append(buf, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(buf) == 0 && !tooLong:
			return nil, false, io.EOF
		case err != nil && err != io.EOF:
			return nil, false, err
		}
		if tooLong {
			return []byte{}, true, nil
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		if buf == nil {
			buf = []byte{}
		}
		return buf, false, nil
	}
}

// field is one member of a JSON object, its value as written.
type field struct {
	key   string
	value json.RawMessage
}

// classifyLine answers one input line. Problems with the line become an
// error object; only the classifier's failure is returned as an error.
func classifyLine(ctx context.Context, c Classifier, n int, line []byte) ([]byte, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return lineError(n, "empty line"), nil
	}
	// Fields other than text are copied as written, so text that is not
	// UTF-8 would reach the output as it came; JSON must be UTF-8.
	if !utf8.Valid(line) {
		return lineError(n, "not valid UTF-8 (at byte "+strconv.Itoa(invalidAt(line)+1)+")"), nil
	}
	fields, err := parseObject(line)
	if err != nil {
		return lineError(n, "not a JSON object: "+err.Error()), nil
	}
	var in Input
	var hasText bool
	for _, f := range fields {
		switch f.key {
		case "text":
			if err := json.Unmarshal(f.value, &in.Text); err != nil {
				return lineError(n, `"text" is not a string`), nil
			}
			hasText = true
		case "resident_village":
			if string(f.value) == "null" {
				continue
			}
			if err := json.Unmarshal(f.value, &in.ResidentVillage); err != nil {
				return lineError(n, `"resident_village" is not a string`), nil
			}
		}
	}
	if !hasText {
		return lineError(n, `no "text" field`), nil
	}
	res, err := c.Classify(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("line %d: %w", n, err)
	}
	fields = setField(fields, "category", jsonString(string(res.Category)))
	fields = setField(fields, "urgency", jsonString(string(res.Urgency)))
	fields = setField(fields, "village", jsonString(res.Village))
	fields = setField(fields, "confidence", json.RawMessage(strconv.FormatFloat(res.Confidence, 'f', 3, 64)))
	if res.Emergency != "" {
		fields = setField(fields, "emergency", jsonString(string(res.Emergency)))
	}
	return writeObject(fields), nil
}

// parseObject splits a JSON object into its members in order, keeping each
// value's exact bytes.
func parseObject(b []byte) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not an object")
	}
	var out []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, field{key, v})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the object")
	}
	return out, nil
}

// setField replaces the value of key, or appends key if absent.
func setField(fs []field, key string, v json.RawMessage) []field {
	for i := range fs {
		if fs[i].key == key {
			fs[i].value = v
			return fs
		}
	}
	return append(fs, field{key, v})
}

func writeObject(fs []field) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(jsonString(f.key))
		b.WriteByte(':')
		b.Write(f.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// invalidAt is the offset of the first byte of b that is not UTF-8.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// lineError is the output for a line that cannot be classified.
func lineError(n int, msg string) []byte {
	b, _ := json.Marshal(struct {
		Line  int    `json:"line"`
		Error string `json:"error"`
	}{n, msg})
	return b
}
