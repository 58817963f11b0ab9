package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/index/qparse"
	"github.com/newsearch/newsearch/internal/render"
)

const queryHelp = `Finds the articles that contain the words of QUERY as words: 京都 finds 京都 but not 東京都,
and finds a name however the dictionary cut it (呉|泳|銘). Spelling variants match each other
(サーバー/サーバ, ＡＩ/AI, ｽﾏﾎ/スマホ).

  ダルビッシュ レンジャーズ     both words (AND)
  Windows 7                   letters and digits in a row are one phrase (the space is optional)
  "日本 代表"                  a phrase
  iPad OR iPhone              either
  京都 -東京                   exclude a word
  (iPad OR iPhone) 電子書籍    grouping
  title:決算  body:決算        only in the title / body
  category:it-life-hack       also source:, tag:, person:, org:
  since:2012-01 until:2012-03-31 date:2012-02 date:2011..2012

Hits are ranked by BM25, with title matches and exact-word matches (the article's own
segmentation has the query's words) first.`

func queryCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:         "query",
		Aliases:      []string{"q", "search"},
		Usage:        "search the index",
		ArgsUsage:    "QUERY",
		Description:  queryHelp,
		OnUsageError: commandUsageError,
		Flags: []cli.Flag{
			indexFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object (with --queries-from: one per line)"},
			&cli.StringFlag{Name: "queries-from", Usage: "run each line of `FILE` as a query (- for stdin)"},
			&cli.IntFlag{Name: "limit", Aliases: []string{"n"}, Value: 10, Usage: "hits to show (up to 1000000)"},
			&cli.IntFlag{Name: "offset", Usage: "hits to skip"},
			&cli.IntFlag{Name: "page", Usage: "page of --limit hits, from 1 (instead of --offset)"},
			&cli.StringFlag{Name: "sort", Value: "relevance", Usage: "relevance, date (oldest first) or -date (newest first)"},
			&cli.StringFlag{Name: "since", Usage: "published on or after `DATE` (2012-02-20, 2012-02, 2012)"},
			&cli.StringFlag{Name: "until", Usage: "published on or before `DATE`"},
			&cli.StringSliceFlag{Name: "facet", Usage: "facets to count: category, source, tag, month, person, org, all or none (default all)"},
			&cli.IntFlag{Name: "facet-size", Value: 10, Usage: "values shown per facet"},
			&cli.BoolFlag{Name: "explain", Usage: "show how the query was analysed and how each hit matched"},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "highlight matches: auto, always or never (NO_COLOR is respected)"},
		},
		Action: func(c *cli.Context) error {
			req, err := queryRequest(c)
			if err != nil {
				return err
			}
			from := c.String("queries-from")
			if from == "" && c.NArg() == 0 {
				return usagef(`as in: newsearch query 呉泳銘`, "no query given")
			}
			ix, err := openReadOnly(c)
			if err != nil {
				return err
			}
			defer ix.Close()
			if from != "" {
				return runQueries(c, e, ix, req, from)
			}
			req.Query = strings.Join(c.Args().Slice(), " ")
			res, err := ix.Search(c.Context, req)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return render.JSON(e.stdout, jsonOf(c, res))
			}
			render.Text(e.stdout, res, req.Offset, req.Sort.String(), render.Style{
				Color:      render.ColorWanted(c.String("color"), isTerminal(e.stdout)),
				Explain:    c.Bool("explain"),
				Dictionary: analyzer.DictionarySource(),
			})
			return nil
		},
	}
}

func jsonOf(c *cli.Context, res *index.Result) render.QueryJSON {
	out := render.QueryJSON{Result: res}
	if c.Bool("explain") {
		out.Explain = res.Terms
	}
	if out.Facets == nil {
		out.Facets = map[string][]index.Count{}
	}
	return out
}

// queryRequest reads the flags that shape a search.
func queryRequest(c *cli.Context) (index.Request, error) {
	var req index.Request
	var err error
	if req.Sort, err = index.ParseSort(c.String("sort")); err != nil {
		return req, usagef("--sort is relevance, date or -date", "%v", err)
	}
	req.Limit = c.Int("limit")
	if req.Limit < 1 || req.Limit > 1_000_000 {
		return req, usagef("use 1 to 1000000", "--limit %d is out of range", req.Limit)
	}
	req.Offset = c.Int("offset")
	if p := c.Int("page"); p != 0 {
		if p < 1 {
			return req, usagef("pages count from 1", "--page %d is out of range", p)
		}
		req.Offset = (p - 1) * req.Limit
	}
	if req.Offset < 0 {
		return req, usagef("use 0 or more", "--offset %d is out of range", req.Offset)
	}
	if s := c.String("since"); s != "" {
		if req.Since, _, err = qparse.ParseDateRange(s); err != nil {
			return req, usagef("as in --since 2012-02-20", "--since: %v", err)
		}
	}
	if s := c.String("until"); s != "" {
		if _, req.Until, err = qparse.ParseDateRange(s); err != nil {
			return req, usagef("as in --until 2012-03", "--until: %v", err)
		}
	}
	req.FacetSize = c.Int("facet-size")
	req.Explain = c.Bool("explain")
	if req.Facets, err = index.ParseFacets(c.StringSlice("facet")); err != nil {
		return req, usagef("--facet takes "+strings.Join(index.AllFacets, ", ")+", all or none", "%v", err)
	}
	switch c.String("color") {
	case "auto", "always", "never":
	default:
		return req, usagef("--color is auto, always or never", "--color %q", c.String("color"))
	}
	return req, nil
}

// runQueries runs one query per line of a file in this one process.
func runQueries(c *cli.Context, e *env, ix *index.Index, req index.Request, from string) error {
	in := e.stdin
	if from != "-" {
		f, err := os.Open(from)
		if err != nil {
			return usagef("give a file with one query per line", "--queries-from: %v", err)
		}
		defer f.Close()
		in = f
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	failed := 0
	style := render.Style{Color: render.ColorWanted(c.String("color"), isTerminal(e.stdout)), Explain: c.Bool("explain")}
	for sc.Scan() {
		q := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(q) == "" {
			continue
		}
		r := req
		r.Query = q
		start := time.Now()
		res, err := ix.Search(c.Context, r)
		if err != nil {
			failed++
			if c.Bool("json") {
				if err := render.JSON(e.stdout, map[string]any{"query": q, "error": err.Error(), "took_ms": float64(time.Since(start).Microseconds()) / 1000}); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(e.stderr, "newsearch: query %q: %v\n", q, err)
			}
			continue
		}
		if c.Bool("json") {
			if err := render.JSON(e.stdout, jsonOf(c, res)); err != nil {
				return err
			}
			continue
		}
		render.Text(e.stdout, res, r.Offset, r.Sort.String(), style)
		fmt.Fprintln(e.stdout)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if failed > 0 {
		e.status = exitPartial
	}
	return nil
}
