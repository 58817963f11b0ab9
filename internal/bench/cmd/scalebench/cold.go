package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// A coldEngine answers one query in a process of its own.
type coldEngine struct {
	name string
	cmd  func(q string) *exec.Cmd
	ok   func(stdout []byte) bool
}

// newsearchCold runs newsearch query --json --limit 10 (all facets, snippets:
// the defaults) on the index.
func newsearchCold(bin, dir string) coldEngine {
	return coldEngine{
		name: "newsearch",
		cmd: func(q string) *exec.Cmd {
			return exec.Command(bin, "query", "--index", dir, "--json", "--limit", "10", "--facet", "all", q)
		},
		ok: func(out []byte) bool { return bytes.HasPrefix(out, []byte(`{"query"`)) },
	}
}

// groongaCold runs groonga DB with the page-mode select on its standard
// input, as a new process.
func groongaCold(name, db string) coldEngine {
	return coldEngine{
		name: name,
		cmd: func(q string) *exec.Cmd {
			c := exec.Command("groonga", "--log-path", "/dev/null", "--query-log-path", "/dev/null", db)
			c.Stdin = strings.NewReader("/d/select?" + groongaArgs(q, true).Encode() + "\n")
			return c
		},
		ok: func(out []byte) bool { return bytes.HasPrefix(out, []byte("[[0,")) },
	}
}

// coldSample is one process run: wall time from start to exit, and the
// process's peak resident set.
type coldSample struct {
	engine string
	q      int
	run    int
	ms     float64
	rssKB  int64
}

func runCold(e coldEngine, q string) (float64, int64, error) {
	c := e.cmd(q)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	t := time.Now()
	err := c.Run()
	d := time.Since(t)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %v: %v\n%s", e.name, c.Args, err, errb.Bytes())
	}
	if !e.ok(out.Bytes()) {
		return 0, 0, fmt.Errorf("%s: %v: unexpected answer: %.300s %s", e.name, c.Args, out.Bytes(), errb.Bytes())
	}
	var rss int64
	if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss // kB on Linux
	}
	return ms(d), rss, nil
}

func cmdCold(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cold", stderr)
	bin := fs.String("newsearch", "", "the newsearch binary")
	dir := fs.String("index", "", "the newsearch index")
	var gdbs multi
	fs.Var(&gdbs, "groonga", "NAME=DB: a Groonga database to time beside newsearch, repeated")
	queries := fs.String("queries", "", "the queries, one a line")
	runs := fs.Int("runs", 20, "timed runs per query and engine")
	warmup := fs.Int("warmup", 2, "untimed runs first")
	raw := fs.String("raw", "", "write every run here (TSV)")
	figs := fs.String("figures", "", "append the figures to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *bin == "" || *dir == "" || *queries == "" || *runs < 1 {
		return usage(fs, "give -newsearch, -index, -queries and -runs >= 1")
	}
	engines := []coldEngine{newsearchCold(*bin, *dir)}
	for _, g := range gdbs {
		name, db, ok := strings.Cut(g, "=")
		if !ok || !strings.HasPrefix(name, "groonga") {
			return usage(fs, fmt.Sprintf("-groonga %q: want groonga-NAME=DB", g))
		}
		engines = append(engines, groongaCold(name, db))
	}
	qs, err := readLines(*queries)
	if err != nil {
		return err
	}
	var ss []coldSample
	for qi, q := range qs {
		for r := 1 - *warmup; r <= *runs; r++ {
			order := slices.Clone(engines)
			if r%2 == 0 {
				slices.Reverse(order)
			}
			for _, e := range order {
				d, rss, err := runCold(e, q)
				if err != nil {
					return err
				}
				if r >= 1 {
					ss = append(ss, coldSample{e.name, qi + 1, r, d, rss})
				}
			}
		}
		fmt.Fprintf(stderr, "scalebench: cold query %d of %d done\n", qi+1, len(qs))
	}
	if err := writeFile(*raw, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, "engine\tq\trun\twall_ms\tmaxrss_kB\tquery")
		for _, s := range ss {
			fmt.Fprintf(bw, "%s\t%d\t%d\t%.2f\t%d\t%s\n", s.engine, s.q, s.run, s.ms, s.rssKB, qs[s.q-1])
		}
		return bw.Flush()
	}); err != nil {
		return err
	}
	fig := figures{}
	fmt.Fprintf(stdout, "%d queries x %d runs in new processes (after %d warm-up runs), engines alternated run by run; wall ms from start to exit, peak RSS of the process\n", len(qs), *runs, *warmup)
	fmt.Fprintf(stdout, "%-16s %-5s %8s %8s %8s %9s  %s\n", "engine", "query", "median", "p90", "max", "rss_MB", "")
	for _, e := range engines {
		var all []float64
		var top int64
		for qi, q := range qs {
			var xs []float64
			var rss int64
			for _, s := range ss {
				if s.engine == e.name && s.q == qi+1 {
					xs = append(xs, s.ms)
					rss = max(rss, s.rssKB)
				}
			}
			all = append(all, xs...)
			top = max(top, rss)
			fmt.Fprintf(stdout, "%-16s q%-4d %8.1f %8.1f %8.1f %9.1f  %s\n", e.name, qi+1, median(xs), percentile(xs, 90), slices.Max(xs), float64(rss)/1024, q)
		}
		fmt.Fprintf(stdout, "%-16s %-5s %8.1f %8.1f %8.1f %9.1f\n", e.name, "all", median(all), percentile(all, 90), slices.Max(all), float64(top)/1024)
		k := e.name + ".cold."
		fig.set(k+"median", "%.1f", median(all))
		fig.set(k+"p90", "%.1f", percentile(all, 90))
		fig.set(k+"rss_kb", "%d", top)
		fig.set(k+"runs", "%d", len(all))
	}
	return fig.appendTo(*figs)
}
