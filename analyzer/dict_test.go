package analyzer

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ikawaha/kagome-dict/ipa"

	"github.com/newsearch/newsearch/analyzer/internal/dictfile"
)

// analyzerOn returns an Analyzer that runs on dictionary d instead of the
// system dictionary.
func analyzerOn(t *testing.T, d *dictionary, opts ...Option) *Analyzer {
	t.Helper()
	saved := systemDictionary
	systemDictionary = func() *dictionary { return d }
	defer func() { systemDictionary = saved }()
	a, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	a.Analyze("辞書") // loads the dictionary now, while it is swapped in
	if a.dict != d {
		t.Fatal("analyzer did not take the dictionary given")
	}
	return a
}

// TestPreparedDictionaryAnalyzesIdentically runs the whole analyzer on the
// embedded dictionary and on the prepared one and requires identical words
// and grams.
func TestPreparedDictionaryAnalyzesIdentically(t *testing.T) {
	pd, _, err := dictfile.OpenIPA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pd.Close() })
	embedded, prepared := embeddedDictionary(), preparedDictionary(pd)

	user, err := ReadUserDict(strings.NewReader("呉泳銘,呉泳銘,ゴエイメイ,人名\n関西国際空港,関西 国際 空港,カンサイ コクサイ クウコウ,固有名詞\n"))
	if err != nil {
		t.Fatal(err)
	}
	texts := analyzerTexts(t)
	for _, cfg := range []struct {
		name string
		opts []Option
	}{
		{"normal", []Option{WithMode(Normal)}},
		{"search", []Option{WithMode(Search)}},
		{"search+user", []Option{WithMode(Search), WithUserDict(user)}},
	} {
		t.Run(cfg.name, func(t *testing.T) {
			want := analyzerOn(t, embedded, cfg.opts...)
			got := analyzerOn(t, prepared, cfg.opts...)
			for _, tx := range texts {
				g, w := got.Analyze(tx.text), want.Analyze(tx.text)
				if !reflect.DeepEqual(g, w) {
					t.Fatalf("%s: prepared dictionary analyses differently:\n%s", tx.name, firstTokenDiff(g, w))
				}
			}
		})
	}
	t.Logf("%d texts", len(texts))
}

func firstTokenDiff(got, want Result) string {
	for _, s := range []struct {
		name      string
		got, want []Token
	}{{"word", got.Words, want.Words}, {"gram", got.Grams, want.Grams}} {
		for i := range max(len(s.got), len(s.want)) {
			var g, w any = "(none)", "(none)"
			if i < len(s.got) {
				g = s.got[i]
			}
			if i < len(s.want) {
				w = s.want[i]
			}
			if g != w {
				return fmt.Sprintf("%s %d:\ngot  %+v\nwant %+v", s.name, i, g, w)
			}
		}
	}
	return "(no difference)"
}

type namedText struct{ name, text string }

