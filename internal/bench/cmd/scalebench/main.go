// Command scalebench is the Go side of internal/bench/scale.sh, the scale
// benchmark of issue 11 (newsearch against Groonga at 10k, 100k and 1M
// generated articles): the pieces that are easier in Go than in a shell
// script. Each subcommand prints what it measured and, with -figures FILE,
// appends the figures as key<TAB>value lines, from which `scalebench table`
// makes the results table.
//
//	scalebench latency -engine newsearch=URL -engine groonga-mecab=URL -queries FILE [-passes 5]
//	    warm latency of the search-page request (top 10, facets, snippets)
//	    against running servers, engines alternated query by query; client
//	    time and server time (took_ms, Groonga's elapsed); raw TSV and
//	    benchstat-format samples.
//	scalebench cold -newsearch BIN -index DIR [-groonga groonga-mecab=DB] -queries FILE
//	    the same query in a new process, again and again: wall time, peak RSS.
//	scalebench needle-queries -manifest FILE.needles.json...
//	scalebench needles -manifest ... -newsearch-json FILE [-engine groonga-mecab=URL]
//	    recall and precision of the planted needle words.
//	scalebench visible -url URL -next FILE.jsonl -articles N [-manifest ...] [-since NS]
//	    how long after an add a running newsearch serve answers with it.
//	scalebench profile -index DIR -query Q -cpuprofile FILE
//	    a CPU profile of one query searched again and again in process.
//	scalebench textsize FILE.jsonl | freeport | wait -url URL | paths -kind K -queries FILE
//	scalebench wrk -engine NAME WRK_OUTPUT | table FIGURES
//
// Not run by go test: scale.sh builds and runs it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// requestTimeout bounds one HTTP request of the benchmark.
const requestTimeout = 2 * time.Minute

var commands = map[string]func(args []string, stdout, stderr io.Writer) error{
	"latency":        cmdLatency,
	"cold":           cmdCold,
	"needle-queries": cmdNeedleQueries,
	"needles":        cmdNeedles,
	"visible":        cmdVisible,
	"profile":        cmdProfile,
	"textsize":       cmdTextSize,
	"freeport":       cmdFreePort,
	"wait":           cmdWait,
	"paths":          cmdPaths,
	"wrk":            cmdWrk,
	"table":          cmdTable,
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "scalebench: error:", err)
		}
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || commands[args[0]] == nil {
		names := make([]string, 0, len(commands))
		for n := range commands {
			names = append(names, n)
		}
		slices.Sort(names)
		return fmt.Errorf("want a subcommand: %s (see the doc comment of internal/bench/cmd/scalebench)", strings.Join(names, ", "))
	}
	return commands[args[0]](args[1:], stdout, stderr)
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("scalebench "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// usage prints the flags and returns what was wrong.
func usage(fs *flag.FlagSet, msg string) error {
	fs.Usage()
	return fmt.Errorf("%s: %s", fs.Name(), msg)
}
