// Package crashtest holds the tests that treat newsearch as a user's
// machine does: they kill and interrupt index runs, query while a run
// writes, damage index files and feed it bad input. Its one piece of
// non-test code generates the corpora those tests index.
package crashtest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/newsearch/newsearch/internal/ingest"
	"github.com/newsearch/newsearch/internal/reader"
)

// Corpus is a folder of generated article files: livedoor-style .txt,
// Markdown with front matter, JSON objects and JSON Lines. Every article
// carries a marker word of its own (see Marker), so a search can find
// exactly it.
type Corpus struct {
	Dir string

	rng     *rand.Rand
	serial  int
	version map[string]int // relative path -> times written
}

// Categories are the folders of a generated corpus.
var Categories = []string{"it-news", "business", "gadget", "sports", "science"}

// NewCorpus writes n article files into dir (created if needed), drawing
// everything from seed.
func NewCorpus(dir string, seed uint64, n int) (*Corpus, error) {
	c := &Corpus{Dir: dir, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), version: map[string]int{}}
	for range n {
		if err := c.add(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Files returns the relative paths of the corpus's files, sorted.
func (c *Corpus) Files() []string {
	out := make([]string, 0, len(c.version))
	for rel := range c.version {
		out = append(out, rel)
	}
	sort.Strings(out)
	return out
}

// Mutate rewrites changed files with new text, adds added new files and
// removes removed files, as a second day of news would.
func (c *Corpus) Mutate(changed, added, removed int) error {
	files := c.Files()
	c.rng.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
	for i := 0; i < removed && i < len(files); i++ {
		if err := os.Remove(filepath.Join(c.Dir, files[i])); err != nil {
			return err
		}
		delete(c.version, files[i])
	}
	for i := removed; i < removed+changed && i < len(files); i++ {
		if err := c.write(files[i]); err != nil {
			return err
		}
	}
	for range added {
		if err := c.add(); err != nil {
			return err
		}
	}
	return nil
}

// add writes a new file of a random format in a random category.
func (c *Corpus) add() error {
	c.serial++
	cat := Categories[c.rng.IntN(len(Categories))]
	var ext string
	switch r := c.rng.IntN(20); {
	case r < 10:
		ext = ".txt"
	case r < 15:
		ext = ".md"
	case r < 19:
		ext = ".json"
	default:
		ext = ".jsonl"
	}
	rel := fmt.Sprintf("%s/%s-%05d%s", cat, cat, c.serial, ext)
	return c.write(rel)
}

// write (re)writes the file rel with new text.
func (c *Corpus) write(rel string) error {
	c.version[rel]++
	v := c.version[rel]
	serial := strings.TrimSuffix(filepath.Base(rel), filepath.Ext(rel))
	serial = serial[strings.LastIndexByte(serial, '-')+1:]
	var data []byte
	switch filepath.Ext(rel) {
	case ".txt":
		a := c.article(serial, v, 0)
		data = fmt.Appendf(nil, "%s\n%s\n%s\n%s\n", a.URL, a.Published.Format("2006-01-02T15:04:05-0700"), a.Title, a.Body)
	case ".md":
		a := c.article(serial, v, 0)
		data = fmt.Appendf(nil, "---\ntitle: %q\ndate: %s\nurl: %s\nsource: %s\ntags: [%s]\n---\n\n# %s\n\n%s\n",
			a.Title, a.Published.Format("2006-01-02"), a.URL, a.Source, strings.Join(a.Tags, ", "), a.Title,
			strings.ReplaceAll(a.Body, "\n", "\n\n"))
	case ".json":
		a := c.article(serial, v, 0)
		obj := map[string]any{"title": a.Title, "body": a.Body, "url": a.URL,
			"published": a.Published.Format(time.RFC3339), "source": a.Source, "tags": a.Tags}
		if c.rng.IntN(3) == 0 {
			obj["id"] = "news-" + serial // an ID of its own, not the path
		}
		var err error
		if data, err = json.MarshalIndent(obj, "", "  "); err != nil {
			return err
		}
	case ".jsonl":
		for i := range 1 + c.rng.IntN(3) {
			a := c.article(serial, v, i+1)
			line, err := json.Marshal(map[string]any{"title": a.Title, "content": a.Body, "link": a.URL,
				"date": a.Published.Format("2006/01/02"), "category": a.Category})
			if err != nil {
				return err
			}
			data = append(append(data, line...), '\n')
		}
	}
	path := filepath.Join(c.Dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	// write and rename, so that a run never reads half a file
	tmp := filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Marker returns the word that only the article of the given serial,
// version and part (0 for a file of one article) contains.
func Marker(serial string, version, part int) string {
	return fmt.Sprintf("kiji%sv%dp%d", serial, version, part)
}

var (
	people    = []string{"呉泳銘", "山田太郎", "佐藤花子", "鈴木一郎", "田中美咲", "高橋健", "伊藤由紀", "渡辺翔太", "中村彩", "小林誠"}
	companies = []string{"NTTドコモ", "ソフトバンク", "アリババ", "トヨタ自動車", "任天堂", "ソニー", "楽天", "KDDI", "日立製作所", "サイバーエージェント"}
	products  = []string{"スマートフォン", "タブレット", "クラウドサービス", "電子書籍", "ゲーム機", "半導体", "AIチップ", "サーバー", "ｽﾏﾎ", "ＡＩ家電"}
	places    = []string{"東京都", "京都", "大阪", "名古屋", "福岡", "札幌", "横浜", "神戸", "浙江省", "シリコンバレー"}
	sentences = []string{
		"%[1]sの%[2]s社長は%[4]d日、%[3]sで新しい%[5]sを発表した。",
		"%[2]sによると、%[4]d年度の売上高は前年比%[6]d％増の%[7]d億円だった。",
		"会見で%[1]s氏は「%[5]sの需要はまだ伸びる」と述べた。",
		"%[3]sの販売店では、発売日の朝から%[6]d人ほどが列を作った。",
		"同社は%[5]sの開発に%[7]d億円を投じ、%[6]d人の技術者を採用する計画だ。",
		"アナリストは、%[2]sの戦略が%[3]s市場で試されると指摘する。",
		"新製品の価格は%[7]d%[6]d円で、来月%[4]d日に出荷が始まる。",
		"関係者の話では、%[1]s氏は%[3]sの工場も視察したという。",
	}
)

// article generates the text of one article.
func (c *Corpus) article(serial string, version, part int) reader.Article {
	r := c.rng
	person, company := people[r.IntN(len(people))], companies[r.IntN(len(companies))]
	product, place := products[r.IntN(len(products))], places[r.IntN(len(places))]
	sentence := func() string {
		s := sentences[r.IntN(len(sentences))]
		return fmt.Sprintf(s, person, company, place, 1+r.IntN(28), product, 1+r.IntN(99), 10+r.IntN(9000))
	}
	var body strings.Builder
	for i := range 2 + r.IntN(4) {
		if i > 0 {
			body.WriteString("\n")
		}
		for range 1 + r.IntN(3) {
			body.WriteString(sentence())
		}
	}
	fmt.Fprintf(&body, "\n整理番号 %s", Marker(serial, version, part))
	jst := time.FixedZone("JST", 9*60*60)
	return reader.Article{
		Title:     fmt.Sprintf("%s、%sの%s%d万台を%sで販売へ", company, person, product, 1+r.IntN(50), place),
		Body:      body.String(),
		URL:       fmt.Sprintf("https://news.example.jp/%s/%d/%d", serial, version, part),
		Published: time.Date(2011+r.IntN(3), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, jst),
		Source:    []string{"テック通信", "経済ウォッチ", "ガジェット速報"}[r.IntN(3)],
		Tags:      []string{product, company},
		Category:  Categories[r.IntN(len(Categories))],
	}
}

// Want reads the article files under root as newsearch index does (same
// files, same IDs, same parser, same size limit) and returns the articles a
// complete run over root must leave in the index, by ID. Files (or
// folders) that cannot be read or do not parse in full are listed in
// failed, relative to root.
func Want(root string) (want State, failed []string, err error) {
	want = State{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if err != nil {
			failed = append(failed, rel)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() || !reader.Supported(d.Name()) || notArticle(d.Name()) {
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > ingest.DefaultMaxFileSize {
			failed = append(failed, rel)
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			failed = append(failed, rel)
			return nil
		}
		articles, perr := reader.Parse(path, data)
		if perr != nil {
			failed = append(failed, rel)
		}
		for _, a := range articles {
			id := a.ID
			switch {
			case id != "":
			case a.Item > 0: // a record of a JSON array: its position
				id = fmt.Sprintf("%s#%d", rel, a.Item)
			case a.Line > 0: // of JSON Lines: its line
				id = fmt.Sprintf("%s#%d", rel, a.Line)
			default:
				id = rel
			}
			if _, dup := want[id]; dup {
				return fmt.Errorf("%s: ID %q is used twice in the corpus", rel, id)
			}
			if a.Category == "" {
				if dir := filepath.Dir(rel); dir != "." {
					a.Category = filepath.Base(dir)
				}
			}
			want[id] = a
		}
		return nil
	})
	return want, failed, err
}

// notArticle names the files newsearch index skips as not articles.
func notArticle(name string) bool {
	switch strings.ToUpper(strings.TrimSuffix(name, filepath.Ext(name))) {
	case "LICENSE", "LICENCE", "README", "CHANGES", "CHANGELOG", "COPYING", "NOTICE", "AUTHORS":
		return true
	}
	return false
}
