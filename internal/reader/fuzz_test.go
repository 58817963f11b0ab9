package reader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzParse fuzzes Parse for files named with ext (and its aliases),
// seeded from the testdata inputs of those extensions and extra seeds. It
// checks that Parse does not panic and keeps its promises: articles only
// with a title or body, valid UTF-8, trimmed text, and no error without
// articles unless it says why.
func fuzzParse(f *testing.F, exts []string, seeds ...string) {
	for _, input := range cases(f) {
		for _, ext := range exts {
			if strings.EqualFold(filepath.Ext(input), ext) {
				data, err := os.ReadFile(input)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(data)
			}
		}
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	name := "fuzz" + exts[0]
	f.Fuzz(func(t *testing.T, data []byte) {
		articles, err := Parse(name, data)
		var pe *PartialError
		if err != nil && !errors.As(err, &pe) && articles != nil {
			t.Errorf("Parse returned %d articles with a non-partial error %v", len(articles), err)
		}
		if err == nil && len(articles) == 0 {
			t.Errorf("Parse returned neither articles nor an error")
		}
		if err != nil && !strings.HasPrefix(err.Error(), name+": ") {
			t.Errorf("error %q does not start with the file name", err)
		}
		for i, a := range articles {
			if a.Title == "" && a.Body == "" {
				t.Errorf("article %d has neither title nor body", i)
			}
			for field, s := range map[string]string{"title": a.Title, "body": a.Body, "url": a.URL, "id": a.ID,
				"category": a.Category, "source": a.Source} {
				if !utf8.ValidString(s) {
					t.Errorf("article %d: %s is not valid UTF-8: %q", i, field, s)
				}
				if s != strings.TrimSpace(s) {
					t.Errorf("article %d: %s is not trimmed: %q", i, field, s)
				}
			}
			if strings.Contains(a.Body, "\r") {
				t.Errorf("article %d: body has a carriage return", i)
			}
			for _, tag := range a.Tags {
				if tag == "" || !utf8.ValidString(tag) {
					t.Errorf("article %d: bad tag %q", i, tag)
				}
			}
		}
	})
}

func FuzzParseTxt(f *testing.F) {
	fuzzParse(f, []string{".txt"},
		"https://example.jp/a\n2012-02-20T13:00:00+0900\nタイトル\n本文",
		"http://x\n2012年2月20日\n",
		"\xEF\xBB\xBF\r\n\r\nタイトル\r本文",
	)
}

func FuzzParseMarkdown(f *testing.F) {
	fuzzParse(f, []string{".md", ".markdown"},
		"---\ntitle: a\ntags: [x, y]\ndate: 2012-02-20\n---\n# 見出し\n本文 *強調* [リンク](u)",
		"---\n&a [x]\n---\ntitle: *a\n---\n",
		"---\nt: &a [*a, *a]\ntags: *a\n---\nbody",
		"| a | b |\n|---|---|\n| 1 | 2 |\n\n> 引用\n\n```\ncode\n```\n",
		"<div>html</div>\n\n&amp; &#12354; \\* <https://example.jp>",
	)
}

func FuzzParseJSON(f *testing.F) {
	fuzzParse(f, []string{".json"},
		`{"title":"a","body":"b","tags":["x"],"published":"2012-02-20"}`,
		`[{"title":"a"},{"title":1},null,[]]`,
		`{"id":1e400,"title":"a"}`,
		`{"title":"\ud800","body":"\u0000"}`,
	)
}

func FuzzParseJSONLines(f *testing.F) {
	fuzzParse(f, []string{".jsonl", ".ndjson"},
		"{\"title\":\"a\"}\n\n{\"title\":\n{\"body\":\"b\",\"tags\":\"x,y\"}\n",
	)
}

func FuzzParseHTML(f *testing.F) {
	fuzzParse(f, []string{".html", ".htm"},
		`<html><head><meta property="og:title" content="t"><meta charset="euc-jp"></head><body><article><p>本文</p></article></body></html>`,
		`<script type="application/ld+json">[{"datePublished":"2012-02-20"}]</script><time datetime="2012-02-20">x</time><p>本文</p>`,
		`<meta http-equiv="content-type" content="text/html; charset=iso-2022-jp"><p>x`,
		`<table><tr><td><math><mi>x</mi></math><svg><p>y</svg><pre>a<br>b</pre><noscript><img src=a></noscript>`,
	)
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2012-02-20T13:00:00+09:00", "2012-02-20T13:00:00+0900", "2012-02-20 13:00:00",
		"2012/2/20", "2012年2月20日(月) 午後1時5分", "Mon, 20 Feb 2012 13:00:00 JST",
		"20 Feb 12 13:00 +09:00", "２０１２年２月２０日",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s)
		if err == nil && got.IsZero() && !strings.Contains(s, "0001") {
			t.Errorf("ParseDate(%q) = zero time without an error", s)
		}
	})
}
