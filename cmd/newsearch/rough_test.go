package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/newsearch/newsearch/analyzer"
)

// The rough edges of the CLI that issue 14 found, one by one.

func TestVersion(t *testing.T) {
	code, out, _ := newsearchCLI(t, "", "--version")
	if code != exitOK || !strings.Contains(out, fmt.Sprintf("analysis: v%d", analyzer.Version)) || !strings.Contains(out, "dictionary: IPA (kagome-dict/ipa v") {
		t.Errorf("--version: status %d\n%s\nwant the analysis version and the dictionary's", code, out)
	}
}

func TestMistypedCommandsAndFlags(t *testing.T) {
	code, _, errOut := newsearchCLI(t, "", "qurey", "京都")
	if code != exitUsage || !strings.Contains(errOut, "did you mean query?") {
		t.Errorf("qurey: status %d\n%s\nwant 2 and did you mean query?", code, errOut)
	}
	code, _, errOut = newsearchCLI(t, "", "zzzzzz")
	if code != exitUsage || strings.Contains(errOut, "did you mean") {
		t.Errorf("zzzzzz: status %d\n%s\nwant 2 and no guess", code, errOut)
	}
	dir := sampleIndex(t)
	code, _, errOut = newsearchCLI(t, "", "query", "京都", "--index", dir, "--limt", "3")
	if code != exitUsage || !strings.Contains(errOut, "did you mean --limit?") {
		t.Errorf("--limt: status %d\n%s", code, errOut)
	}
}

func TestQueryRoughEdges(t *testing.T) {
	dir := sampleIndex(t)
	t.Run("-n1 after the query is a flag", func(t *testing.T) {
		code, out, errOut := newsearchCLI(t, "", "query", "発表", "-n1", "--index", dir, "--color", "never")
		if code != 0 || strings.Contains(out, "-n1") || strings.Count(out, "\n  1. ") != 1 || strings.Contains(out, "\n  2. ") {
			t.Errorf("query 発表 -n1: status %d\n%s%s\nwant one hit, and -n1 not part of the query", code, out, errOut)
		}
		// a word to exclude that starts like the flag stays a word
		code, out, _ = newsearchCLI(t, "", "query", "発表", "-nikkei", "--index", dir, "--color", "never")
		if code != 0 || !strings.Contains(out, "発表 -nikkei") {
			t.Errorf("query 発表 -nikkei: status %d\n%s", code, out)
		}
	})
	t.Run("--limit 0 counts", func(t *testing.T) {
		code, out, errOut := newsearchCLI(t, "", "query", "発表", "--limit", "0", "--index", dir, "--color", "never")
		if code != 0 || !regexp.MustCompile(`^\d+ articles match 発表`).MatchString(out) || strings.Contains(out, "  1. ") || !strings.Contains(out, "category:") {
			t.Errorf("--limit 0: status %d\n%s%s\nwant the count and the facets, no hits", code, out, errOut)
		}
		code, out, _ = newsearchCLI(t, "", "query", "発表", "--limit", "0", "--index", dir, "--json")
		if code != 0 || !strings.Contains(out, `"hits":[]`) || strings.Contains(out, `"total":0`) {
			t.Errorf("--limit 0 --json: status %d\n%s", code, out)
		}
	})
	t.Run("plurals", func(t *testing.T) {
		_, out, _ := newsearchCLI(t, "", "query", "呉泳銘", "--index", dir, "--color", "never")
		if !strings.HasPrefix(out, "1 article matches 呉泳銘") {
			t.Errorf("one hit: %q", strings.SplitN(out, "\n", 2)[0])
		}
	})
	t.Run("no cache path unless --verbose", func(t *testing.T) {
		_, out, _ := newsearchCLI(t, "", "query", "呉泳銘", "--explain", "--index", dir, "--color", "never")
		if strings.Contains(out, "dictionary") {
			t.Errorf("--explain tells where the dictionary is:\n%s", out)
		}
		_, out, _ = newsearchCLI(t, "", "query", "呉泳銘", "--explain", "--verbose", "--index", dir, "--color", "never")
		if !strings.Contains(out, "explain: dictionary ") {
			t.Errorf("--explain --verbose does not say where the dictionary is:\n%s", out)
		}
		_, out, _ = newsearchCLI(t, "", "analyze", "京都")
		if strings.Contains(out, "dictionary") {
			t.Errorf("analyze tells where the dictionary is:\n%s", out)
		}
	})
	t.Run("did you mean", func(t *testing.T) {
		code, out, _ := newsearchCLI(t, "", "query", "アリバハ", "--index", dir, "--color", "never")
		if code != 0 || !strings.Contains(out, "did you mean: アリババ") {
			t.Errorf("アリバハ: status %d\n%s", code, out)
		}
	})
}

