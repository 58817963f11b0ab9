package reader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
)

// corpus is the livedoor news corpus beside the repository. Its text is
// CC BY-ND and must not be copied into the repository, so it is read from
// there at test time.
const corpus = "../../../shared/corpus"

// TestParseLivedoorCorpus checks that every article of the livedoor news
// corpus is read in the livedoor form: URL, date, title and body.
func TestParseLivedoorCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpus, "ldcc", "*", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no livedoor corpus at %s", corpus)
	}
	n := 0
	for _, path := range files {
		if filepath.Base(path) == "LICENSE.txt" {
			continue
		}
		n++
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		articles, err := Parse(path, data)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		a := articles[0]
		if len(articles) != 1 || !strings.HasPrefix(a.URL, "http://news.livedoor.com/") ||
			a.Published.IsZero() || a.Title == "" || a.Body == "" {
			t.Errorf("%s: got %d articles, URL %q, published %v, title %q, %d bytes of body; want 1 with all four",
				path, len(articles), a.URL, a.Published, a.Title, len(a.Body))
		}
	}
	t.Logf("%d livedoor articles read", n)
}

// TestDetectLivedoorCorpusEncodings converts the corpus's first lines to
// Shift_JIS and EUC-JP and checks that detection finds the encoding, even
// for one short line (the title).
func TestDetectLivedoorCorpusEncodings(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpus, "ldcc", "*", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no livedoor corpus at %s", corpus)
	}
	encs := []struct {
		name string
		enc  encoding.Encoding
	}{{encShiftJIS, japanese.ShiftJIS}, {encEUCJP, japanese.EUCJP}}
	tried, wrong := 0, 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(data), "\n", 5)
		if len(lines) < 5 {
			continue
		}
		for _, text := range []string{lines[2], strings.Join(lines[2:4], "\n")} { // title; title and first paragraph
			for _, e := range encs {
				b, err := e.enc.NewEncoder().Bytes([]byte(text))
				if err != nil || utf8.Valid(b) {
					continue // a character the encoding lacks, or pure ASCII
				}
				tried++
				got, gotEnc, err := decodeDetect(b)
				if err != nil || gotEnc != e.name || got != text {
					wrong++
					if wrong <= 10 {
						t.Errorf("%s: %s text %q read as %s: %q", path, e.name, text, gotEnc, got)
					}
				}
			}
		}
	}
	t.Logf("%d of %d encoded texts misdetected", wrong, tried)
}
