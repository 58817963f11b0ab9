package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// sample is one timed request of the warm latency passes.
type sample struct {
	Engine string
	Pass   int
	Q      int // query number, from 1, in the order of the queries file
	answer
}

func (s sample) failed() bool { return s.Status != 200 || s.Err != "" }

// latencyRun asks every engine every query, passes times after warmup
// untimed passes, alternating the engines query by query (and their order
// pass by pass), so that a slow moment of the machine falls on all of them
// alike.
type latencyRun struct {
	engines []engine
	queries []string
	passes  int
	warmup  int
}

func (r latencyRun) run(c *client, progress io.Writer) ([]sample, error) {
	for w := 0; w < r.warmup; w++ {
		for _, q := range r.queries {
			for _, e := range r.engines {
				if _, err := c.get(e, e.pagePath(q)); err != nil {
					return nil, err
				}
			}
		}
		fmt.Fprintf(progress, "scalebench: warm-up pass %d done\n", w+1)
	}
	var out []sample
	for p := 1; p <= r.passes; p++ {
		order := slices.Clone(r.engines)
		if p%2 == 0 {
			slices.Reverse(order)
		}
		for i, q := range r.queries {
			for _, e := range order {
				a, err := c.get(e, e.pagePath(q))
				if err != nil {
					return nil, err
				}
				out = append(out, sample{Engine: e.Name, Pass: p, Q: i + 1, answer: a})
			}
		}
		fmt.Fprintf(progress, "scalebench: pass %d of %d done\n", p, r.passes)
	}
	return out, nil
}

// writeTSV writes the raw samples: engine, pass, query number, client ms,
// server ms, hits, HTTP status, error, query.
func writeTSV(w io.Writer, queries []string, ss []sample) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "engine\tpass\tq\tclient_ms\tserver_ms\thits\tstatus\terror\tquery")
	for _, s := range ss {
		fmt.Fprintf(bw, "%s\t%d\t%d\t%.3f\t%.3f\t%d\t%d\t%s\t%s\n", s.Engine, s.Pass, s.Q, s.ClientMS, s.ServerMS,
			s.Total, s.Status, oneLine(s.Err), queries[s.Q-1])
	}
	return bw.Flush()
}

// writeBench writes the samples in Go benchmark format, one line per
// sample, for benchstat: BenchmarkWarm/engine=E/q=NNN 1 ns/op server-ns/op.
// Two runs compare with benchstat old.bench new.bench; the engines of one
// run with benchstat -col /engine run.bench.
func writeBench(w io.Writer, ss []sample) error {
	bw := bufio.NewWriter(w)
	for _, s := range ss {
		if s.failed() {
			continue
		}
		fmt.Fprintf(bw, "BenchmarkWarm/engine=%s/q=%03d 1 %.0f ns/op %.0f server-ns/op\n", s.Engine, s.Q, s.ClientMS*1e6, s.ServerMS*1e6)
	}
	return bw.Flush()
}

func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ").Replace(s)
}

