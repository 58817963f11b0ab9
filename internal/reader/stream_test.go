package reader

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

// TestStreamReadsAsParse: a JSON Lines file read as a stream gives the
// articles, failures and lines that Parse gives reading it whole, in
// UTF-8 with CRLF and a byte order mark, and in Shift_JIS; lines longer
// than the reader's buffer are read whole.
func TestStreamReadsAsParse(t *testing.T) {
	long := strings.Repeat("長い本文。", 100_000) // over 256 KiB
	text := "\ufeff" + `{"id": "a", "title": "一行目", "body": "本文。"}` + "\r\n" +
		"\r\n" +
		`{"title": "壊れた行", "body": ` + "\r\n" +
		`{"id": "c", "title": "長い記事", "body": "` + long + `"}` + "\n" +
		`{"id": "d", "title": "最後の行", "body": "改行なし"}`
	sjis, err := japanese.ShiftJIS.NewEncoder().String(strings.TrimPrefix(strings.ReplaceAll(text, long, "短い本文。"), "\ufeff"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"utf8.jsonl": text, "sjis.jsonl": sjis} {
		want, werr := Parse(name, []byte(data))
		var pe *PartialError
		if !errors.As(werr, &pe) || len(pe.Errors) != 1 {
			t.Fatalf("%s: Parse: %v", name, werr)
		}
		var got []Article
		var bad []int
		err := Stream(name, bytes.NewReader([]byte(data)), func(r Record) error {
			if r.Err != nil {
				bad = append(bad, r.Line)
				return nil
			}
			got = append(got, r.Article)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: Stream: %v", name, err)
		}
		if len(bad) != 1 || bad[0] != pe.Errors[0].Line {
			t.Errorf("%s: bad lines %v, Parse says %d", name, bad, pe.Errors[0].Line)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d articles, Parse gives %d", name, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.ID != w.ID || g.Title != w.Title || g.Body != w.Body || g.Line != w.Line {
				t.Errorf("%s: article %d: %q %q line %d, Parse: %q %q line %d", name, i, g.ID, g.Title, g.Line, w.ID, w.Title, w.Line)
			}
		}
	}
	if err := Stream("empty.jsonl", strings.NewReader("\n\n"), func(Record) error { return nil }); !errors.Is(err, ErrEmpty) {
		t.Errorf("an empty stream: %v, want ErrEmpty", err)
	}
	if err := Stream("bin.jsonl", strings.NewReader("\x00\x01\x02binary"), func(Record) error { return nil }); !errors.Is(err, ErrBinary) {
		t.Errorf("a binary stream: %v, want ErrBinary", err)
	}
}
