package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/render"
)

func statsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:         "stats",
		Usage:        "what the index holds: articles, categories, sources, dates, size, analysis",
		Description:  "Exit status: 0 ok, 1 error (no index, or one that cannot be read), 2 bad flags or arguments.",
		OnUsageError: commandUsageError,
		Flags: []cli.Flag{
			indexFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("as in: newsearch stats --index ./newsearch-index", "stats takes no arguments, got %q", c.Args().First())
			}
			ix, err := openReadOnly(c)
			if err != nil {
				return err
			}
			defer ix.Close()
			st, err := ix.Stats(c.Context)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return render.JSON(e.stdout, st)
			}
			w := e.stdout
			fmt.Fprintf(w, "index:      %s (%s)\n", st.Dir, st.Generation)
			fmt.Fprintf(w, "articles:   %d\n", st.Articles)
			if !st.FirstPublished.IsZero() {
				fmt.Fprintf(w, "published:  %s to %s\n", st.FirstPublished.Format("2006-01-02"), st.LastPublished.Format("2006-01-02"))
			}
			fmt.Fprintf(w, "size:       %.1f MiB on disk\n", float64(st.SizeBytes)/(1<<20))
			fmt.Fprintf(w, "analysis:   %s\n", st.Analysis)
			for _, g := range []struct {
				name   string
				counts []index.Count
			}{{"categories", st.Categories}, {"sources", st.Sources}} {
				if len(g.counts) == 0 {
					continue
				}
				fmt.Fprintf(w, "%s:\n", g.name)
				for _, x := range g.counts {
					fmt.Fprintf(w, "  %-24s %d\n", x.Value, x.Count)
				}
			}
			return nil
		},
	}
}
