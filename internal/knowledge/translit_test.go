package knowledge

import "testing"

func TestTransliterates(t *testing.T) {
	for _, c := range []struct {
		latin, kana string
		want        bool
	}{
		{"Alibaba Group", "アリババグループ", true},
		{"Crucial", "クルーシャル", true},
		{"Ubuntu", "ウブントゥ", true},
		{"Qaddafi", "カダフィ", true},
		{"Hennessy", "ヘネシー", true},
		{"Yahoo", "ヤフー", false}, // one consonant: too little to tell
		{"camel", "キャメル", true},
		{"TransferJet", "トランスファージェット", true},
		{"belle blanche", "ベルブランシュ", true},
		{"MINI", "ハッチバック", false},
		{"BRT300", "パナソニック", false},
		{"EPC1225B-RD60", "レッド", false},
		{"APPLESEED", "メイキング", false},
		{"Eddie Wu", "エディ・ウー", false}, // one consonant each side: too little to tell
	} {
		if got := Transliterates(c.latin, c.kana); got != c.want {
			t.Errorf("Transliterates(%q, %q) = %v, want %v (skeletons %v %v)", c.latin, c.kana, got, c.want, latinSkeleton(c.latin), kanaSkeleton(c.kana))
		}
	}
}

func TestRomaji(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ヤマゼン", "yamazen"},
		{"きょうと", "kyouto"},
		{"シェフ", "shefu"},
		{"ウィンドウ", "windou"},
		{"ガッコウ", "gakkou"},
		{"チャンネル", "channeru"},
		{"ティー", "tii"},
		{"孫", ""},
	} {
		if got := Romaji(c.in); got != c.want {
			t.Errorf("Romaji(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if !SameRomaji("KODEN", "コウデン") || !SameRomaji("Yamazen", "ヤマゼン") || SameRomaji("KABO", "ハナボウ") {
		t.Error("SameRomaji: KODEN should spell コウデン and Yamazen ヤマゼン, KABO not ハナボウ")
	}
}

func TestAcronyms(t *testing.T) {
	for _, s := range []string{"NTT", "SCE", "A&M", "PS3"} {
		if !IsAcronym(s) {
			t.Errorf("IsAcronym(%q) = false", s)
		}
	}
	for _, s := range []string{"N", "Ntt", "ABCDEFG", "1PC", "AKB48"} {
		if IsAcronym(s) {
			t.Errorf("IsAcronym(%q) = true", s)
		}
	}
	if !AcronymOfLatin("SNS", "Social Networking Service") || !AcronymOfLatin("BOJ", "Bank of Japan") || !AcronymOfLatin("BJ", "Bank of Japan") {
		t.Error("AcronymOfLatin misses SNS or BOJ")
	}
	if AcronymOfLatin("PC", "Personal") || AcronymOfLatin("NTT", "Nippon Telegraph") {
		t.Error("AcronymOfLatin takes too few words")
	}
	for _, c := range []struct {
		acronym string
		words   []string
		want    bool
	}{
		{"FFP", []string{"フラストレーション", "フリー", "パッケージ"}, true},
		{"SNS", []string{"ソーシャル", "ネットワーク", "サービス"}, true},
		{"VOD", []string{"ビデオ", "オン", "デマンド"}, true},
		{"GW", []string{"ゴールデン", "ウィーク"}, true},
		{"LAN", []string{"ホーム", "ネットワーク"}, false},
		{"HDD", []string{"ハード", "ディスク"}, false},
	} {
		if got := AcronymOfKatakana(c.acronym, c.words); got != c.want {
			t.Errorf("AcronymOfKatakana(%q, %q) = %v, want %v", c.acronym, c.words, got, c.want)
		}
	}
}

func TestKanaOfRomaji(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"son masayoshi", "ソンマサヨシ", true},
		{"Goeimei", "ゴエイメイ", true},
		{"kyouto", "キョウト", true},
		{"gakkou", "ガッコウ", true},
		{"shinbun", "シンブン", true},
		{"konnichiha", "コンニチハ", true},
		{"iPhone", "", false},
		{"xyz", "", false},
	} {
		got, ok := KanaOfRomaji(c.in)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("KanaOfRomaji(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