// analyzerTexts returns the Japanese texts of the repository (testdata and
// word lists), the evaluation queries, generated strings and, unless -short,
// a sample of about 200 files of the livedoor corpus when it is present (all
// with NEWSEARCH_CORPUS_ALL=1; dictfile's own test compares kagome's output
// on 500).
func analyzerTexts(t *testing.T) []namedText {
	t.Helper()
	var out []namedText
	add := func(name string, b []byte) {
		if utf8.Valid(b) && strings.ContainsFunc(string(b), func(r rune) bool { return r >= 0x3040 && r <= 0x9fff }) {
			out = append(out, namedText{name, string(b)})
		}
	}
	root := ".."
	_ = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() && e.Name() == ".git" {
			return filepath.SkipDir
		}
		if !e.IsDir() && strings.Contains(filepath.ToSlash(path), "/testdata/") {
			if b, err := os.ReadFile(path); err == nil {
				add(path, b)
			}
		}
		return nil
	})
	for _, pattern := range []string{"*.txt", "/work/shared/eval/queries.txt", "/work/shared/corpus/seed/*.txt"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				add(f, b)
				for _, line := range strings.Split(string(b), "\n") {
					add(f+" line", []byte(line))
				}
			}
		}
	}

	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{
		"東京都", "京都", "関西国際空港", "スマホ", "アプリ", "iPhone", "Windows 7", "ＡＫＢ４８", "ｻｯｶｰ", "ｽﾏｰﾄﾌｫﾝ",
		"行った", "食べられなかった", "美しく", "静かな", "です", "ます", "呉泳銘", "トム・クルーズ", "プラットフォーム",
		"2012年9月", "１２３", "3.14", "http://example.com/", "#タグ", "😀", "〜", "ー", "ヴ", "𠮷野家", "Ⅲ", "㈱",
		"、", "。", " ", "　", "\n", "・", "！", "?", "「", "」", "a", "漢", "カ", "か", "\xff",
	}
	for i := range 1000 {
		var b strings.Builder
		for range 1 + rng.IntN(15) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		out = append(out, namedText{fmt.Sprintf("generated %d", i), b.String()})
	}

	if testing.Short() {
		return out
	}
	dir := os.Getenv("NEWSEARCH_CORPUS")
	if dir == "" {
		dir = "/work/shared/corpus/ldcc"
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*-*.txt"))
	step := max(1, (len(files)+199)/200)
	if os.Getenv("NEWSEARCH_CORPUS_ALL") == "1" {
		step = 1
	}
	for i := 0; i < len(files); i += step {
		if b, err := os.ReadFile(files[i]); err == nil {
			out = append(out, namedText{files[i], string(b)})
		}
	}
	return out
}

// TestLoadSystemDictionary checks which dictionary each setting of
// NEWSEARCH_DICT and the cache directory gives, and what DictionarySource
// would say.
func TestLoadSystemDictionary(t *testing.T) {
	cache := t.TempDir()
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	saved := preparedDir.Load()
	t.Cleanup(func() { preparedDir.Store(saved) })
	for _, tc := range []struct {
		name, env, cache string
		asked            bool // UsePreparedDictionary was called
		wantPrefix       string
		wantPrepared     bool
	}{
		{"not asked", "", cache, false, "embedded (the program did not ask", false},
		{"forced embedded", "embedded", cache, true, "embedded (NEWSEARCH_DICT=embedded)", false},
		{"unknown setting", "mmap", cache, true, `embedded (NEWSEARCH_DICT="mmap" not understood`, false},
		{"first use builds", "", cache, true, "prepared:" + filepath.Join(cache, "ipa-"), true},
		{"second use opens", "auto", cache, true, "prepared:" + filepath.Join(cache, "ipa-"), true},
		{"asked by the environment", "prepared", cache, false, "prepared:" + filepath.Join(cache, "ipa-"), true},
		{"cache not writable", "prepared", filepath.Join(notDir, "cache"), true, "embedded (dictfile: cache directory not writable", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(DictEnv, tc.env)
			t.Setenv(dictfile.CacheDirEnv, tc.cache)
			preparedDir.Store(nil)
			if tc.asked {
				UsePreparedDictionary("")
			}
			d, src := loadSystemDictionary()
			if !strings.HasPrefix(src, tc.wantPrefix) {
				t.Errorf("source %q, want it to start with %q", src, tc.wantPrefix)
			}
			if prepared := d.kagome != ipa.Dict(); prepared != tc.wantPrepared {
				t.Errorf("prepared dictionary used = %v, want %v (source %q)", prepared, tc.wantPrepared, src)
			}
			if tc.wantPrepared && d.kagome.Contents != nil {
				t.Error("prepared dictionary has contents")
			}
			if got, want := d.baseForm(2), dictfile.ContentsBaseForm(ipa.Dict(), 2); got != want {
				t.Errorf("baseForm(2) = %q, want %q", got, want)
			}
		})
	}
}

func TestDictionarySource(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	a.Words("辞書")
	src := DictionarySource()
	if !strings.HasPrefix(src, "prepared:") && !strings.HasPrefix(src, "embedded (") {
		t.Errorf("DictionarySource() = %q after analysis, want prepared:... or embedded (...)", src)
	}
	t.Log(src)
}
