package dictfile

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"
)

// corpusEnv names the directory of the livedoor news corpus (default
// /work/shared/corpus/ldcc); corpusAllEnv=1 compares every file instead of a
// sample of about 500.
const (
	corpusEnv    = "NEWSEARCH_CORPUS"
	corpusAllEnv = "NEWSEARCH_CORPUS_ALL"
)

// TestTokenizeIdentical tokenises text with kagome on the embedded
// dictionary and on its prepared file and requires the same tokens, features
// included, in Normal and Search modes.
func TestTokenizeIdentical(t *testing.T) {
	embedded := ipa.Dict()
	prepared := openPrepared(t)
	te, err := tokenizer.New(embedded, tokenizer.OmitBosEos())
	if err != nil {
		t.Fatal(err)
	}
	tp, err := tokenizer.New(prepared.Kagome(), tokenizer.OmitBosEos())
	if err != nil {
		t.Fatal(err)
	}
	compare := func(t *testing.T, name, text string) {
		t.Helper()
		for _, mode := range []tokenizer.TokenizeMode{tokenizer.Normal, tokenizer.Search} {
			want := describe(te.Analyze(text, mode), func(tok tokenizer.Token) string {
				b, _ := tok.BaseForm() // kagome's own reading of the contents
				if b == "*" {
					b = ""
				}
				return b
			})
			got := describe(tp.Analyze(text, mode), func(tok tokenizer.Token) string {
				if tok.Class == tokenizer.KNOWN {
					return prepared.BaseForm(tok.ID)
				}
				b, _ := tok.BaseForm()
				return b
			})
			if i, ok := firstDifference(got, want); ok {
				t.Fatalf("%s, mode %v, token %d:\ngot  %s\nwant %s", name, mode, i, at(got, i), at(want, i))
			}
		}
	}

	t.Run("testdata", func(t *testing.T) {
		texts := repoTexts(t)
		if len(texts) == 0 {
			t.Skip("no Japanese text files in the repository")
		}
		for _, f := range texts {
			compare(t, f.name, f.text)
		}
		t.Logf("%d files", len(texts))
	})
	t.Run("generated", func(t *testing.T) {
		for i, s := range generatedTexts(embedded, 2000) {
			compare(t, fmt.Sprintf("generated text %d %q", i, s), s)
		}
	})
	t.Run("corpus", func(t *testing.T) {
		files := corpusSample(t)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, f, string(b))
		}
		t.Logf("%d corpus files", len(files))
	})
}

// describe renders each token with everything a user of kagome can read
// from it.
func describe(toks []tokenizer.Token, baseForm func(tokenizer.Token) string) []string {
	out := make([]string, len(toks))
	for i, tok := range toks {
		var features []string
		if tok.Class != tokenizer.KNOWN {
			features = tok.Features() // from the unknown-word contents, kept
		}
		out[i] = fmt.Sprintf("%d %q pos=%d [%d,%d) %v id=%d POS=%v base=%q features=%v",
			tok.Index, tok.Surface, tok.Position, tok.Start, tok.End, tok.Class, tok.ID, tok.POS(), baseForm(tok), features)
	}
	return out
}

func firstDifference(got, want []string) (int, bool) {
	for i := range max(len(got), len(want)) {
		if at(got, i) != at(want, i) {
			return i, true
		}
	}
	return 0, false
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

type textFile struct{ name, text string }

// repoTexts returns the repository's files under testdata directories, and
// the analyzer's word lists, that contain Japanese.
func repoTexts(t *testing.T) []textFile {
	t.Helper()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not at %s: %v", root, err)
	}
	var out []textFile
	add := func(path string) {
		b, err := os.ReadFile(path)
		if err != nil || !utf8.Valid(b) || !strings.ContainsFunc(string(b), isJapanese) {
			return
		}
		rel, _ := filepath.Rel(root, path)
		out = append(out, textFile{rel, string(b)})
	}
	err = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && e.Name() == ".git" {
			return filepath.SkipDir
		}
		if !e.IsDir() && slices.Contains(strings.Split(filepath.ToSlash(path), "/"), "testdata") {
			add(path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	words, _ := filepath.Glob(filepath.Join(root, "analyzer", "*.txt"))
	for _, w := range words {
		add(w)
	}
	return out
}

func isJapanese(r rune) bool { return r >= 0x3040 && r <= 0x9fff || r >= 0xff00 && r <= 0xffef }

// generatedTexts returns n reproducible texts that mix runs of characters of
// every character category the dictionary defines (so that every unknown-word
// rule is exercised), Japanese and Latin words, digits, spaces, punctuation
// and the odd invalid byte.
func generatedTexts(d *dict.Dict, n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	byClass := make([][]rune, len(d.CharClass))
	for r, c := range d.CharCategory {
		if int(c) < len(byClass) && utf8.ValidRune(rune(r)) {
			byClass[c] = append(byClass[c], rune(r))
		}
	}
	words := []string{
		"東京都", "京都", "関西国際空港", "スマホ", "アプリ", "iPhone", "Windows 7", "ＡＫＢ４８", "ｻｯｶｰ",
		"行った", "食べられなかった", "美しく", "静かな", "です", "ます", "呉泳銘", "トム・クルーズ",
		"2012年9月", "１２３", "3.14", "http://example.com/", "#タグ", "😀", "〜", "ー", "ヴ", "𠮷野家",
	}
	seps := []string{"", "", "", " ", "　", "、", "。", "\n", "・", "!", "？", "\t", "\xff", "\x00"}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			if rng.IntN(3) == 0 {
				b.WriteString(words[rng.IntN(len(words))])
			} else if runes := byClass[rng.IntN(len(byClass))]; len(runes) > 0 {
				for range 1 + rng.IntN(6) {
					b.WriteRune(runes[rng.IntN(len(runes))])
				}
			}
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		out[i] = b.String()
	}
	return out
}

// corpusSample returns about 500 files of the corpus (100 under the race
// detector), spread over its categories (all of them with
// NEWSEARCH_CORPUS_ALL=1). It skips the test when the corpus is absent or in
// -short mode.
func corpusSample(t *testing.T) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("corpus comparison skipped in -short mode")
	}
	dir := os.Getenv(corpusEnv)
	if dir == "" {
		dir = "/work/shared/corpus/ldcc"
	}
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skipf("no corpus in %s (set %s)", dir, corpusEnv)
	}
	var out []string
	for _, f := range files {
		if filepath.Base(f) != "LICENSE.txt" {
			out = append(out, f)
		}
	}
	want := 500
	if raceEnabled {
		want = 100
	}
	if os.Getenv(corpusAllEnv) == "1" || len(out) <= want {
		return out
	}
	step := (len(out) + want - 1) / want
	var sample []string
	for i := 0; i < len(out); i += step {
		sample = append(sample, out[i])
	}
	return sample
}
