package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newsearchCLI runs newsearch in process and returns its exit status and output.
func newsearchCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"newsearch"}, args...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// sampleIndex indexes testdata/articles into a new index.
func sampleIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	code, out, errOut := newsearchCLI(t, "", "index", "--index", dir, "../../testdata/articles")
	if code != 0 {
		t.Fatalf("index: status %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "indexed 8,") {
		t.Fatalf("index summary: %q", out)
	}
	return dir
}

func TestQueryJSONContract(t *testing.T) {
	dir := sampleIndex(t)
	code, out, errOut := newsearchCLI(t, "", "query", "呉泳銘", "--index", dir, "--json")
	if code != 0 {
		t.Fatalf("status %d: %s", code, errOut)
	}
	var res struct {
		Query  string  `json:"query"`
		Total  int     `json:"total"`
		TookMS float64 `json:"took_ms"`
		Hits   []struct {
			ID, Title, URL, Published, Category, Snippet string
			Score                                        float64
			Highlights                                   []struct{ Start, End int }
			SnippetText                                  string `json:"snippet_text"`
		} `json:"hits"`
		Facets map[string][]struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if res.Query != "呉泳銘" || res.Total != 1 || len(res.Hits) != 1 {
		t.Fatalf("query %q total %d hits %d", res.Query, res.Total, len(res.Hits))
	}
	h := res.Hits[0]
	if h.ID != "tech/alibaba-ceo.txt" || h.URL == "" || h.Published == "" || h.Category != "tech" || h.Score <= 0 {
		t.Errorf("hit fields: %+v", h)
	}
	if !strings.Contains(h.Snippet, "<mark>呉泳銘</mark>") {
		t.Errorf("snippet %q lacks <mark>呉泳銘</mark>", h.Snippet)
	}
	for _, m := range h.Highlights {
		if h.SnippetText[m.Start:m.End] != "呉泳銘" {
			t.Errorf("highlight %v covers %q", m, h.SnippetText[m.Start:m.End])
		}
	}
	if len(res.Facets["category"]) != 1 || res.Facets["category"][0].Value != "tech" {
		t.Errorf("facets: %v", res.Facets)
	}
}

func TestQueriesFrom(t *testing.T) {
	dir := sampleIndex(t)
	code, out, _ := newsearchCLI(t, "京都\n\"unclosed\nスマホ\n", "query", "--index", dir, "--json", "--queries-from", "-", "--facet", "none")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	var first, bad map[string]any
	_ = json.Unmarshal([]byte(lines[0]), &first)
	_ = json.Unmarshal([]byte(lines[1]), &bad)
	if first["query"] != "京都" || first["total"].(float64) != 2 {
		t.Errorf("first line: %v", first)
	}
	if e, _ := bad["error"].(map[string]any); e == nil || e["code"] != "syntax" || e["reason"] != "unterminated_quote" || e["column"] != 1.0 || e["message"] == "" ||
		bad["query"] != `"unclosed` || bad["line"] != 2.0 {
		t.Errorf(`bad query line: %v, want its query, line and {"error": {"code": "syntax", "column": 1, ...}}`, bad)
	}
	if code != exitUsage {
		t.Errorf("status %d, want %d when a query was bad", code, exitUsage)
	}
}

func TestHumanOutput(t *testing.T) {
	dir := sampleIndex(t)
	code, out, _ := newsearchCLI(t, "", "query", "京都", "--index", dir, "--color", "never")
	if code != 0 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{"2 articles match 京都", "[京都]", "category:", "month:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour with --color never")
	}
	_, out, _ = newsearchCLI(t, "", "query", "京都", "--index", dir, "--color", "always", "--facet", "none", "--explain")
	if !strings.Contains(out, "\x1b[1;33m京都\x1b[0m") || !strings.Contains(out, "explain: 京都") || !strings.Contains(out, "matched by word") {
		t.Errorf("colour or explain missing:\n%s", out)
	}
}

func TestErrorsAreMessages(t *testing.T) {
	dir := sampleIndex(t)
	tests := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"query", "--index", dir, `"unclosed`}, exitUsage, "unterminated quote"},
		{[]string{"query", "--index", dir, "京都", "--sort", "size"}, exitUsage, "unknown sort"},
		{[]string{"query", "--index", dir, "京都", "--limit", "-1"}, exitUsage, "--limit"},
		{[]string{"query", "--index", dir, "京都", "--facet", "color"}, exitUsage, "unknown facet"},
		{[]string{"query", "--index", dir, "京都", "--limt", "3"}, exitUsage, "unknown flag --limt"},
		{[]string{"query", "--index", filepath.Join(dir, "nope"), "京都"}, exitError, "no index"},
		{[]string{"query", "--index", dir}, exitUsage, "no query"},
		{[]string{"index", "--index", dir}, exitUsage, "no folder"},
		{[]string{"index", "--index", dir, "/no/such/folder"}, exitUsage, "no such file"},
		{[]string{"frobnicate"}, exitUsage, "unknown command"},
	}
	for _, tt := range tests {
		code, _, errOut := newsearchCLI(t, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.contains) {
			t.Errorf("%v: status %d, stderr %q; want %d and %q", tt.args, code, errOut, tt.code, tt.contains)
		}
		if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
			t.Errorf("%v: a stack trace: %s", tt.args, errOut)
		}
	}
}

