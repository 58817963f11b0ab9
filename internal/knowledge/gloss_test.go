package knowledge

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/newsearch/newsearch/analyzer"
)

func mine(text string) []string {
	var out []string
	for _, p := range Mine(text, analyzer.Default().Words(text)) {
		out = append(out, fmt.Sprintf("%s=%s:%s", p.Term, p.Alias, p.Kind))
	}
	return out
}

// Sentences written for this test, each with the pairs it glosses.
func TestMineGlosses(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"アリババグループ（Alibaba Group）は新体制を発表した。", []string{"アリババグループ=Alibaba Group:latin"}},
		{"新しいトップは呉泳銘（エディ・ウー）氏だ。", []string{"呉泳銘=エディ・ウー:katakana"}},
		{"同社の呉泳銘（ごえいめい）氏が登壇した。", []string{"呉泳銘=ごえいめい:reading"}},
		{"日本電信電話（NTT）は実験を始めた。", []string{"日本電信電話=NTT:abbreviation"}},
		{"NTT（日本電信電話）は実験を始めた。", []string{"日本電信電話=NTT:abbreviation"}},
		{"ソーシャルネットワークサービス（SNS）の利用が増えた。", []string{"ソーシャルネットワークサービス=SNS:abbreviation"}},
		{"PC (Personal Computer) の出荷が減った。", []string{"Personal Computer=PC:abbreviation"}},
		{"本田技研工業株式会社（以下、ホンダ）は", []string{"本田技研工業株式会社=ホンダ:katakana"}},
		{"「Belle Blanche」（ベルブランシュ）という店だ。", []string{"Belle Blanche=ベルブランシュ:katakana"}},
		{"松村 圭子（まつむら けいこ）さんが語る。", []string{"松村 圭子=まつむら けいこ:reading"}},
		// what a parenthesis holds that is no other name
		{"マーヤ（アビゲイル・ブレスリン）が主演する。", nil}, // a role and its actor
		{"長谷川辰雄（オダギリジョー）を演じた。", nil},    // a Japanese name and an actor
		{"香川真司（ドルトムント）が得点した。", nil},     // a player and his team
		{"2月11日（土）に開催する。", nil},         // a date
		{"5000円（税込）で販売する。", nil},        // a price
		{"否定した（livedoor ニュース）。", nil},   // a source
		{"MINI（ハッチバック）を試乗した。", nil},     // a model and its body
		{"医学研究所（てもみん）に行った。", nil},       // a nickname
		{"小木博明（おぎやはぎ）が出演した。", nil},      // a person and his duo
		{"大量殺戮（さつりく）の記録。", nil},         // a reading of part of the term
		{"中山優馬（NYC）が歌う。", nil},          // a person and his group
		{"「深夜の馬鹿力」（TBS）を聴く。", nil},      // a programme and its broadcaster
		{"開始（KDDI）した。", nil},            // too short to abbreviate four letters
		{"磯山さやか（以下、磯山）は", nil},          // a short form a search finds anyway
	}
	for _, tt := range tests {
		got := mine(tt.text)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

func TestKey(t *testing.T) {
	for _, pair := range [][2]string{{"エディ・ウー", "エディウー"}, {"Alibaba Group", "alibabagroup"}, {"ＮＴＴ", "ntt"}} {
		if Key(pair[0]) != Key(pair[1]) {
			t.Errorf("Key(%q) = %q, Key(%q) = %q: want the same", pair[0], Key(pair[0]), pair[1], Key(pair[1]))
		}
	}
	if Key("呉泳銘") == Key("呉泳") {
		t.Error("Key merges different names")
	}
}

func TestClusters(t *testing.T) {
	words := func(seed, n int) []string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, fmt.Sprintf("w%d", (i*7+seed*13)%97+seed*100))
		}
		return out
	}
	story := words(1, 200)
	copyOf := slices.Clone(story)
	for i := 0; i < 200; i += 40 {
		copyOf[i] = "edited" // a light rewrite: a word in forty changed
	}
	other := words(2, 200)
	short := words(3, MinShingles)
	var sigs []Signature
	for _, w := range [][]string{story, other, copyOf} {
		s, ok := Sign(w)
		if !ok {
			t.Fatal("a text of 200 words not signed")
		}
		sigs = append(sigs, s)
	}
	if _, ok := Sign(short); ok {
		t.Errorf("a text of %d words (%d shingles) signed: too short to tell", len(short), len(short)-shingleWords+1)
	}
	if s := sigs[0].Similarity(sigs[2]); s < Threshold {
		t.Errorf("a light rewrite has similarity %.2f, under the threshold %.2f", s, Threshold)
	}
	if s := sigs[0].Similarity(sigs[1]); s > 0.2 {
		t.Errorf("two different texts have similarity %.2f", s)
	}
	if got := Cluster(sigs, Threshold); !slices.EqualFunc(got, [][]int{{0, 2}}, slices.Equal) {
		t.Errorf("Cluster = %v, want [[0 2]]", got)
	}
	prose := Prose("■関連記事\n・見出しだけの行\n・同じ連載の別の記事の題、読点もあって長いけれど、一覧の一行です\n長い本文の行で、読点も句点もある文章がここに続いているのです。\nhttp://example.com/ を参照、とある長い行だが、これは除かれるべき行なのです。")
	if !strings.HasPrefix(prose, "長い本文") || strings.Count(prose, "\n") != 1 {
		t.Errorf("Prose kept %q", prose)
	}
}
