package index

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// Snippets over bodies put together at random from sentences, blank runs
// and link lists, with marks on a word: whatever the anchor, a snippet is
// cut inside the body, in order, and keeps its marks on the word.
func TestSnippetRandomBodies(t *testing.T) {
	pieces := []string{
		"節電の話をします。", "今日は晴れ。", "   ", "\n", "\n\n", "　　",
		"\n■関連記事\n・節電グッズの題名\n・別の記事の題名\n",
		"\n・一覧の項目\n", "http://example.jp/a\n", "■見出し\n", "長い文章が続いていくのでここで節電を考える。",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		body := b.String()
		var marks []Span
		for i := 0; ; {
			j := strings.Index(body[i:], "節電")
			if j < 0 {
				break
			}
			marks = append(marks, Span{i + j, i + j + len("節電")})
			i += j + len("節電")
		}
		skip := boilerplate(body)
		max := 10 + rng.IntN(60)
		for anchor := -1; anchor < len(marks); anchor++ {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("trial %d: body %q, anchor %d, max %d, skip %v: %v", trial, body, anchor, max, skip, r)
					}
				}()
				s := makeSnippetAt(body, marks, anchor, max, skip)
				if !utf8.ValidString(s.Text) {
					t.Fatalf("body %q: snippet not UTF-8: %q", body, s.Text)
				}
				for _, m := range s.Marks {
					if m.Start < 0 || m.End > len(s.Text) || m.Start > m.End || !strings.HasPrefix("節電", s.Text[m.Start:m.End]) {
						t.Fatalf("body %q anchor %d: mark %v on %q", body, anchor, m, s.Text)
					}
				}
			}()
		}
	}
}
