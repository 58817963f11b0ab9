package reader

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// golden is the want.json of a testdata case: what Parse returns for the
// case's one input file.
type golden struct {
	Articles []goldenArticle `json:"articles"`
	Error    string          `json:"error,omitempty"`
}

type goldenArticle struct {
	ID        string   `json:"id,omitempty"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	URL       string   `json:"url,omitempty"`
	Published string   `json:"published,omitempty"` // RFC 3339
	Category  string   `json:"category,omitempty"`
	Source    string   `json:"source,omitempty"`
	Tags      []string `json:"tags,omitempty"`
}

func toGolden(articles []Article, err error) golden {
	g := golden{Articles: []goldenArticle{}}
	for _, a := range articles {
		ga := goldenArticle{
			ID: a.ID, Title: a.Title, Body: a.Body, URL: a.URL,
			Category: a.Category, Source: a.Source, Tags: a.Tags,
		}
		if !a.Published.IsZero() {
			ga.Published = a.Published.Format(time.RFC3339)
		}
		g.Articles = append(g.Articles, ga)
	}
	if err != nil {
		g.Error = err.Error()
	}
	return g
}

func marshalGolden(g golden) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// cases returns the case folders of testdata/reader (format/case) with the
// one input file in each.
func cases(t testing.TB) map[string]string {
	dirs, err := filepath.Glob(filepath.Join(testdata, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string)
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var inputs []string
		for _, e := range entries {
			if !e.IsDir() && e.Name() != "want.json" {
				inputs = append(inputs, e.Name())
			}
		}
		if len(inputs) != 1 {
			t.Fatalf("%s: want one input file besides want.json, have %v", dir, inputs)
		}
		out[dir] = filepath.Join(dir, inputs[0])
	}
	if len(out) == 0 {
		t.Fatalf("no cases in %s", testdata)
	}
	return out
}

// TestParseTestdata parses every testdata/reader/<format>/<case>/ input and
// compares the result with the case's want.json (go test -update rewrites
// it; read the diff before committing).
func TestParseTestdata(t *testing.T) {
	all := cases(t)
	for _, dir := range slices.Sorted(maps.Keys(all)) {
		input := all[dir]
		name, _ := filepath.Rel(testdata, dir)
		t.Run(filepath.ToSlash(name), func(t *testing.T) {
			data, err := os.ReadFile(input)
			if err != nil {
				t.Fatal(err)
			}
			articles, err := Parse(filepath.Base(input), data)
			got := marshalGolden(toGolden(articles, err))
			wantPath := filepath.Join(dir, "want.json")
			if *update {
				if err := os.WriteFile(wantPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantPath)
			if err != nil {
				t.Fatalf("%v (run go test -run TestParseTestdata -update, then check the file)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s):\ngot:\n%s\nwant:\n%s", input, got, want)
			}
		})
	}
}

func TestSupported(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"a.txt", true},
		{"dir/a.TXT", true},
		{"a.md", true},
		{"a.Markdown", true},
		{"a.json", true},
		{"a.jsonl", true},
		{"a.ndjson", true},
		{"a.html", true},
		{"a.HTM", true},
		{"a.pdf", false},
		{"a.txt.gz", false},
		{"README", false},
		{".txt", true},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Supported(tt.name); got != tt.want {
				t.Errorf("Supported(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

// TestParseErrors checks the sentinel errors callers test for, and that
// messages say which file and what is wrong.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		want     error
		contains string
	}{
		{"a.pdf", "%PDF-1.4", ErrUnsupported, `a.pdf: unsupported file type ".pdf": want .txt`},
		{"notes", "text", ErrUnsupported, "notes: unsupported file type (no extension)"},
		{"a.txt", "", ErrEmpty, "a.txt: empty file"},
		{"a.md", " \n\n", ErrEmpty, "a.md: empty file"},
		{"a.json", "\n", ErrEmpty, "a.json: empty file"},
		{"a.jsonl", "\n\n", ErrEmpty, "a.jsonl: empty file"},
		{"a.html", "", ErrEmpty, "a.html: empty file"},
		{"a.txt", "abc\x00def", ErrBinary, "a.txt: binary file (NUL byte at offset 3)"},
		{"a.html", "<p>\x00</p>", ErrBinary, "a.html: binary file (NUL byte at offset 3)"},
		{"a.json", `{"title":"","body":"  "}`, ErrNoContent, "a.json: no title or body"},
		{"a.md", "---\ntitle: \"\"\n---\n<div>only html</div>\n", ErrNoContent, "a.md: no title or body"},
		{"a.txt", "https://example.jp/1\n2012-02-20\n", ErrNoContent, "a.txt: no title or body"},
		{"a.html", "<html><body><script>x()</script></body></html>", ErrNoContent, "a.html: no title or body"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.data, func(t *testing.T) {
			articles, err := Parse(tt.name, []byte(tt.data))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q, %q) error = %v, want %v", tt.name, tt.data, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("Parse(%q, %q) error = %q, want it to contain %q", tt.name, tt.data, err, tt.contains)
			}
			if articles != nil {
				t.Errorf("Parse(%q, %q) articles = %v, want none", tt.name, tt.data, articles)
			}
		})
	}
}

func TestParseJSONTypeErrors(t *testing.T) {
	tests := []struct {
		data string
		want string
	}{
		{`{"title": 12, "body": "x"}`, `a.json: field "title": want a string, got a number`},
		{`{"title": "x", "body": ["a"]}`, `a.json: field "body": want a string, got an array`},
		{`{"title": "x", "content": {"a": 1}}`, `a.json: field "content": want a string, got an object`},
		{`{"title": "x", "tags": {"a": 1}}`, `a.json: field "tags": want an array of strings or a string, got an object`},
		{`{"title": "x", "tags": ["a", 3]}`, `a.json: field "tags": item 2: want a string, got a number`},
		{`{"title": "x", "published": 1329710400}`, `a.json: field "published": want a string, got a number (a date such as "2012-02-20T13:00:00+09:00")`},
		{`{"title": "x", "id": true}`, `a.json: field "id": want a string or a number, got a boolean`},
		{`{"title": "x", "url": false}`, `a.json: field "url": want a string, got a boolean`},
		{`[1, 2]`, `a.json: 2 unreadable records: line 1 (item 1): want an article object, got a number; line 1 (item 2): want an article object, got a number`},
		{`true`, `a.json: want a JSON object or an array of objects, got a boolean`},
		{`{"title": "x",}`, `a.json: invalid JSON: invalid character '}' looking for beginning of object key string`},
		{"{\n\"title\": \"x\"", `a.json: line 2: invalid JSON: unexpected end of JSON input (is the file cut short?)`},
	}
	for _, tt := range tests {
		t.Run(tt.data, func(t *testing.T) {
			_, err := Parse("a.json", []byte(tt.data))
			if err == nil {
				t.Fatalf("Parse(%q): no error, want %q", tt.data, tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Parse(%q) error:\ngot:  %s\nwant: %s", tt.data, got, tt.want)
			}
		})
	}
}

// TestParseJSONNullAndAliases checks that null is absent, that keys match
// case-insensitively, and that the first alias present wins.
func TestParseJSONNullAndAliases(t *testing.T) {
	data := `{"TITLE": "見出し", "title": null, "text": "三番目", "content": "二番目", "body": null,
		"link": "https://example.jp/b", "URL": "https://example.jp/a", "tags": [null, "AI", " AI ", ""]}`
	articles, err := Parse("a.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	got := articles[0]
	want := Article{Title: "見出し", Body: "二番目", URL: "https://example.jp/a", Tags: []string{"AI"}}
	if got.Title != want.Title || got.Body != want.Body || got.URL != want.URL || !slices.Equal(got.Tags, want.Tags) {
		t.Errorf("Parse(%s):\ngot:  %+v\nwant: %+v", data, got, want)
	}
}

// TestParseJSONLinesPartial checks that good lines survive bad ones and
// that the caller can tell which lines were bad.
func TestParseJSONLinesPartial(t *testing.T) {
	data := "{\"title\":\"一\"}\n{\"title\":\n\n{\"body\":\"三\"}\r\n{}\n"
	articles, err := Parse("feed.jsonl", []byte(data))
	var pe *PartialError
	if !errors.As(err, &pe) {
		t.Fatalf("Parse error = %v, want a *PartialError", err)
	}
	var titles []string
	for _, a := range articles {
		titles = append(titles, a.Title+a.Body)
	}
	if want := []string{"一", "三"}; !slices.Equal(titles, want) {
		t.Errorf("articles = %q, want %q", titles, want)
	}
	var lines []int
	for _, le := range pe.Errors {
		lines = append(lines, le.Line)
	}
	if want := []int{2, 5}; !slices.Equal(lines, want) {
		t.Errorf("bad lines = %v, want %v", lines, want)
	}
	if !errors.Is(err, ErrNoContent) {
		t.Errorf("errors.Is(%v, ErrNoContent) = false, want true (line 5 is {})", err)
	}
	if pe.Name != "feed.jsonl" {
		t.Errorf("PartialError.Name = %q, want %q", pe.Name, "feed.jsonl")
	}
}

// The articles of a JSON array or JSON Lines file say where their records
// start, so that a message about one of them can name its line: without
// them, a repeated ID was reported as "article 2" of the articles that
// survived, and every record of a one-line array was at line 1.
func TestArticlesSayWhereTheirRecordsStart(t *testing.T) {
	type pos struct {
		ID         string
		Line, Item int
	}
	for _, tt := range []struct {
		name, data string
		want       []pos
	}{
		{"a.json", "[\n  {\"id\": \"x1\", \"title\": \"一\"},\n  {\"id\": \"x2\",\n   \"title\": \"\"},\n  {\"id\": \"x3\",\n   \"title\": \"三\"}, {\"id\": \"x4\", \"title\": \"四\"}\n]",
			[]pos{{"x1", 2, 1}, {"x3", 5, 3}, {"x4", 6, 4}}},
		{"b.json", `[{"id": "y1", "title": "一"}, {"title": 2}, {"id": "y3", "title": "三"}]`,
			[]pos{{"y1", 1, 1}, {"y3", 1, 3}}},
		{"c.jsonl", "{\"id\": \"z1\", \"title\": \"一\"}\n\n{\"id\": \"z2\"}\r\n{\"id\": \"z3\", \"title\": \"三\"}\n",
			[]pos{{"z1", 1, 0}, {"z3", 4, 0}}},
		{"d.json", `{"id": "w", "title": "一"}`, []pos{{"w", 0, 0}}},
	} {
		articles, err := Parse(tt.name, []byte(tt.data))
		var pe *PartialError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []pos
		for _, a := range articles {
			got = append(got, pos{a.ID, a.Line, a.Item})
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: articles at %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestParseDeepNesting checks that absurdly nested input is an error, not
// a stack overflow.
func TestParseDeepNesting(t *testing.T) {
	const depth = 100_000
	tests := []struct {
		name string
		data string
	}{
		{"a.json", strings.Repeat("[", depth) + strings.Repeat("]", depth)},
		{"a.json", strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)},
		{"a.json", `{"title":"x","tags":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}"},
		{"a.jsonl", `{"title":"ok"}` + "\n" + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n"},
		{"a.md", "---\ntitle: " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n---\nbody\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.data[:12], func(t *testing.T) {
			_, err := Parse(tt.name, []byte(tt.data))
			if err == nil {
				t.Fatalf("Parse(%s, %d-deep input): no error, want one", tt.name, depth)
			}
			if !strings.Contains(err.Error(), "depth") {
				t.Errorf("Parse(%s, %d-deep input) error = %v, want it to mention the depth", tt.name, depth, err)
			}
		})
	}
}

