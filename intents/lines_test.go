package intents

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClassifyLines(t *testing.T) {
	c := fixed{
		"路灯坏了": {Category: "roads", Urgency: "normal", Village: "翟各庄村", Confidence: 0.9876},
		"着火了":  {Category: "safety", Urgency: "urgent", Confidence: 1, Emergency: EmergencyFire},
		"":     {Category: "other", Urgency: "low", Confidence: 1},
	}
	long := `{"text":"` + strings.Repeat("长", maxLineBytes) + `"}`
	in := strings.Join([]string{
		`{"id":7,"text":"路灯坏了","resident_village":"翟庄","score":1.50,"extra":{"a": [1, 2]}}`,
		``,
		`not json`,
		`[1,2]`,
		`{"id":"x"}`,
		`{"text":42}`,
		`{"text":"路灯坏了","resident_village":3}`,
		`{"text":"路灯坏了","category":"water","confidence":0.1} {}`,
		`{"category":"water","text":"路灯坏了"}` + "\r",
		long,
		`{"text":""}`,
		`{"text":"路灯坏了","resident_village":null}`,
		`{"text":"路灯坏了","note":"` + "\xff\xfe" + `"}`,
		"{\"text\":\"\xb5\xd4\xb8\xf7\"}", // GBK
		`{"text":"路灯坏了"`,
		`"路灯坏了"`,
		`{"text":"着火了"}`,
	}, "\n")
	var out bytes.Buffer
	if err := ClassifyLines(context.Background(), c, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"id":7,"text":"路灯坏了","resident_village":"翟庄","score":1.50,"extra":{"a": [1, 2]},"category":"roads","urgency":"normal","village":"翟各庄村","confidence":0.988}`,
		`{"line":2,"error":"empty line"}`,
		`{"line":3,"error":"not a JSON object: invalid character 'o' in literal null (expecting 'u')"}`,
		`{"line":4,"error":"not a JSON object: not an object"}`,
		`{"line":5,"error":"no \"text\" field"}`,
		`{"line":6,"error":"\"text\" is not a string"}`,
		`{"line":7,"error":"\"resident_village\" is not a string"}`,
		`{"line":8,"error":"not a JSON object: data after the object"}`,
		`{"category":"roads","text":"路灯坏了","urgency":"normal","village":"翟各庄村","confidence":0.988}`,
		`{"line":10,"error":"line longer than 1048576 bytes"}`,
		`{"text":"","category":"other","urgency":"low","village":"","confidence":1.000}`,
		`{"text":"路灯坏了","resident_village":null,"category":"roads","urgency":"normal","village":"翟各庄村","confidence":0.988}`,
		`{"line":13,"error":"not valid UTF-8 (at byte 32)"}`,
		`{"line":14,"error":"not valid UTF-8 (at byte 10)"}`,
		`{"line":15,"error":"not a JSON object: EOF"}`,
		`{"line":16,"error":"not a JSON object: not an object"}`,
		`{"text":"着火了","category":"safety","urgency":"urgent","village":"","confidence":1.000,"emergency":"fire"}`,
	}
	if !utf8.Valid(out.Bytes()) {
		t.Error("output is not valid UTF-8")
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != len(want) {
		t.Fatalf("%d output lines, want %d:\n%s", len(got), len(want), out.String())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
	}
}

func TestClassifyLinesEdges(t *testing.T) {
	c := fixed{"a": {Category: "other", Urgency: "low", Confidence: 0.5}}
	for name, tt := range map[string]struct{ in, want string }{
		"no input":             {"", ""},
		"no final newline":     {`{"text":"a"}`, `{"text":"a","category":"other","urgency":"low","village":"","confidence":0.500}` + "\n"},
		"blank last line":      {"{\"text\":\"a\"}\n\n", `{"text":"a","category":"other","urgency":"low","village":"","confidence":0.500}` + "\n" + `{"line":2,"error":"empty line"}` + "\n"},
		"whitespace-only line": {"   \t\n", `{"line":1,"error":"empty line"}` + "\n"},
	} {
		var out bytes.Buffer
		if err := ClassifyLines(context.Background(), c, strings.NewReader(tt.in), &out); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if out.String() != tt.want {
			t.Errorf("%s: got %q, want %q", name, out.String(), tt.want)
		}
	}

	// A classifier failure stops the stream with the line number.
	var out bytes.Buffer
	err := ClassifyLines(context.Background(), c, strings.NewReader(`{"text":"unknown"}`), &out)
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("classifier failure: %v", err)
	}
	// So does a failing writer.
	if err := ClassifyLines(context.Background(), c, strings.NewReader(`{"text":"a"}`), failWriter{}); err == nil {
		t.Error("write failure not reported")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ClassifyLines(ctx, c, strings.NewReader(`{"text":"a"}`), &out); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
