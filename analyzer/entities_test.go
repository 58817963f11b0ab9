package analyzer

import (
	"strings"
	"testing"
)

func TestEntities(t *testing.T) {
	a := Default()
	tests := []struct {
		text         string
		people, orgs []string
	}{
		{"アリババグループの呉泳銘CEOは講演した。", []string{"呉泳銘"}, nil},
		{"日本代表の本田圭佑が得点し、長友佑都は守備で貢献した。", []string{"本田圭佑", "長友佑都"}, nil},
		{"米アップルのスティーブ・ジョブズ氏が発表した。", []string{"スティーブ・ジョブズ"}, nil},
		{"新しいスマートフォンを買った。", nil, nil},
		{"ソニーとパナソニックが提携した。", nil, []string{"ソニー", "パナソニック"}},
	}
	for _, tt := range tests {
		words := a.Words(tt.text)
		people, orgs := Entities(tt.text, words)
		if strings.Join(people, "|") != strings.Join(tt.people, "|") {
			t.Errorf("%q: people %v, want %v", tt.text, people, tt.people)
		}
		if tt.orgs != nil && strings.Join(orgs, "|") != strings.Join(tt.orgs, "|") {
			t.Errorf("%q: orgs %v, want %v", tt.text, orgs, tt.orgs)
		}
	}
}

// Within an article, a shorter form of a name that refers to a longer one
// is that name; common nouns tagged as organisations are no organisations.
func TestArticleEntities(t *testing.T) {
	a := Default()
	tests := []struct {
		name, title, body string
		people, orgs      []string
	}{
		{"a surname alone refers to the full name",
			"野村克也監督が語る", "野村克也氏は会見で話した。野村監督は笑顔だった。", []string{"野村克也"}, nil},
		{"a surname of two full names stays",
			"", "野村克也氏と野村萬斎氏が対談した。野村氏はこう言った。", []string{"野村克也", "野村萬斎", "野村"}, nil},
		{"a surname without its full name stays",
			"", "野村監督は笑顔だった。", []string{"野村"}, nil},
		{"the end of a katakana name, and the name without its dot",
			"ジョブズ氏の遺産", "スティーブ・ジョブズ氏が発表した。スティーブジョブズ氏は語った。", []string{"スティーブ・ジョブズ"}, nil},
		{"an organisation that is part of a person's name is the person",
			"", "本田圭佑が得点した。本田は笑顔だった。", []string{"本田圭佑"}, []string{}},
		{"common nouns tagged as organisations",
			"", "自社の製品を毎日使う社会になった。ソニーとパナソニックが提携した。", nil, []string{"ソニー", "パナソニック"}},
		{"the start of a longer organisation name",
			"", "トヨタ自動車は発表した。トヨタは新車を出す。", nil, []string{"トヨタ自動車"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			people, orgs := ArticleEntities(tt.title, a.Words(tt.title), tt.body, a.Words(tt.body))
			if strings.Join(people, "|") != strings.Join(tt.people, "|") {
				t.Errorf("people %v, want %v", people, tt.people)
			}
			if tt.orgs != nil && strings.Join(orgs, "|") != strings.Join(tt.orgs, "|") {
				t.Errorf("orgs %v, want %v", orgs, tt.orgs)
			}
		})
	}
}

func TestCommonNounOrg(t *testing.T) {
	for w, want := range map[string]bool{
		"自社": true, "毎日": true, "社会": true, "同社": true,
		"ソニー": false, "シャープ": false, "日産": false, "東芝": false, "電通": false, "任天堂": false, "トヨタ": false,
	} {
		if got := commonNounOrg(w); got != want {
			t.Errorf("commonNounOrg(%s) = %v, want %v", w, got, want)
		}
	}
}