// TestParseDeepMarkupDoesNotCrash feeds deeply nested Markdown and HTML,
// which have no depth limit in their syntax: any result but a crash is
// fine.
func TestParseDeepMarkupDoesNotCrash(t *testing.T) {
	const depth = 20_000
	tests := []struct {
		name string
		data string
	}{
		{"quotes.md", strings.Repeat(">", depth) + " 深い引用\n"},
		{"lists.md", func() string {
			var b strings.Builder
			for i := range 200 { // goldmark's list nesting costs indent², so fewer
				b.WriteString(strings.Repeat("  ", i) + "- 項目\n")
			}
			return b.String()
		}()},
		{"emphasis.md", strings.Repeat("*", depth) + "強調" + strings.Repeat("*", depth)},
		{"links.md", strings.Repeat("[", depth) + "リンク" + strings.Repeat("](u)", depth)},
		{"divs.html", strings.Repeat("<div>", depth) + "本文" + strings.Repeat("</div>", depth)},
		{"tables.html", strings.Repeat("<table><tr><td>", depth) + "本文"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _ = Parse(tt.name, []byte(tt.data))
		})
	}
}

// TestParseConcurrent parses all fixtures from several goroutines at once,
// as ingest does; run with -race, it checks that the shared Markdown
// parser and kanji table are safe to share.
func TestParseConcurrent(t *testing.T) {
	var inputs [][2]string
	for _, input := range cases(t) {
		data, err := os.ReadFile(input)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, [2]string{filepath.Base(input), string(data)})
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, in := range inputs {
				_, _ = Parse(in[0], []byte(in[1]))
			}
		})
	}
	wg.Wait()
}
