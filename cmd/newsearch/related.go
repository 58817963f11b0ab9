package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/render"
)

const relatedHelp = `Finds the articles most like the article ID (an ID as newsearch query shows it): more like
this, from the article's most distinctive words and the people and organisations it names,
its near-duplicates left out.

Exit status: 0 ok, 1 error (also an unknown ID), 2 bad flags or arguments.`

func relatedCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:         "related",
		Usage:        "articles related to an article",
		ArgsUsage:    "ID",
		Description:  relatedHelp,
		OnUsageError: commandUsageError,
		Flags: []cli.Flag{
			indexFlag(),
			aliasesFlag(),
			&cli.BoolFlag{Name: "json", Usage: `print one JSON object: {"id", "terms", "entities", "hits": [...]}`},
			&cli.IntFlag{Name: "limit", Aliases: []string{"n"}, Value: 10, Usage: fmt.Sprintf("articles to show (1 to %d)", index.MaxRelated)},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("as in: newsearch related it-life-hack/it-life-hack-6295327.txt", "related takes one article ID, got %d arguments", c.NArg())
			}
			limit := c.Int("limit")
			if limit < 1 || limit > index.MaxRelated {
				return usagef("--limit is how many articles to show", "--limit %d is out of range: use 1 to %d", limit, index.MaxRelated)
			}
			ix, err := openReadOnly(c)
			if err != nil {
				return err
			}
			defer ix.Close()
			if err := useAliasesFile(c, ix); err != nil {
				return err
			}
			res, err := ix.Related(c.Context, c.Args().First(), limit)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return render.JSON(e.stdout, res)
			}
			w := e.stdout
			fmt.Fprintf(w, "%d articles related to %s (%.1f ms)\n", len(res.Hits), res.ID, res.TookMS)
			if len(res.Terms) > 0 {
				fmt.Fprintf(w, "by: %s\n", strings.Join(res.Terms, " "))
			}
			if len(res.Entities) > 0 {
				fmt.Fprintf(w, "and: %s\n", strings.Join(res.Entities, " "))
			}
			for i, h := range res.Hits {
				meta := []string{h.ID}
				if !h.Published.IsZero() {
					meta = append(meta, h.Published.Format("2006-01-02"))
				}
				if h.Category != "" {
					meta = append(meta, h.Category)
				}
				fmt.Fprintf(w, "\n%3d. %s\n     %s\n", i+1, render.Printable(h.Title), render.Printable(strings.Join(meta, "  ")))
			}
			return nil
		},
	}
}