// summarize prints, per engine, the percentiles of the client and server
// times over every successful sample, the p99 ratio of the first engine to
// each other, and the slowest queries; it records the figures.
func summarize(w io.Writer, r latencyRun, ss []sample, slowest int, fig figures) []string {
	fmt.Fprintf(w, "%d queries x %d passes (after %d warm-up), engines alternated query by query; ms\n", len(r.queries), r.passes, r.warmup)
	fmt.Fprintf(w, "%-16s %6s %6s %8s %8s %8s %8s %10s %10s\n", "engine", "n", "failed", "p50", "p90", "p99", "max", "server_p50", "server_p99")
	p99 := map[string]float64{}
	var worst []string
	for _, e := range r.engines {
		var cl, sv []float64
		failed := map[int]string{}
		for _, s := range ss {
			if s.Engine != e.Name {
				continue
			}
			if s.failed() {
				failed[s.Q] = fmt.Sprintf("status %d %s", s.Status, s.Err)
				continue
			}
			cl = append(cl, s.ClientMS)
			sv = append(sv, s.ServerMS)
		}
		p99[e.Name] = percentile(cl, 99)
		fmt.Fprintf(w, "%-16s %6d %6d %8.2f %8.2f %8.2f %8.2f %10.2f %10.2f\n", e.Name, len(cl), len(ss)/len(r.engines)-len(cl),
			percentile(cl, 50), percentile(cl, 90), p99[e.Name], slices.Max(append(cl, 0)), percentile(sv, 50), percentile(sv, 99))
		k := e.Name + ".warm."
		fig.set(k+"n", "%d", len(cl))
		fig.set(k+"failed_queries", "%d", len(failed))
		fig.set(k+"p50", "%.3f", percentile(cl, 50))
		fig.set(k+"p90", "%.3f", percentile(cl, 90))
		fig.set(k+"p99", "%.3f", p99[e.Name])
		fig.set(k+"max", "%.3f", slices.Max(append(cl, 0)))
		fig.set(k+"server_p50", "%.3f", percentile(sv, 50))
		fig.set(k+"server_p99", "%.3f", percentile(sv, 99))
		for _, q := range sortedKeys(failed) {
			fmt.Fprintf(w, "  failed: q%03d %s: %s\n", q, r.queries[q-1], failed[q])
		}
	}
	first := r.engines[0].Name
	for _, e := range r.engines[1:] {
		fmt.Fprintf(w, "p99 ratio %s / %s: %.2f\n", first, e.Name, p99[first]/p99[e.Name])
	}
	for _, e := range r.engines {
		type qm struct {
			q    int
			med  float64
			hits int64
		}
		per := map[int][]float64{}
		hits := map[int]int64{}
		for _, s := range ss {
			if s.Engine == e.Name && !s.failed() {
				per[s.Q] = append(per[s.Q], s.ClientMS)
				hits[s.Q] = s.Total
			}
		}
		var all []qm
		for q, xs := range per {
			all = append(all, qm{q, median(xs), hits[q]})
		}
		slices.SortFunc(all, func(a, b qm) int {
			if a.med != b.med {
				if a.med > b.med {
					return -1
				}
				return 1
			}
			return a.q - b.q
		})
		fmt.Fprintf(w, "slowest %d queries of %s (median client ms over the passes, hits):\n", slowest, e.Name)
		for _, x := range all[:min(slowest, len(all))] {
			fmt.Fprintf(w, "  q%03d %8.2f ms %9d hits  %s\n", x.q, x.med, x.hits, r.queries[x.q-1])
			if e.Name == first {
				worst = append(worst, r.queries[x.q-1])
			}
		}
	}
	return worst
}

func sortedKeys[V any](m map[int]V) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func cmdLatency(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("latency", stderr)
	var engines multi
	fs.Var(&engines, "engine", "NAME=http://HOST:PORT, repeated; the first is the one the p99 ratios are of (newsearch)")
	queries := fs.String("queries", "", "the query set, one query a line")
	passes := fs.Int("passes", 5, "timed passes over the query set")
	warmup := fs.Int("warmup", 1, "untimed passes first")
	raw := fs.String("raw", "", "write every sample here (TSV)")
	bench := fs.String("bench", "", "write every sample here in Go benchmark format (benchstat)")
	slowest := fs.Int("slowest", 5, "list the N slowest queries of each engine")
	slowOut := fs.String("slowest-out", "", "write the first engine's slowest queries here, one a line, slowest first")
	figs := fs.String("figures", "", "append the figures to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(engines) == 0 || *queries == "" || *passes < 1 || *warmup < 0 {
		return usage(fs, "give -engine at least once, -queries, -passes >= 1")
	}
	r := latencyRun{passes: *passes, warmup: *warmup}
	for _, s := range engines {
		e, err := parseEngine(s)
		if err != nil {
			return err
		}
		r.engines = append(r.engines, e)
	}
	var err error
	if r.queries, err = readLines(*queries); err != nil {
		return err
	}
	ss, err := r.run(newClient(requestTimeout), stderr)
	if err != nil {
		return err
	}
	if err := writeFile(*raw, func(w io.Writer) error { return writeTSV(w, r.queries, ss) }); err != nil {
		return err
	}
	if err := writeFile(*bench, func(w io.Writer) error { return writeBench(w, ss) }); err != nil {
		return err
	}
	fig := figures{}
	worst := summarize(stdout, r, ss, *slowest, fig)
	if err := writeFile(*slowOut, func(w io.Writer) error {
		for _, q := range worst {
			fmt.Fprintln(w, q)
		}
		return nil
	}); err != nil {
		return err
	}
	return fig.appendTo(*figs)
}

// writeFile writes path with fill; nothing when path is empty.
func writeFile(path string, fill func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
