package crashtest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"github.com/newsearch/newsearch/index"
)

// badInput is testdata/badinput: small files written for this test. The
// large, binary and unreadable ones are made at test time (makeBadInput).
const badInput = "../../testdata/badinput"

// TestBadInput indexes a folder of files that are broken, odd or hostile:
// each is indexed with the text the reader makes of it, or reported with
// its path and the reason; the run goes on and exits with status 3.
func TestBadInput(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "corpus")
	copyDir(t, badInput, root)
	unreadable := makeBadInput(t, root)

	// path relative to root (with :line for a record) -> what the failure
	// must say
	failures := map[string]string{
		"empty.txt":                           "empty file",
		"whitespace.md":                       "empty file",
		"wrong-types.json":                    `field "title": want a string, got a number`,
		"wrong-type-in-array.json:3 (item 2)": `field "tags"`,
		"bad-line.jsonl:2":                    "invalid JSON",
		"odd-dates.jsonl:5":                   `field "date": want a string`,
		"no-content.html":                     "no title or body",
		"bad-front-matter.md":                 "front matter: invalid YAML",
		"binary.txt":                          "binary file",
		"big.txt":                             "over the limit of 16.0 MiB",
		"nested.json":                         "invalid JSON",
	}
	for _, rel := range unreadable {
		failures[rel] = "permission denied"
	}
	// Articles whose date bleve cannot store (before 1677, after 2262) are
	// indexed without a date, as articles whose date the reader cannot read
	// are. Were they refused, they would have to be reported.
	refused := map[string]string{"date-1500": "invalid article: date-1500: published", "date-9999": "invalid article: date-9999: published"}

	idx := filepath.Join(t.TempDir(), "index")
	for run := 1; run <= 2; run++ {
		r := cli(t, "index", "--index", idx, root)
		noPanic(t, "newsearch index", r)
		if r.code != 3 {
			t.Fatalf("run %d: want status 3 (some files failed): %v", run, r)
		}
		reported := 0
		for _, line := range strings.Split(r.stderr, "\n") {
			if strings.HasPrefix(line, "newsearch: failed: ") {
				reported++
			}
		}
		for rel, reason := range failures {
			line := "newsearch: failed: " + filepath.Join(root, rel) + ": "
			i := strings.Index(r.stderr, line)
			if i < 0 {
				t.Errorf("run %d: %s is not reported as failed (want %q):\n%s", run, rel, reason, r.stderr)
				continue
			}
			msg, _, _ := strings.Cut(r.stderr[i+len(line):], "\n")
			if !strings.Contains(msg, reason) {
				t.Errorf("run %d: %s failed with %q, want %q", run, rel, msg, reason)
			}
		}
		allowed := 0
		for _, msg := range refused {
			if strings.Contains(r.stderr, "newsearch: failed: "+filepath.Join(root, "odd-dates.jsonl")+": "+msg) {
				allowed++
			}
		}
		if reported != len(failures)+allowed {
			t.Errorf("run %d: %d failures reported, want %d:\n%s", run, reported, len(failures)+allowed, r.stderr)
		}
		if !strings.Contains(r.stdout, "(skipped 4 files that are not articles") { // README.txt, notes.docx, .hidden.txt, .gitattributes
			t.Errorf("run %d: summary %q, want 4 files skipped", run, r.stdout)
		}
		t.Logf("run %d: %s%s", run, r.stdout, r.stderr)
	}

	// every article of the files that did not fail, with the reader's text
	want, _, err := Want(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadIndex(idx)
	if err != nil {
		t.Fatal(err)
	}
	for id := range refused {
		if _, ok := got[id]; !ok {
			delete(want, id)
		}
	}
	if msg := Compare(got, want); msg != "" {
		t.Fatalf("the index differs from what the reader makes of the files: %s", msg)
	}

	ctx := context.Background()
	ix, err := index.Open(idx, index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	jst := time.FixedZone("JST", 9*60*60)
	for _, c := range []struct {
		id, title, body, category string
		published                 time.Time
	}{
		{id: "crlf.txt", title: "CRLF改行の記事", body: "Windowsで書いた記事は行末がCRLFになる。\n二行目の本文。",
			published: time.Date(2012, 2, 20, 13, 0, 0, 0, jst)},
		{id: "bom.md", title: "BOM付きの記事", category: "bom", published: time.Date(2012, 2, 20, 0, 0, 0, 0, jst)},
		{id: "sjis.txt", title: "シフトJISの記事", body: "文字コードの宣言がないシフトJISのファイル。\n機種依存文字①も読める。",
			published: time.Date(2012, 2, 20, 13, 0, 0, 0, jst)},
		{id: "deep/a/b/c/d/e/f/g/article.md", title: "深い階層の記事", category: "g"},
		{id: "日本語の 名前.txt", title: "名前に空白と日本語を含むファイル"},
		{id: "wrong-type-in-array.json#1", title: "正しい記事の一つ目"},
		{id: "wrong-type-in-array.json#3", title: "正しい記事の二つ目"}, // item 3: item 2 is the bad one
		{id: "bad-line.jsonl#3", title: "三行目の記事"},              // line 3
		{id: "date-kanji", title: "漢字の日付", published: time.Date(2012, 2, 20, 0, 0, 0, 0, jst)},
		{id: "date-slash-dmy", title: "日月年の日付"},
		{id: "date-word", title: "言葉の日付"},
		{id: "date-impossible", title: "ありえない日付"},
		{id: "date-rfc1123", title: "英語の日付", published: time.Date(2012, 2, 20, 13, 0, 0, 0, jst)},
		{id: "invalid-utf8.txt", title: "壊れたUTF-8の記事"},
		{id: "long-line.txt", title: "句読点のない長い記事"},
	} {
		a, err := ix.Get(ctx, c.id)
		if err != nil {
			t.Errorf("%s: %v", c.id, err)
			continue
		}
		if a.Title != c.title || (c.body != "" && a.Body != c.body) || (c.category != "" && a.Category != c.category) ||
			!a.Published.Equal(c.published) {
			t.Errorf("%s: got title %q, body %q, category %q, published %v\nwant title %q, body %q, category %q, published %v",
				c.id, a.Title, short(a.Body), a.Category, a.Published, c.title, short(c.body), c.category, c.published)
		}
		if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Body) {
			t.Errorf("%s: stored text is not valid UTF-8", c.id)
		}
	}
	// the end of a megabyte without punctuation is analysed and found
	res, err := ix.Search(ctx, index.Request{Query: "kiji99999v1p0", NoSnippets: true})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].ID != "long-line.txt" {
		t.Errorf("search for the last word of long-line.txt: %v, %+v", err, res)
	}
}

