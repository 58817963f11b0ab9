package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/render"
)

// tokenJSON is one token of newsearch analyze --json.
type tokenJSON struct {
	Analyzer string `json:"analyzer"` // word or gram
	Term     string `json:"term"`
	Surface  string `json:"surface"` // the text as written: TEXT[start:end]
	Start    int    `json:"start"`   // byte offset into TEXT
	End      int    `json:"end"`
	Position int    `json:"position"`
	Kind     string `json:"kind"`
	POS      string `json:"pos,omitempty"`
}

func analyzeCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "analyze",
		Usage:     "show how text is analysed: each token's term, surface, byte offsets, position and part of speech",
		ArgsUsage: "TEXT (or on stdin)",
		Description: `Both analyses are shown: "word" (kagome morphology: what ranks exact words) and "gram" (bigrams
that carry word-boundary marks: < before, > after; what decides whether an article matches).
Offsets are bytes of TEXT as given. With an index at --index, its analysis settings are used.

Exit status: 0 ok, 1 error (a user dictionary that cannot be read), 2 bad flags or arguments.`,
		OnUsageError: commandUsageError,
		Flags: []cli.Flag{
			indexFlag(),
			&cli.StringFlag{Name: "analyzer", Value: "both", Usage: "word, gram or both"},
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array of tokens"},
			&cli.StringFlag{Name: "mode", Usage: "kagome segmentation: normal or search (default: the index's, else normal)"},
			&cli.StringFlag{Name: "user-dict", Usage: "user dictionary `FILE` (kagome CSV)"},
		},
		Action: func(c *cli.Context) error {
			which := c.String("analyzer")
			if which != "word" && which != "gram" && which != "both" {
				return usagef("--analyzer is word, gram or both", "unknown analyzer %q", which)
			}
			an, err := analyzerFor(c)
			if err != nil {
				return err
			}
			text, err := argsText(c, e)
			if err != nil {
				return err
			}
			var toks []tokenJSON
			add := func(name string, ts []analyzer.Token) {
				for _, t := range ts {
					toks = append(toks, tokenJSON{Analyzer: name, Term: t.Term, Surface: text[t.Start:t.End],
						Start: t.Start, End: t.End, Position: t.Position, Kind: t.Kind.String(), POS: t.POS})
				}
			}
			r := an.Analyze(text)
			if which != "gram" {
				add("word", r.Words)
			}
			if which != "word" {
				add("gram", r.Grams)
			}
			if c.Bool("json") {
				if toks == nil {
					toks = []tokenJSON{}
				}
				return render.JSON(e.stdout, toks)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
			last := ""
			for _, t := range toks {
				if t.Analyzer != last {
					if last != "" {
						fmt.Fprintln(tw)
					}
					fmt.Fprintf(tw, "%s analysis (%s; dictionary %s)\n", t.Analyzer, an.Config(), analyzer.DictionarySource())
					fmt.Fprintln(tw, "position\tstart\tend\tterm\tsurface\tkind / part of speech")
					last = t.Analyzer
				}
				info := t.Kind
				if t.POS != "" {
					info = t.POS
				}
				fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\t%s\n", t.Position, t.Start, t.End, t.Term, t.Surface, info)
			}
			if len(toks) == 0 {
				fmt.Fprintln(tw, "no tokens: the text has nothing to index (empty, symbols or particles only)")
			}
			return tw.Flush()
		},
	}
}

// analyzerFor returns the analyzer the flags ask for, or the index's.
func analyzerFor(c *cli.Context) (*analyzer.Analyzer, error) {
	if c.String("mode") == "" && c.String("user-dict") == "" {
		if _, err := os.Stat(c.String("index")); err == nil {
			ix, err := index.Open(c.String("index"), index.ReadOnly())
			if err == nil {
				defer ix.Close()
				return ix.Analyzer(), nil
			}
		}
		return analyzer.Default(), nil
	}
	var opts []analyzer.Option
	if m := c.String("mode"); m != "" {
		mode, err := analyzer.ParseMode(m)
		if err != nil {
			return nil, usagef("--mode is normal or search", "%v", err)
		}
		opts = append(opts, analyzer.WithMode(mode))
	}
	if p := c.String("user-dict"); p != "" {
		u, err := analyzer.ReadUserDictFile(p)
		if err != nil {
			return nil, err
		}
		opts = append(opts, analyzer.WithUserDict(u))
	}
	return analyzer.New(opts...)
}
