package difftest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// vocab are the planted words. Each appears in an article only as 「word」,
// and none is part of another or of the filler, so an article has one as a
// word exactly when its text contains it.
var vocab = []string{
	"量子計算", "深層学習", "自動運転", "半導体", "電子決済", "宇宙開発", "遠隔医療", "蓄電池", "顔認証", "暗号資産",
	"気象衛星", "再生医療", "ドローン", "ブロックチェーン", "スマートウォッチ", "メタバース", "ウェアラブル",
	"サブスクリプション", "フィンテック", "Android", "Linux", "Zenbook", "Kindle", "Python",
}

var (
	surnames = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
		"吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "斎藤", "清水", "池田", "橋本", "阿部", "石川", "前田", "藤田"}
	givenNames = []string{"太郎", "健一", "花子", "直樹", "美咲", "大輔", "翔太", "陽子", "恵子", "和也",
		"由美", "拓也", "真由美", "明美", "裕子", "健太", "雅人", "智子", "秀樹", "康弘"}
	companies  = []string{"ソニー", "パナソニック", "任天堂", "東芝", "日立製作所", "富士通", "楽天", "トヨタ自動車", "日産自動車", "シャープ", "キヤノン", "ソフトバンク", "NTTドコモ", "京セラ"}
	places     = []string{"大阪", "名古屋", "福岡", "札幌", "仙台", "横浜", "神戸", "広島"}
	categories = []string{"it", "business", "sports", "life", "science", "world", "culture", "auto"}
	// sources: full-width forms are cleaned to half-width by the index
	sources = []string{"テック通信", "ＩＴ新報", "IT新報", "経済ウォッチ", "スポーツ速報", "暮らしの窓", "科学の友", "世界ニュース", "文化手帖", "くるまジャーナル", "地方新聞", "週刊デジタル"}
)

// filler are sentences without planted words; {p} is a person, {o} an
// organisation, {l} a place, {n} a number.
var filler = []string{
	"{p}氏は{n}日、都内で記者会見を開いた。",
	"{o}は新しい方針を発表した。",
	"関係者によると、計画は来年に始まる見通しだ。",
	"{p}社長は「市場の反応を見ながら進めたい」と語った。",
	"価格は{n}円で、来月から販売する。",
	"{o}の担当者は、利用者の声を重視すると説明した。",
	"同社は{l}に新しい拠点を設ける。",
	"{p}さんは{l}の出身で、今年で{n}歳になる。",
	"説明会には{n}人が参加し、質問が相次いだ。",
	"{o}と{o}が業務提携を結んだ。",
	"天候の影響で、一部の予定が変更された。",
	"{l}では週末に記念の催しが開かれる。",
	"専門家の{p}教授は、慎重な判断が必要だと指摘する。",
	"売上高は前年同期比で{n}％増えた。",
	"詳しい内容は後日あらためて知らせるという。",
	"{p}選手が{n}点を挙げ、チームを勝利に導いた。",
}

var planting = []string{
	"今回の発表では「{w}」が注目を集めた。",
	"「{w}」に関する取り組みも進める。",
	"会場では「{w}」の展示に人が集まった。",
}

// genArticle is an article as the test writes it.
type genArticle struct {
	ID        string
	Title     string
	Body      string
	URL       string
	Published string // as written in the file; "" for none
	Category  string
	Source    string
	Tags      []string
}

type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// zipf picks from n values, low ones far more often.
func (g *gen) zipf(n int) int {
	x := g.r.Float64()
	return min(n-1, int(float64(n)*x*x*x))
}

func (g *gen) person() string { return g.pick(surnames) + g.pick(givenNames) }

func (g *gen) sentence(templates []string, word string) string {
	s := g.pick(templates)
	for strings.Contains(s, "{") {
		switch {
		case strings.Contains(s, "{p}"):
			s = strings.Replace(s, "{p}", g.person(), 1)
		case strings.Contains(s, "{o}"):
			s = strings.Replace(s, "{o}", g.pick(companies), 1)
		case strings.Contains(s, "{l}"):
			s = strings.Replace(s, "{l}", g.pick(places), 1)
		case strings.Contains(s, "{n}"):
			s = strings.Replace(s, "{n}", fmt.Sprint(1+g.r.IntN(99)), 1)
		case strings.Contains(s, "{w}"):
			s = strings.Replace(s, "{w}", word, 1)
		}
	}
	return s
}

// date returns a publication time as a file would write it: mostly JST, some
// in UTC (whose JST month may differ), some near month ends, a few missing.
func (g *gen) date() string {
	if g.r.IntN(20) == 0 {
		return ""
	}
	year := 2000 + g.zipf(27)
	year = 2026 - (year - 2000) // recent years more often
	t := time.Date(year, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), 0, 0, time.FixedZone("", 9*3600))
	if g.r.IntN(6) == 0 {
		t = time.Date(year, time.Month(1+g.r.IntN(12)), 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(1+g.r.IntN(600)) * time.Minute)
		return t.UTC().Format(time.RFC3339)
	}
	return t.Format(time.RFC3339)
}