// makeBadInput adds the files of the bad-input corpus that are large,
// binary or unreadable to root, and returns the unreadable ones (none when
// the test runs as root, which reads anything).
func makeBadInput(t *testing.T, root string) (unreadable []string) {
	t.Helper()
	put := func(rel string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// a PNG, named .txt
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00")
	put("binary.txt", append(png, bytes.Repeat([]byte{0, 0xff, 0x13, 0x37}, 256)...))
	// 50 MB of good text, over the 16 MiB limit
	line := []byte("大きすぎるファイルは読まずに報告する。")
	put("big.txt", bytes.Repeat(append(line, '\n'), 50<<20/(len(line)+1)))
	// JSON nested deeper than any decoder should follow
	put("nested.json", []byte(strings.Repeat(`{"a":[`, 50000)+strings.Repeat(`]}`, 50000)))
	// Shift_JIS, declared nowhere
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(
		"https://news.example.jp/sjis/1\n2012-02-20T13:00:00+0900\nシフトJISの記事\n文字コードの宣言がないシフトJISのファイル。\n機種依存文字①も読める。\n"))
	if err != nil {
		t.Fatal(err)
	}
	put("sjis.txt", sjis)
	// UTF-8 with cut sequences in the body
	body := []byte("本文の途中でUTF-8の並びが切れている。")
	put("invalid-utf8.txt", append(append([]byte("壊れたUTF-8の記事\n"), body[:5]...), append([]byte("\xff\xfe"), body[9:]...)...))
	// a megabyte of text without a sentence end or space
	put("long-line.txt", []byte("句読点のない長い記事\n"+strings.Repeat("ひらがなとカタカナと漢字の続く文", 1<<20/48)+"kiji99999v1p0"))

	put("unreadable.txt", []byte("読めないファイル\n本文"))
	if err := os.Mkdir(filepath.Join(root, "unreadable-dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	put("unreadable-dir/inside.txt", []byte("読めないフォルダの中のファイル\n本文"))
	if err := os.Chmod(filepath.Join(root, "unreadable.txt"), 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "unreadable-dir"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(filepath.Join(root, "unreadable-dir"), 0o755) })
	if f, err := os.Open(filepath.Join(root, "unreadable.txt")); err == nil {
		f.Close()
		t.Log("running as root, who reads files with mode 000: the unreadable file and folder are read like any other")
		return nil
	}
	return []string{"unreadable.txt", "unreadable-dir"}
}