func TestAnalyzeJSON(t *testing.T) {
	text := "ＮＴＴドコモのｽﾏﾎ"
	code, out, errOut := newsearchCLI(t, "", "analyze", "--index", filepath.Join(t.TempDir(), "none"), "--json", text)
	if code != 0 {
		t.Fatalf("status %d: %s", code, errOut)
	}
	var toks []struct {
		Analyzer, Term, Surface string
		Start, End, Position    int
	}
	if err := json.Unmarshal([]byte(out), &toks); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tk := range toks {
		if text[tk.Start:tk.End] != tk.Surface {
			t.Errorf("%+v: surface is not TEXT[start:end]", tk)
		}
		seen[tk.Analyzer+":"+tk.Term+"="+tk.Surface] = true
	}
	for _, want := range []string{"word:スマホ=ｽﾏﾎ", "word:ntt=ＮＴＴ", "gram:ntt=ＮＴＴ"} {
		if !seen[want] {
			t.Errorf("no token %s in %v", want, seen)
		}
	}
	// stdin
	code, out, _ = newsearchCLI(t, "京都", "analyze", "--index", filepath.Join(t.TempDir(), "none"), "--analyzer", "gram")
	if code != 0 || !strings.Contains(out, "<京都>") {
		t.Errorf("analyze from stdin: %d %q", code, out)
	}
}

func TestStatsJSON(t *testing.T) {
	dir := sampleIndex(t)
	code, out, _ := newsearchCLI(t, "", "stats", "--index", dir, "--json")
	var st map[string]any
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 {
		t.Fatalf("%d %v %s", code, err, out)
	}
	if st["articles"].(float64) != 8 || st["analysis"] == "" || st["size_bytes"].(float64) <= 0 {
		t.Errorf("stats: %v", st)
	}
}