func (g *gen) article(id string) genArticle {
	a := genArticle{ID: id, Category: g.pick(categories), Source: g.pick(sources), Published: g.date()}
	if g.r.IntN(3) > 0 {
		a.URL = "https://news.example.jp/" + id
	}
	var words []string
	for range g.r.IntN(4) {
		words = append(words, vocab[g.zipf(len(vocab))])
	}
	title := g.sentence(filler[:4], "")
	if len(words) > 0 && g.r.IntN(3) == 0 {
		title = "「" + words[0] + "」" + title
	}
	a.Title = strings.TrimSuffix(title, "。")
	var body []string
	n := 3 + g.r.IntN(8)
	for i := range n {
		if i < len(words) && g.r.IntN(4) > 0 {
			body = append(body, g.sentence(planting, words[i]))
		}
		body = append(body, g.sentence(filler, ""))
	}
	a.Body = strings.Join(body, "")
	for range g.zipf(5) {
		t := fmt.Sprintf("tag-%03d", g.zipf(600))
		if g.r.IntN(15) == 0 {
			t = "ＡＩ" // the same tag as AI once cleaned
		} else if g.r.IntN(15) == 0 {
			t = "AI"
		}
		a.Tags = append(a.Tags, t)
	}
	return a
}

// file is one article file of a corpus state: its path relative to the
// folder and its articles (several for JSON Lines).
type file struct {
	rel      string
	articles []genArticle
	raw      string // a file on disk whose content this is, instead of articles
}

func (f file) content() []byte {
	if f.raw != "" {
		b, err := os.ReadFile(f.raw)
		if err != nil {
			panic(err)
		}
		return b
	}
	if strings.HasSuffix(f.rel, ".jsonl") {
		var b strings.Builder
		for _, a := range f.articles {
			m := map[string]any{"id": a.ID, "title": a.Title, "body": a.Body, "category": a.Category, "source": a.Source}
			if a.URL != "" {
				m["url"] = a.URL
			}
			if a.Published != "" {
				m["published"] = a.Published
			}
			if len(a.Tags) > 0 {
				m["tags"] = a.Tags
			}
			line, _ := json.Marshal(m)
			b.Write(line)
			b.WriteByte('\n')
		}
		return []byte(b.String())
	}
	a := f.articles[0]
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "id: %q\ntitle: %q\ncategory: %q\nsource: %q\n", a.ID, a.Title, a.Category, a.Source)
	if a.URL != "" {
		fmt.Fprintf(&b, "url: %q\n", a.URL)
	}
	if a.Published != "" {
		fmt.Fprintf(&b, "date: %q\n", a.Published)
	}
	if len(a.Tags) > 0 {
		q := make([]string, len(a.Tags))
		for i, t := range a.Tags {
			q[i] = fmt.Sprintf("%q", t)
		}
		fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(q, ", "))
	}
	b.WriteString("---\n")
	b.WriteString(a.Body)
	b.WriteString("\n")
	return []byte(b.String())
}

// history is how a folder of articles changes: states[0] first, the last
// state final. Every shape ends with the folder in the final state.
type history struct {
	states [][]file
}

func (h *history) final() []file { return h.states[len(h.states)-1] }

// newHistory generates n articles and two states of the folder: in the
// final one, a sixth of the articles are changed (new words, category,
// date, tags), some files are gone, some new, and JSON Lines files have
// lost and gained records.
func newHistory(seed uint64, n int) *history {
	g := newGen(seed)
	var first, final []file
	id := 0
	next := func() string { id++; return fmt.Sprintf("art-%04d", id) }
	for len(first) < n {
		dir := fmt.Sprintf("d%d", g.r.IntN(4))
		if g.r.IntN(10) < 3 {
			k := 2 + g.r.IntN(6)
			f := file{rel: fmt.Sprintf("%s/batch-%04d.jsonl", dir, id)}
			for range k {
				f.articles = append(f.articles, g.article(next()))
			}
			first = append(first, f)
			// final: some records changed, one dropped, one added
			ff := file{rel: f.rel}
			for i, a := range f.articles {
				switch {
				case i == 0 && g.r.IntN(2) == 0: // dropped
				case g.r.IntN(6) == 0:
					ff.articles = append(ff.articles, g.article(a.ID))
				default:
					ff.articles = append(ff.articles, a)
				}
			}
			if g.r.IntN(2) == 0 {
				ff.articles = append(ff.articles, g.article(next()))
			}
			if len(ff.articles) > 0 {
				final = append(final, ff)
			}
			continue
		}
		a := g.article(next())
		f := file{rel: fmt.Sprintf("%s/%s.md", dir, a.ID), articles: []genArticle{a}}
		first = append(first, f)
		switch g.r.IntN(12) {
		case 0: // gone
		case 1, 2: // changed
			final = append(final, file{rel: f.rel, articles: []genArticle{g.article(a.ID)}})
		default:
			final = append(final, f)
		}
	}
	for range n / 12 {
		a := g.article(next())
		final = append(final, file{rel: fmt.Sprintf("d%d/%s.md", g.r.IntN(4), a.ID), articles: []genArticle{a}})
	}
	return &history{states: [][]file{first, final}}
}

// write puts the folder at dir in the given state: files of the state are
// written (only if their content changed), other files removed.
func write(t testing.TB, dir string, state []file) {
	t.Helper()
	want := map[string][]byte{}
	for _, f := range state {
		want[filepath.FromSlash(f.rel)] = f.content()
	}
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		if _, ok := want[rel]; !ok {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}
		return nil
	})
	rels := make([]string, 0, len(want))
	for rel := range want {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	for _, rel := range rels {
		path := filepath.Join(dir, rel)
		if old, err := os.ReadFile(path); err == nil && string(old) == string(want[rel]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, want[rel], 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// subset returns the first part of a state's files, for a first run over a
// folder that has not been filled yet.
func subset(state []file, part float64) []file {
	return state[:int(float64(len(state))*part)]
}
