package reader_test

import (
	"errors"
	"fmt"

	"github.com/newsearch/newsearch/internal/reader"
)

func ExampleParse() {
	data := []byte("https://news.example.jp/article/1\n" +
		"2012-02-20T13:00:00+0900\n" +
		"新型タブレット、来月発売\n" +
		"電機メーカーは20日、新型タブレットを来月発売すると発表した。\n")
	articles, err := reader.Parse("news/1.txt", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := articles[0]
	fmt.Println(a.Title)
	fmt.Println(a.URL)
	fmt.Println(a.Published)
	fmt.Println(a.Body)
	// Output:
	// 新型タブレット、来月発売
	// https://news.example.jp/article/1
	// 2012-02-20 13:00:00 +0900 +0900
	// 電機メーカーは20日、新型タブレットを来月発売すると発表した。
}

func ExampleParse_partial() {
	data := []byte(`{"title": "一本目の記事"}
{"title": 2}
{"title": "三本目の記事"}
`)
	articles, err := reader.Parse("feed.jsonl", data)
	for _, a := range articles {
		fmt.Println("read:", a.Title)
	}
	var pe *reader.PartialError
	if errors.As(err, &pe) {
		for _, le := range pe.Errors {
			fmt.Println("skipped:", le.Error())
		}
	}
	// Output:
	// read: 一本目の記事
	// read: 三本目の記事
	// skipped: line 2: field "title": want a string, got a number
}

func ExampleParseDate() {
	for _, s := range []string{
		"2012-02-20T13:00:00+0900",
		"2012/02/20",
		"2012年2月20日 午後1時",
		"Mon, 20 Feb 2012 04:00:00 GMT",
	} {
		t, err := reader.ParseDate(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(t.In(reader.JST).Format("2006-01-02 15:04 MST"))
	}
	// Output:
	// 2012-02-20 13:00 JST
	// 2012-02-20 00:00 JST
	// 2012-02-20 13:00 JST
	// 2012-02-20 13:00 JST
}