func TestIndexEnvAndDefault(t *testing.T) {
	wd, _ := os.Getwd()
	tmp := t.TempDir()
	if err := os.Chdir(tmp); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	code, _, errOut := newsearchCLI(t, "", "index", filepath.Join(wd, "../../testdata/articles/tech"))
	if code != 0 {
		t.Fatalf("index into the default place: %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(tmp, defaultIndex, "CURRENT")); err != nil {
		t.Errorf("no index at ./%s: %v", defaultIndex, err)
	}
	code, out, _ := newsearchCLI(t, "", "query", "サーバ", "--facet", "none")
	if code != 0 || !strings.Contains(out, "1 article match") {
		t.Errorf("query the default index: %d %q", code, out)
	}
	t.Setenv("NEWSEARCH_INDEX", filepath.Join(tmp, "elsewhere"))
	code, _, errOut = newsearchCLI(t, "", "query", "サーバ")
	if code != exitError || !strings.Contains(errOut, "elsewhere") {
		t.Errorf("NEWSEARCH_INDEX ignored: %d %q", code, errOut)
	}
}

// TestVerify: a sound index verifies; a byte flipped in a segment whose
// size and time are kept (bit rot, which opening does not notice) is found
// by verify, which names the file and exits 1.
func TestVerify(t *testing.T) {
	dir := sampleIndex(t)
	code, out, errOut := newsearchCLI(t, "", "verify", "--index", dir)
	if code != 0 || !strings.Contains(out, "sound") {
		t.Fatalf("verify a sound index: status %d\n%s%s", code, out, errOut)
	}
	zaps, _ := filepath.Glob(filepath.Join(dir, "gen-*", "shard-*", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segment")
	}
	z := zaps[0]
	info, err := os.Stat(z)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(z)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/3] ^= 0x10
	if err := os.WriteFile(z, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(z, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = newsearchCLI(t, "", "verify", "--index", dir)
	if code != 1 || !strings.Contains(errOut, "newsearch: damaged: segment "+z) || !strings.Contains(errOut, "--rebuild") {
		t.Fatalf("verify a damaged index: status %d\n%s%s", code, out, errOut)
	}
}

func TestAliasesAndRelated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if code, out, errOut := newsearchCLI(t, "", "index", "--index", dir, "../../testdata/knowledge/story"); code != 0 {
		t.Fatalf("index: status %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := newsearchCLI(t, "", "aliases", "呉泳銘", "--index", dir)
	if code != 0 || !strings.Contains(out, "エディ・ウー (katakana, 2)") || !strings.Contains(out, "ごえいめい (reading, 2)") {
		t.Errorf("aliases 呉泳銘: status %d\n%s%s", code, out, errOut)
	}
	code, out, _ = newsearchCLI(t, "", "aliases", "--json", "--index", dir)
	var list []struct {
		Term    string `json:"term"`
		Aliases []struct {
			Alias   string `json:"alias"`
			Kind    string `json:"kind"`
			Support int    `json:"support"`
		} `json:"aliases"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) < 4 {
		t.Errorf("aliases --json: status %d, %v: %s", code, err, out)
	}
	code, out, _ = newsearchCLI(t, "", "query", "呉泳銘", "--index", dir, "--facet", "none", "--color", "never")
	if code != 0 || !strings.Contains(out, "他 1 件の類似記事") || !strings.Contains(out, "matched by alias  via エディ・ウー") {
		t.Errorf("query 呉泳銘: status %d\n%s", code, out)
	}
	code, out, _ = newsearchCLI(t, "", "query", "呉泳銘", "--index", dir, "--facet", "none", "--no-collapse")
	if code != 0 || strings.Contains(out, "類似記事") || !strings.Contains(out, "4 articles") {
		t.Errorf("query --no-collapse: status %d\n%s", code, out)
	}
	// the JSON hit: match and via of an alias, the folded copy in duplicates
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID         string   `json:"id"`
			Match      string   `json:"match"`
			Via        string   `json:"via"`
			Duplicates []string `json:"duplicates"`
		} `json:"hits"`
	}
	for _, collapse := range []bool{true, false} {
		args := []string{"query", "呉泳銘", "--index", dir, "--facet", "none", "--json"}
		if !collapse {
			args = append(args, "--no-collapse")
		}
		code, out, _ = newsearchCLI(t, "", args...)
		res.Hits = nil
		if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 {
			t.Fatalf("%v: status %d, %v: %s", args, code, err, out)
		}
		dups, alias := 0, false
		for _, h := range res.Hits {
			dups += len(h.Duplicates)
			alias = alias || h.ID == "eddie-interview.md" && h.Match == "alias" && h.Via == "エディ・ウー"
		}
		if want := map[bool]int{true: 1, false: 0}[collapse]; dups != want || !alias || res.Total != 4-want {
			t.Errorf("%v: total %d, %d duplicates, eddie-interview.md by alias via エディ・ウー %v: %s", args, res.Total, dups, alias, out)
		}
	}
	// aliases.txt in the index directory blocks a mined pair, read at
	// query time
	if err := os.WriteFile(filepath.Join(dir, "aliases.txt"), []byte("!呉泳銘 = エディ・ウー\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = newsearchCLI(t, "", "aliases", "呉泳銘", "--index", dir)
	if code != 0 || strings.Contains(out, "エディ・ウー") || !strings.Contains(out, "ごえいめい") {
		t.Errorf("aliases 呉泳銘 with エディ・ウー blocked: status %d\n%s%s", code, out, errOut)
	}
	code, out, _ = newsearchCLI(t, "", "query", "呉泳銘", "--index", dir, "--facet", "none", "--json")
	if code != 0 || strings.Contains(out, `"via":"エディ・ウー"`) {
		t.Errorf("query 呉泳銘 with エディ・ウー blocked: status %d\n%s", code, out)
	}
	if err := os.Remove(filepath.Join(dir, "aliases.txt")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = newsearchCLI(t, "", "related", "alibaba-ceo.md", "--index", dir, "--limit", "2")
	if code != 0 || !strings.Contains(out, "articles related to alibaba-ceo.md") || strings.Contains(out, "alibaba-ceo-copy.md") {
		t.Errorf("related: status %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := newsearchCLI(t, "", "related", "no-such.md", "--index", dir); code != exitError || !strings.Contains(errOut, "no such article") {
		t.Errorf("related of an unknown ID: status %d, %s", code, errOut)
	}
	if code, _, errOut := newsearchCLI(t, "", "related", "--index", dir); code != exitUsage {
		t.Errorf("related without an ID: status %d, %s", code, errOut)
	}
	if code, _, errOut := newsearchCLI(t, "", "query", "呉泳銘", "--index", dir, "--aliases", filepath.Join(dir, "none.txt")); code != exitUsage || !strings.Contains(errOut, "--aliases") {
		t.Errorf("--aliases of a missing file: status %d, %s", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "mine.txt")
	if err := os.WriteFile(file, []byte("カレー = ライスカレー\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = newsearchCLI(t, "", "query", "ライスカレー", "--index", dir, "--aliases", file, "--json")
	if code != 0 || !strings.Contains(out, `"via":"カレー"`) {
		t.Errorf("query with --aliases: status %d\n%s", code, out)
	}
}
