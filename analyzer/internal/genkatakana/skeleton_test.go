package main

import "testing"

func TestSkeleton(t *testing.T) {
	same := [][2]string{
		{"テレフォン", "テレホン"}, {"メイル", "メール"}, {"ウインドウ", "ウインドー"}, {"ウィンドー", "ウインドー"},
		{"ヴァイオリン", "バイオリン"}, {"ティーム", "チーム"}, {"コンピュータ", "コンピューター"},
		{"ヴェネツィア", "ベネチア"}, {"ケイタイ", "ケータイ"}, {"ハロウィーン", "ハロウィン"},
	}
	for _, p := range same {
		if a, b := skeleton(p[0]), skeleton(p[1]); a != b {
			t.Errorf("skeleton(%s) = %q, skeleton(%s) = %q, want equal", p[0], a, p[1], b)
		}
	}
	far := [][2]string{{"エール", "エアー"}, {"パルティード", "パーティー"}, {"ウィンドウズ", "ウインドー"}, {"マキーナ", "マシン"}}
	for _, p := range far {
		if d := editDistance(skeleton(p[0]), skeleton(p[1])); d <= 1 {
			t.Errorf("%s and %s: skeletons %q %q are %d apart, want more than 1", p[0], p[1], skeleton(p[0]), skeleton(p[1]), d)
		}
	}
	if d := editDistance(skeleton("ディティール"), skeleton("ディテール")); d != 1 {
		t.Errorf("ディティール/ディテール: distance %d, want 1", d)
	}
}
