package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // in the error, and its hint
	}{
		{[]string{"-out", "x.jsonl"}, "-n 0: want the number of articles"},
		{[]string{"-n", "10"}, "nowhere to write; hint: give -out FILE.jsonl"},
		{[]string{"-n", "10", "-out", "x.jsonl", "-files-format", "csv"}, `-files-format "csv"; hint: want jsonl or txt`},
		{[]string{"-n", "10", "-out", "x.jsonl", "-corpus", "/nonexistent/ldcc"}, "no livedoor corpus at /nonexistent/ldcc"},
		{[]string{"-n", "10", "extra"}, `unexpected argument "extra"`},
	} {
		var out, errb bytes.Buffer
		err := run(tc.args, &out, &errb)
		if err == nil {
			t.Errorf("run(%q): no error, want %q", tc.args, tc.want)
			continue
		}
		got := err.Error()
		if h, ok := err.(hinted); ok {
			got += "; hint: " + h.hint
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("run(%q): %q, want %q", tc.args, got, tc.want)
		}
	}
}