// analyze's columns line up in a terminal: widths are display widths.
func TestAnalyzeAlignsByDisplayWidth(t *testing.T) {
	code, out, _ := newsearchCLI(t, "", "analyze", "--analyzer", "word", "ＮＴＴドコモのｽﾏﾎとiPhone")
	if code != 0 {
		t.Fatalf("status %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")[1:] // the header row, then tokens
	col := -1
	for _, l := range lines {
		// the column of the part of speech (the last): at the same display width on every line
		i := strings.LastIndex(l, "  ") + 2 // after the last gap
		w := runewidth.StringWidth(l[:i])
		if col >= 0 && w != col {
			t.Errorf("the last column starts at %d columns on %q, at %d above:\n%s", w, l, col, out)
		}
		col = w
	}
}

// A run with nothing to do says so, without a rate of 0 articles/s.
func TestIndexSummaryLine(t *testing.T) {
	dir := sampleIndex(t)
	code, out, _ := newsearchCLI(t, "", "index", "--index", dir, "../../testdata/articles")
	if code != 0 || strings.Contains(out, "articles/s") || !strings.Contains(out, "nothing new") {
		t.Errorf("a second run: status %d %q", code, out)
	}
}

// The files skipped are counted, and named with --verbose.
func TestIndexNamesSkippedFilesWhenVerbose(t *testing.T) {
	src := t.TempDir()
	for name, text := range map[string]string{
		"a.txt":      "記事の題\n本文です。\n",
		"README.md":  "not an article",
		"photo.jpeg": "jpeg",
	} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := newsearchCLI(t, "", "index", "--index", filepath.Join(t.TempDir(), "idx"), src)
	if code != 0 || !strings.Contains(out, "skipped 2 files that are not articles; --verbose lists them") || strings.Contains(errOut, "photo.jpeg") {
		t.Errorf("without --verbose: status %d\n%s%s\nwant the count and the hint, no names", code, out, errOut)
	}
	code, out, errOut = newsearchCLI(t, "", "index", "--verbose", "--index", filepath.Join(t.TempDir(), "idx"), src)
	if code != 0 || !strings.Contains(out, "skipped 2 files that are not articles)") ||
		!strings.Contains(errOut, "README.md: not an article") || !strings.Contains(errOut, "photo.jpeg: not an article file") {
		t.Errorf("with --verbose: status %d\n%s%s\nwant each skipped file named with why", code, out, errOut)
	}
}

func TestCategoryNamesInTheCLI(t *testing.T) {
	dir := sampleIndex(t)
	if err := os.WriteFile(filepath.Join(dir, "categories.tsv"), []byte("# names\nbusiness\tビジネス\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := newsearchCLI(t, "", "query", "発表", "--index", dir, "--color", "never")
	if code != 0 || !strings.Contains(out, "ビジネス [business] (") || !strings.Contains(out, "tech (") {
		t.Errorf("text: status %d\n%s%s\nwant the category facet with its name and the value to filter by", code, out, errOut)
	}
	code, out, _ = newsearchCLI(t, "", "query", "発表", "--index", dir, "--json")
	if code != 0 || !strings.Contains(out, `"category_names":{"business":"ビジネス"}`) {
		t.Errorf("json: status %d\n%s\nwant category_names", code, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "categories.tsv"), []byte("business\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = newsearchCLI(t, "", "query", "発表", "--index", dir, "--color", "never")
	if code != 0 || !strings.Contains(errOut, "categories.tsv:1") || !strings.Contains(out, "business (") {
		t.Errorf("a bad names file: status %d\n%s%s\nwant the search, and the file's line named on stderr", code, out, errOut)
	}
}
