package analyzer

import (
	"slices"
	"testing"
)

func TestNameReadings(t *testing.T) {
	for _, c := range []struct {
		name   string
		person bool
		want   string // one of the readings; "" for none
	}{
		{"孫正義", true, "ソンマサヨシ"},
		{"任天堂", false, "ニンテンドウ"},
		{"柳井正", true, "ヤナイタダシ"},
		{"ソフトバンク", false, ""}, // no kanji: its reading is itself
		{"呉泳銘", true, ""},     // 泳銘 is no given name the dictionaries know
		{"正義", false, ""},     // a given name is no organisation
	} {
		got := NameReadings(c.name, c.person)
		if c.want == "" {
			if got != nil {
				t.Errorf("NameReadings(%q, %v) = %q, want none", c.name, c.person, got)
			}
			continue
		}
		if !slices.Contains(got, c.want) {
			t.Errorf("NameReadings(%q, %v) = %q, want it to have %q", c.name, c.person, got, c.want)
		}
	}
}

func TestKanaKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"にんてんどう", "ニンテンド"},
		{"ニンテンドー", "ニンテンド"},
		{"ご えい めい", "ゴエイメイ"},
		{"エディ・ウー", "エディウ"},
		{"ｿﾝ", "ソン"},
	} {
		got, ok := KanaKey(c.in)
		if !ok || got != c.want {
			t.Errorf("KanaKey(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	if _, ok := KanaKey("孫"); ok {
		t.Error("KanaKey(孫) reports kana")
	}
}
