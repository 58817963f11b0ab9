package analyzer

import (
	"slices"
	"testing"
)

func TestSpellings(t *testing.T) {
	tests := []struct {
		word      string
		want, not []string
	}{
		{"メイル", []string{"メール"}, nil},
		{"ｍｅｉｌ", nil, nil},
		{"テレフォン", []string{"テレホン"}, nil},
		{"ウインドウ", []string{"ウィンドー", "ウインドー"}, []string{"ウィンドウズ"}}, // Windows is another word
		{"ヴァイオリン", []string{"バイオリン"}, nil},
		{"ハロウィーン", []string{"ハロウィン"}, nil},
		{"テレフォンカード", []string{"テレホンカード"}, nil}, // a word in a compound
		{"申込み", []string{"申し込み", "申込"}, nil},   // okurigana
		{"引越し", []string{"引っ越し"}, nil},
		{"レザー", nil, []string{"レーザー"}}, // leather is not laser, which UniDic also spells レザー
		{"スイーツ", nil, []string{"スイート"}},
		{"フォーク", nil, []string{"ホーク"}},
		{"携帯", nil, []string{"ケータイ"}},  // kanji and katakana spellings are not mixed
		{"スマフォ", []string{"スマホ"}, nil}, // neither dictionary knows them: by rule
		{"スマホ", []string{"スマフォ"}, nil},
		{"フォルダ", nil, []string{"ホルダ"}}, // a known word only by its lemma
	}
	for _, tt := range tests {
		got := Spellings(tt.word)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("Spellings(%s) = %v, want %s among them", tt.word, got, w)
			}
		}
		for _, w := range tt.not {
			if slices.Contains(got, w) {
				t.Errorf("Spellings(%s) = %v, want no %s", tt.word, got, w)
			}
		}
		if slices.Contains(got, normalized(tt.word)) {
			t.Errorf("Spellings(%s) = %v holds the word itself", tt.word, got)
		}
	}
}

func TestTranslations(t *testing.T) {
	tests := []struct {
		word string
		want []string
	}{
		{"font", []string{"フォント"}},
		{"Ｆｏｎｔ", []string{"フォント"}},
		{"マウス", []string{"mouse", "mouth"}}, // every entry of the word
		{"テレフォン", []string{"telephone"}},    // by its lemma
		{"スマートフォンケース", nil},                 // a compound is not translated
		{"東京", nil},
	}
	for _, tt := range tests {
		got := Translations(tt.word)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("Translations(%s) = %v, want %s among them", tt.word, got, w)
			}
		}
		if tt.want == nil && len(got) > 0 {
			t.Errorf("Translations(%s) = %v, want none", tt.word, got)
		}
	}
}
