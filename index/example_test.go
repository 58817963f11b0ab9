package index_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/newsearch/newsearch/index"
)

// Open an index, add articles, search it with facets.
func Example() {
	dir, err := os.MkdirTemp("", "newsearch-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ix, err := index.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()

	ctx := context.Background()
	err = ix.Add(ctx,
		index.Article{ID: "1", Title: "アリババ、新CEOを発表", Category: "it",
			Published: time.Date(2023, 9, 10, 9, 0, 0, 0, time.UTC),
			Body:      "アリババグループは呉泳銘氏がCEOに就任すると発表した。"},
		index.Article{ID: "2", Title: "京都で学会", Category: "science",
			Published: time.Date(2023, 9, 12, 9, 0, 0, 0, time.UTC),
			Body:      "京都の大学でAIの学会が開かれた。東京都からも研究者が参加した。"},
		index.Article{ID: "3", Title: "東京都の新庁舎", Category: "politics",
			Published: time.Date(2023, 10, 1, 9, 0, 0, 0, time.UTC),
			Body:      "東京都は新しい庁舎の計画を発表した。"},
	)
	if err != nil {
		log.Fatal(err)
	}

	res, err := ix.Search(ctx, index.Request{Query: "京都", Facets: []string{index.FacetCategory}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Total, "hit")
	for _, h := range res.Hits {
		fmt.Println(h.ID, h.Title, h.Snippet.Mark("[", "]"))
	}
	for _, c := range res.Facets[index.FacetCategory] {
		fmt.Println(c.Value, c.Count)
	}

	res, err = ix.Search(ctx, index.Request{Query: "呉泳銘"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Hits[0].Snippet.Mark("[", "]"))
	// Output:
	// 1 hit
	// 2 京都で学会 [京都]の大学でAIの学会が開かれた。東京都からも研究者が参加した。
	// science 1
	// アリババグループは[呉泳銘]氏がCEOに就任すると発表した。
}
