package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-runewidth"

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
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "say where the dictionary was loaded from"},
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
			var t table
			last := ""
			for _, tok := range toks {
				if tok.Analyzer != last {
					if last != "" {
						t.flush(e.stdout)
						fmt.Fprintln(e.stdout)
					}
					head := fmt.Sprintf("%s analysis (%s", tok.Analyzer, an.Config())
					if c.Bool("verbose") {
						head += "; dictionary " + analyzer.DictionarySource()
					}
					fmt.Fprintln(e.stdout, head+")")
					t.row("position", "start", "end", "term", "surface", "kind / part of speech")
					last = tok.Analyzer
				}
				info := tok.Kind
				if tok.POS != "" {
					info = tok.POS
				}
				t.row(fmt.Sprint(tok.Position), fmt.Sprint(tok.Start), fmt.Sprint(tok.End), render.Printable(tok.Term), render.Printable(tok.Surface), info)
			}
			t.flush(e.stdout)
			if len(toks) == 0 {
				fmt.Fprintln(e.stdout, "no tokens: the text has nothing to index (empty, symbols or particles only)")
			}
			return nil
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

// table lays out rows in columns by display width: a kanji takes two
// columns of a terminal (East Asian Width, go-runewidth), which
// text/tabwriter, counting characters, does not know.
type table struct{ rows [][]string }

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// flush writes the rows, two spaces between columns, and forgets them.
func (t *table) flush(w io.Writer) {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-runewidth.StringWidth(c)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
	t.rows = nil
}
