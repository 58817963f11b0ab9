package reader

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

var update = flag.Bool("update", false, "rewrite the generated fixtures and the want.json golden files in testdata/reader")

// testdata is the folder of this package's fixtures.
const testdata = "../../testdata/reader"

// generated are the fixtures that are not UTF-8 text, or not text at all,
// made from the UTF-8 text here so that their content can be read and
// changed. TestGeneratedFixtures checks that the committed files match;
// go test -run TestGeneratedFixtures -update rewrites them.
var generated = []struct {
	path string
	make func() []byte
}{
	{"enc/sjis/article.txt", encoded(japanese.ShiftJIS, "https://news.example.jp/article/detail/2002/\n"+
		"2024-04-02T18:45:00+0900\n"+
		"携帯電話大手、通信障害で総務省に報告書を提出\n"+
		"　携帯電話大手の架空企業やまびこモバイルは2日、先月起きた大規模な通信障害について総務省に報告書を提出した。"+
		"障害は約9時間続き、最大で1200万回線に影響した。①設備の更新手順の誤り、②監視体制の不備が原因だった。\n")},
	{"enc/shortsjis/article.txt", encoded(japanese.ShiftJIS, "速報：新型タブレット発売\n")},
	{"enc/eucjp/article.md", encoded(japanese.EUCJP, "---\ntitle: 老舗メーカー、タイプライター型キーボードを復刻\ndate: 2024年4月10日\ntags: 周辺機器, キーボード\n---\n"+
		"文具と事務機器の老舗、**朝霧製作所**は、1960年代のタイプライターを模したキーボードを復刻すると発表した。\n\n"+
		"無線接続に対応し、価格は3万9800円。\n")},
	{"enc/iso2022jp/article.txt", encoded(japanese.ISO2022JP, "メールで届いたプレスリリース\n"+
		"ソフトウェア会社のかもめシステムズは、中小企業向けの会計ソフトに請求書の自動読み取り機能を追加した。\n")},
	{"enc/bom/article.txt", func() []byte {
		return append([]byte{0xEF, 0xBB, 0xBF}, "https://news.example.jp/article/detail/3003/\n"+
			"2024-05-01 07:00:00\n"+
			"先頭にBOMがある記事\n"+
			"テキストエディターが先頭にバイト順マークを付けて保存した記事でも、1行目のURLを読み取れる。\n"...)
	}},
	{"enc/crlf/article.md", func() []byte {
		return []byte("---\r\ntitle: 改行がCRLFの記事\r\ntags:\r\n  - Windows\r\n  - 改行\r\n---\r\n" +
			"Windowsのメモ帳で書かれた記事は、行末が CR LF になる。\r\n\r\n読み込むと LF だけになる。\r\n")
	}},
	{"enc/cr/article.txt", func() []byte {
		return []byte("改行がCRだけの古い記事\r昔のMacで作られたテキストは、行末がCRだけになっている。\r\r段落も保たれる。\r")
	}},
	{"enc/utf16/article.txt", encoded(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "UTF-16で保存された記事\n"+
		"表計算ソフトから書き出したテキストは、UTF-16になることがある。\n")},
	{"enc/sjisjsonl/articles.jsonl", encoded(japanese.ShiftJIS, `{"title":"Shift_JISのJSON Lines","body":"古い社内システムが書き出した記事データは、Shift_JISのことが多い。"}`+"\n"+
		`{"title":"二行目の記事","body":"記号「～」や「－」も正しく読める。","tags":["文字コード"]}`+"\n")},
	{"enc/sjishtml/article.html", encoded(japanese.ShiftJIS, `<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">
<title>古いニュースサイトの記事</title>
<meta name="date" content="2009/11/20">
</head><body><div class="article">
<p>この記事はShift_JISで書かれ、metaタグで文字コードを宣言している。十数年前に作られたニュースサイトでは今でもよく見かける形式だ。</p>
<p>文字コードを正しく判定できないと、いわゆる文字化けが起きる。検索エンジンは、宣言された文字コードに従って本文を読み込む必要がある。</p>
</div></body></html>
`)},
	{"enc/eucjphtml/article.html", encoded(japanese.EUCJP, `<html><head>
<title>宣言のないEUC-JPのページ</title>
</head><body><div class="article">
<p>このページは文字コードを宣言していないが、中身はEUC-JPで書かれている。かつてのUNIX系のサーバーで作られたページに多い。</p>
<p>宣言がなくても、ひらがなや漢字の並び方から文字コードを推定できる。</p>
</div></body></html>
`)},
	{"enc/latin1html/article.html", encoded(charmap.Windows1252, `<html><head>
<meta charset="windows-1252">
<title>Café review</title>
</head><body><div class="article">
<p>A café in Kyoto now lets customers pay with a ring that holds a contactless card. The owner says the idea came from regulars who forgot their wallets.</p>
</div></body></html>
`)},
	{"txt/binary/article.txt", func() []byte {
		return append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0x00, 0x14, 0x08, 0x00}, 16)...)
	}},
	{"txt/control/article.txt", func() []byte {
		return bytes.Repeat([]byte("ab\x01\x02\x03cd\x1f\x7f"), 8)
	}},
	{"txt/invalidutf8/article.txt", func() []byte {
		return []byte("壊れたバイトを含む記事\nネットワーク機器の設定画面の\xff\xfe文字列が、途中で\x81壊れている。\n")
	}},
	{"txt/latin1/article.txt", encoded(charmap.ISO8859_1, "Café opens in Shibuya\nThe café serves crêpes.\n")},
}

// encoded returns a function that encodes text with e.
func encoded(e encoding.Encoding, text string) func() []byte {
	return func() []byte {
		b, err := e.NewEncoder().Bytes([]byte(text))
		if err != nil {
			panic("encoding fixture: " + err.Error())
		}
		return b
	}
}

func TestGeneratedFixtures(t *testing.T) {
	for _, f := range generated {
		t.Run(f.path, func(t *testing.T) {
			path := filepath.Join(testdata, filepath.FromSlash(f.path))
			want := f.make()
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGeneratedFixtures -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from what fixtures_test.go generates (run go test -run TestGeneratedFixtures -update)", path)
			}
		})
	}
}
