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
