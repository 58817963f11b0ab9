package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// A row of the results table: a label, the cell of each engine, and the
// target of issue 11 at 1M articles.
type row struct {
	label  string
	cell   func(f figures, e string) string
	target string
}

// num reads a figure as a number; ok is false when it is missing or not a
// number.
func num(f figures, key string) (float64, bool) {
	v, err := strconv.ParseFloat(f[key], 64)
	return v, err == nil
}

// show formats figure key scaled by div with format, "-" when missing; a
// figure that is not a number is shown as it is.
func show(f figures, key, format string, div float64) string {
	if v, ok := num(f, key); ok {
		return fmt.Sprintf(format, v/div)
	}
	if s := f[key]; s != "" {
		return s
	}
	return "-"
}

// join shows several figures with a slash between.
func join(f figures, e, format string, div float64, keys ...string) string {
	var parts []string
	all := "-"
	for _, k := range keys {
		s := show(f, e+"."+k, format, div)
		if s != "-" {
			all = ""
		}
		parts = append(parts, s)
	}
	if all == "-" {
		return "-"
	}
	return strings.Join(parts, " / ")
}

func fig(key, format string, div float64) func(figures, string) string {
	return func(f figures, e string) string { return show(f, e+"."+key, format, div) }
}

func rows() []row {
	return []row{
		{"shards", fig("shards", "%.0f", 1), ""},
		{"build: wall s", fig("build.wall_s", "%.1f", 1), "≤ 3600, ≤ 2.5× Groonga MeCab"},
		{"build: × Groonga MeCab wall", func(f figures, e string) string {
			a, ok1 := num(f, e+".build.wall_s")
			b, ok2 := num(f, "groonga-mecab.build.wall_s")
			if !ok1 || !ok2 || e == "groonga-mecab" {
				return "-"
			}
			return fmt.Sprintf("%.2f", a/b)
		}, "≤ 2.5"},
		{"build: × Groonga MeCab CPU", func(f figures, e string) string {
			a, ok1 := num(f, e+".build.cpu_s")
			b, ok2 := num(f, "groonga-mecab.build.cpu_s")
			if !ok1 || !ok2 || e == "groonga-mecab" {
				return "-"
			}
			return fmt.Sprintf("%.2f", a/b)
		}, ""},
		{"build: articles/s", func(f figures, e string) string {
			n, ok1 := num(f, "corpus.articles")
			w, ok2 := num(f, e+".build.wall_s")
			if !ok1 || !ok2 || w == 0 {
				return "-"
			}
			return fmt.Sprintf("%.0f", n/w)
		}, ""},
		{"build: CPU s (user+sys)", fig("build.cpu_s", "%.1f", 1), ""},
		{"build: peak RSS MB", fig("build.rss_kb", "%.0f", 1024), "≤ 2048"},
		{"index on disk MB (du)", fig("build.size_bytes", "%.1f", 1e6), ""},
		{"index on disk / title+body", func(f figures, e string) string {
			a, ok1 := num(f, e+".build.size_bytes")
			b, ok2 := num(f, "corpus.text_bytes")
			if !ok1 || !ok2 {
				return "-"
			}
			return fmt.Sprintf("%.2f", a/b)
		}, "≤ 3"},
		{"add 1,000: wall s", fig("add.wall_s", "%.2f", 1), "≤ 30"},
		{"add 1,000: peak RSS MB", fig("add.rss_kb", "%.0f", 1024), ""},
		{"add 1,000: in serve after ms", fig("add.visible_ms", "%.0f", 1), "≤ 2000"},
		{"warm p50 / p90 ms", func(f figures, e string) string { return join(f, e, "%.2f", 1, "warm.p50", "warm.p90") }, "p50 ≤ 10"},
		{"warm p99 / max ms", func(f figures, e string) string { return join(f, e, "%.2f", 1, "warm.p99", "warm.max") }, "p99 ≤ 100"},
		{"warm p99 newsearch / this", func(f figures, e string) string {
			a, ok1 := num(f, "newsearch.warm.p99")
			b, ok2 := num(f, e+".warm.p99")
			if !ok1 || !ok2 || e == "newsearch" {
				return "-"
			}
			return fmt.Sprintf("%.2f", a/b)
		}, "≤ 2"},
		{"warm server p50 / p99 ms", func(f figures, e string) string { return join(f, e, "%.2f", 1, "warm.server_p50", "warm.server_p99") }, ""},
		{"warm: queries failed", fig("warm.failed_queries", "%.0f", 1), ""},
		{"new process: median / p90 ms", func(f figures, e string) string { return join(f, e, "%.0f", 1, "cold.median", "cold.p90") }, "≤ 300"},
		{"new process: peak RSS MB", fig("cold.rss_kb", "%.0f", 1024), ""},
		{"16 conns: requests/s", fig("wrk.rps", "%.1f", 1), ""},
		{"16 conns: p50 / p90 / p99 ms", func(f figures, e string) string { return join(f, e, "%.1f", 1, "wrk.p50", "wrk.p90", "wrk.p99") }, ""},
		{"16 conns: non-2xx", fig("wrk.non2xx", "%.0f", 1), ""},
		{"16 conns: server peak RSS MB", fig("wrk.rss_kb", "%.0f", 1024), "≤ 1536"},
		{"server peak RSS, whole run MB", fig("serve.rss_kb", "%.0f", 1024), ""},
		{"needles: recall / precision", func(f figures, e string) string { return join(f, e, "%.4f", 1, "needles.recall", "needles.precision") }, "1 / 1"},
		{"needles: exact", fig("needles.exact", "%s", 1), ""},
	}
}

// engines lists the engines the figures have, newsearch first.
func (f figures) engines() []string {
	seen := map[string]bool{}
	for k := range f {
		if e, _, ok := strings.Cut(k, "."); ok && e != "corpus" && e != "run" {
			seen[e] = true
		}
	}
	var out []string
	for e := range seen {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b string) int {
		if (a == "newsearch") != (b == "newsearch") {
			if a == "newsearch" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}

// writeTable prints the results table in Markdown.
func writeTable(w io.Writer, f figures) {
	es := f.engines()
	fmt.Fprintf(w, "| figure | %s | target at 1M (issue 11) |\n", strings.Join(es, " | "))
	fmt.Fprintf(w, "|---|%s---|\n", strings.Repeat("---|", len(es)))
	for _, r := range rows() {
		cells := make([]string, len(es))
		any := false
		for i, e := range es {
			cells[i] = r.cell(f, e)
			any = any || cells[i] != "-"
		}
		if !any {
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", r.label, strings.Join(cells, " | "), r.target)
	}
}

func cmdTable(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("table", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usage(fs, "give the figures file")
	}
	f, err := readFigures(fs.Arg(0))
	if err != nil {
		return err
	}
	writeTable(stdout, f)
	return nil
}
