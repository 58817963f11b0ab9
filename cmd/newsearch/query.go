package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

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
segmentation has the query's words) first. A query is at most 1000 characters and 64 words,
phrases and filters; dates can be searched from 1678 to 2261.

With --limit 0 it prints the count and the facets only. When nothing matches as written and a word
looks mistyped, it says "did you mean" with the word the articles have.

Exit status: 0 ok (also when nothing matches), 1 error (also when interrupted, or when a search
fails inside the index), 2 bad flags or a bad query (syntax, date, over the limits; with
--queries-from: any line), 3 with --queries-from: some queries failed for another reason.`

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
			&cli.IntFlag{Name: "limit", Aliases: []string{"n"}, Value: 10, Usage: "hits to show (0 to 1000000; 0: the count and the facets only)"},
			&cli.IntFlag{Name: "offset", Usage: "hits to skip (0 to 1000000000)"},
			&cli.IntFlag{Name: "page", Usage: "page of --limit hits, from 1 (instead of --offset)"},
			&cli.StringFlag{Name: "sort", Value: "relevance", Usage: "relevance, date (oldest first) or -date (newest first)"},
			&cli.StringFlag{Name: "since", Usage: "published on or after `DATE` (2012-02-20, 2012-02, 2012)"},
			&cli.StringFlag{Name: "until", Usage: "published on or before `DATE`"},
			&cli.StringSliceFlag{Name: "facet", Usage: "facets to count: category, source, tag, month, person, org, all or none (default all)"},
			&cli.IntFlag{Name: "facet-size", Value: 10, Usage: "values shown per facet (1 to 100000)"},
			&cli.BoolFlag{Name: "explain", Usage: "show how the query was analysed and how each hit matched"},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "highlight matches: auto, always or never (NO_COLOR is respected)"},
			&cli.BoolFlag{Name: "no-collapse", Usage: "show every near-duplicate (by default one of each cluster, with the others counted)"},
			aliasesFlag(),
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "with --explain: where the dictionary was loaded from"},
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
			if err := useAliasesFile(c, ix); err != nil {
				ix.Close()
				return err
			}
			s := &searcher{ix: ix}
			defer s.close()
			if from != "" {
				return runQueries(c, e, s, req, from)
			}
			req.Query = strings.Join(c.Args().Slice(), " ")
			res, err := s.search(c.Context, req)
			if err != nil {
				return err
			}
			countOnly(req, res)
			var fix *index.Correction
			if (res.Total == 0 || res.Relaxed) && req.Query != "" {
				fix, _ = ix.Correct(c.Context, req.Query) // a suggestion only: no error for it
			}
			names := categoryNames(c, e)
			if c.Bool("json") {
				out := jsonOf(c, res)
				out.Correction = fix
				out.CategoryNames = render.NamesOf(names, res)
				return render.JSON(e.stdout, out)
			}
			style := textStyle(c, e, req)
			style.CategoryNames = names
			render.Text(e.stdout, res, req.Offset, req.Sort.String(), style)
			if fix != nil {
				fmt.Fprintf(e.stdout, "\ndid you mean: %s\n", fix.Query)
			}
			return nil
		},
	}
}

// textStyle is how the query flags and the terminal want results printed.
func textStyle(c *cli.Context, e *env, req index.Request) render.Style {
	st := render.Style{
		Color:     render.ColorWanted(c.String("color"), isTerminal(e.stdout)),
		Explain:   c.Bool("explain"),
		Width:     terminalWidth(e.stdout),
		CountOnly: req.NoSnippets,
	}
	if c.Bool("verbose") {
		st.Dictionary = analyzer.DictionarySource()
	}
	return st
}

// categoryNames reads the display names of the index's categories; a file
// of names that cannot be read is said on stderr, and the search goes on.
func categoryNames(c *cli.Context, e *env) map[string]string {
	names, err := index.CategoryNames(c.String("index"))
	if err != nil {
		fmt.Fprintf(e.stderr, "newsearch: category names: %v\n", err)
	}
	return names
}

// countOnly drops the hit a --limit 0 search was given (see
// queryRequest): the count and the facets are the answer.
func countOnly(req index.Request, res *index.Result) {
	if req.NoSnippets {
		res.Hits = res.Hits[:0]
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

// Bounds of the query flags.
const (
	maxLimit     = index.MaxLimit
	maxOffset    = index.MaxOffset
	maxFacetSize = 100_000
)

// queryRequest reads the flags that shape a search.
func queryRequest(c *cli.Context) (index.Request, error) {
	var req index.Request
	var err error
	if req.Sort, err = index.ParseSort(c.String("sort")); err != nil {
		return req, usagef("--sort is relevance, date or -date", "%v", err)
	}
	req.Limit = c.Int("limit")
	if req.Limit < 0 || req.Limit > maxLimit {
		return req, usagef("--limit is how many hits to show (0: the count and the facets only)", "--limit %d is out of range: use 0 to %d", req.Limit, maxLimit)
	}
	if req.Limit == 0 {
		if c.IsSet("offset") || c.IsSet("page") {
			return req, usagef("--limit 0 shows no hits to page through", "give --limit 0 without --offset or --page")
		}
		// the library's Limit 0 means its default: ask for one hit without
		// a snippet, and leave it out (countOnly)
		req.Limit, req.NoSnippets = 1, true
	}
	if c.IsSet("offset") && c.IsSet("page") {
		return req, usagef("--page N is --offset (N-1)×--limit", "give --offset or --page, not both")
	}
	req.Offset = c.Int("offset")
	if req.Offset < 0 || req.Offset > maxOffset {
		return req, usagef("--offset is how many hits to skip", "--offset %d is out of range: use 0 to %d", req.Offset, maxOffset)
	}
	if c.IsSet("page") {
		p, last := c.Int("page"), maxOffset/req.Limit+1
		if p < 1 || p > last {
			return req, usagef("pages of --limit hits count from 1", "--page %d is out of range: with --limit %d, use 1 to %d", p, req.Limit, last)
		}
		req.Offset = (p - 1) * req.Limit
	}
	if s := c.String("since"); s != "" {
		if req.Since, err = qparse.ParseSince(s); err != nil {
			return req, usagef("as in --since 2012-02-20", "--since: %v", err)
		}
	}
	if s := c.String("until"); s != "" {
		if req.Until, err = qparse.ParseUntil(s); err != nil {
			return req, usagef("as in --until 2012-03", "--until: %v", err)
		}
	}
	req.FacetSize = c.Int("facet-size")
	if req.FacetSize < 1 || req.FacetSize > maxFacetSize {
		return req, usagef("--facet-size is how many values of each facet to show", "--facet-size %d is out of range: use 1 to %d", req.FacetSize, maxFacetSize)
	}
	req.Explain = c.Bool("explain")
	req.NoCollapse = c.Bool("no-collapse")
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

// maxQueryLine bounds a line of --queries-from, in bytes: the longest
// query, qparse.MaxRunes characters of up to 4 bytes. A longer line is
// reported, and not kept in memory.
const maxQueryLine = qparse.MaxRunes * utf8.UTFMax

// runQueries runs one query per line of a file in this one process. A
// query that fails is reported with the file and line, and the others run;
// a panic or an interruption stops the run.
func runQueries(c *cli.Context, e *env, s *searcher, req index.Request, from string) error {
	in, name := e.stdin, "stdin"
	if from != "-" {
		f, err := os.Open(from)
		if err != nil {
			return usagef("give a file with one query per line", "--queries-from: %v", err)
		}
		defer f.Close()
		in, name = f, from
	}
	r := bufio.NewReader(in)
	badQueries, failed := 0, 0
	style := textStyle(c, e, req)
	style.CategoryNames = categoryNames(c, e)
	for n := 1; ; n++ {
		line, size, err := readLine(r, maxQueryLine)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("--queries-from %s: line %d: %w", name, n, err)
		}
		q := string(line)
		tooLong := size > maxQueryLine
		if !tooLong && strings.TrimSpace(q) == "" {
			continue
		}
		start := time.Now()
		var res *index.Result
		if tooLong {
			q = string([]rune(q)[:40]) + "…"
			err = fmt.Errorf("the line is %d bytes long; a query is at most %d characters", size, qparse.MaxRunes)
		} else {
			rq := req
			rq.Query = q
			res, err = s.search(c.Context, rq)
		}
		var sp *searchPanic
		switch {
		case errors.Is(err, errQueryInterrupted), errors.As(err, &sp):
			return fmt.Errorf("%s:%d: %w", name, n, err)
		case err != nil:
			var se *qparse.Error
			if errors.As(err, &se) || tooLong {
				badQueries++
			} else {
				failed++
			}
			if c.Bool("json") {
				je := render.ErrorOf(err)
				if tooLong {
					je = render.Error{Code: render.CodeSyntax, Reason: string(qparse.CodeTooLong), Column: qparse.MaxRunes + 1, Message: err.Error()}
				}
				if err := render.JSON(e.stdout, map[string]any{"query": q, "line": n, "error": je, "took_ms": float64(time.Since(start).Microseconds()) / 1000}); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(e.stderr, "newsearch: %s:%d: %v\n", name, n, err)
			}
			continue
		}
		countOnly(req, res)
		if c.Bool("json") {
			out := jsonOf(c, res)
			out.CategoryNames = render.NamesOf(style.CategoryNames, res)
			if err := render.JSON(e.stdout, out); err != nil {
				return err
			}
			continue
		}
		render.Text(e.stdout, res, req.Offset, req.Sort.String(), style)
		fmt.Fprintln(e.stdout)
	}
	switch {
	case badQueries > 0:
		e.status = exitUsage
	case failed > 0:
		e.status = exitPartial
	}
	return nil
}

// readLine reads a line of r and returns at most limit bytes of it and
// its size in bytes, both without the line end ("\n" or "\r\n"): a longer
// line is read to its end but not kept. It returns io.EOF when there are no
// more lines.
func readLine(r *bufio.Reader, limit int) (line []byte, size int, err error) {
	var prev byte // the byte before the chunk
	for {
		chunk, err := r.ReadSlice('\n')
		if room := limit - len(line); room > 0 {
			line = append(line, chunk[:min(len(chunk), room)]...)
		}
		size += len(chunk)
		switch {
		case err == bufio.ErrBufferFull:
			prev = chunk[len(chunk)-1]
			continue
		case err == io.EOF && size > 0:
			return line, size, nil // the last line, without an end
		case err != nil:
			return nil, 0, err
		}
		// the chunk ends with \n
		size--
		if len(chunk) >= 2 && chunk[len(chunk)-2] == '\r' || len(chunk) == 1 && prev == '\r' {
			size--
		}
		return bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r")), size, nil
	}
}
