package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// manifest maps each needle word to the IDs of the articles that carry it
// (gencorpus writes one beside each file: FILE.needles.json).
type manifest map[string][]string

// readManifests reads and merges manifests: the IDs of a word are the union
// of its lists, sorted.
func readManifests(paths []string) (manifest, error) {
	m := manifest{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var one manifest
		if err := json.Unmarshal(data, &one); err != nil {
			return nil, fmt.Errorf("%s: not a needles manifest (word -> IDs): %w", p, err)
		}
		for w, ids := range one {
			m[w] = append(m[w], ids...)
		}
	}
	for w, ids := range m {
		slices.Sort(ids)
		m[w] = slices.Compact(ids)
	}
	return m, nil
}

func (m manifest) words() []string {
	ws := make([]string, 0, len(m))
	for w := range m {
		ws = append(ws, w)
	}
	slices.Sort(ws)
	return ws
}

// needleQuery is the query a needle is searched with: the word as a
// phrase, as groonga.sh searches it.
func needleQuery(w string) string { return `"` + w + `"` }

// score compares what an engine found for a needle with what the manifest
// lists.
type score struct {
	listed, found, hit int
	missing, extra     []string
}

func compare(want, got []string) score {
	g := map[string]bool{}
	for _, id := range got {
		g[id] = true
	}
	s := score{listed: len(want), found: len(g)}
	w := map[string]bool{}
	for _, id := range want {
		w[id] = true
		if g[id] {
			s.hit++
		} else {
			s.missing = append(s.missing, id)
		}
	}
	for id := range g {
		if !w[id] {
			s.extra = append(s.extra, id)
		}
	}
	slices.Sort(s.extra)
	return s
}

// readNewsearchJSON reads the output of newsearch query --json
// --queries-from: one object a line, in the order of the queries.
func readNewsearchJSON(path string, queries []string) (map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	out := map[string][]string{}
	for i := 0; sc.Scan(); i++ {
		var r struct {
			Query string `json:"query"`
			Error string `json:"error"`
			Hits  []struct {
				ID string `json:"id"`
			} `json:"hits"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", path, i+1, err)
		}
		if i >= len(queries) || r.Query != queries[i] {
			return nil, fmt.Errorf("%s: line %d answers %q, want %q (one line per query, in order)", path, i+1, r.Query, queries[min(i, len(queries)-1)])
		}
		if r.Error != "" {
			return nil, fmt.Errorf("%s: query %s: %s", path, r.Query, r.Error)
		}
		ids := []string{}
		for _, h := range r.Hits {
			ids = append(ids, h.ID)
		}
		out[r.Query] = ids
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) != len(queries) {
		return nil, fmt.Errorf("%s: %d answers for %d queries", path, len(out), len(queries))
	}
	return out, nil
}

func cmdNeedleQueries(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("needle-queries", stderr)
	var mans multi
	fs.Var(&mans, "manifest", "FILE.needles.json, repeated (merged)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, err := readManifests(mans)
	if err != nil {
		return err
	}
	for _, w := range m.words() {
		fmt.Fprintln(stdout, needleQuery(w))
	}
	return nil
}

func cmdNeedles(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("needles", stderr)
	var mans, engines multi
	fs.Var(&mans, "manifest", "FILE.needles.json, repeated (merged: the articles of every file indexed)")
	nsJSON := fs.String("newsearch-json", "", "the output of newsearch query --json --limit 1000000 --facet none --queries-from (the lines of scalebench needle-queries)")
	fs.Var(&engines, "engine", "NAME=URL of a Groonga server to ask too, repeated")
	raw := fs.String("raw", "", "write each needle's comparison here (TSV)")
	figs := fs.String("figures", "", "append the figures to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(mans) == 0 || *nsJSON == "" {
		return usage(fs, "give -manifest and -newsearch-json")
	}
	m, err := readManifests(mans)
	if err != nil {
		return err
	}
	words := m.words()
	var qs []string
	for _, w := range words {
		qs = append(qs, needleQuery(w))
	}
	got := map[string]map[string][]string{}
	names := []string{"newsearch"}
	if got["newsearch"], err = readNewsearchJSON(*nsJSON, qs); err != nil {
		return err
	}
	c := newClient(requestTimeout)
	for _, s := range engines {
		e, err := parseEngine(s)
		if err != nil {
			return err
		}
		names = append(names, e.Name)
		got[e.Name] = map[string][]string{}
		for i, q := range qs {
			if !e.Groonga {
				return fmt.Errorf("-engine %s: only Groonga servers here (newsearch answers through -newsearch-json)", s)
			}
			// the bare word: groongaArgs quotes it as a phrase
			a, err := c.get(e, groongaAllPath(words[i]))
			if err != nil {
				return err
			}
			if a.Err != "" || a.Status != 200 {
				return fmt.Errorf("%s: %s: status %d %s", e.Name, q, a.Status, a.Err)
			}
			if int64(len(a.IDs)) != a.Total {
				return fmt.Errorf("%s: %s: %d IDs returned of %d hits", e.Name, q, len(a.IDs), a.Total)
			}
			got[e.Name][q] = a.IDs
		}
	}
	fig := figures{}
	var rows strings.Builder
	fmt.Fprintln(&rows, "engine\tneedle\tlisted\tfound\tmissing\textra")
	fmt.Fprintf(stdout, "%d needles, %d listed articles; recall = found listed / listed, precision = found listed / found\n", len(words), countIDs(m))
	fmt.Fprintf(stdout, "%-16s %8s %8s %8s %8s %10s\n", "engine", "listed", "found", "recall", "precision", "exact")
	for _, name := range names {
		var listed, found, hit, exact int
		var bad []string
		for i, w := range words {
			s := compare(m[w], got[name][qs[i]])
			listed += s.listed
			found += s.found
			hit += s.hit
			if len(s.missing) == 0 && len(s.extra) == 0 {
				exact++
			} else {
				bad = append(bad, fmt.Sprintf("%s (listed %d, found %d, missing %s, extra %s)", w, s.listed, s.found, head(s.missing), head(s.extra)))
			}
			fmt.Fprintf(&rows, "%s\t%s\t%d\t%d\t%s\t%s\n", name, w, s.listed, s.found, strings.Join(s.missing, ","), strings.Join(s.extra, ","))
		}
		rec, prec := ratio(hit, listed), ratio(hit, found)
		fmt.Fprintf(stdout, "%-16s %8d %8d %8.4f %9.4f %6d/%d\n", name, listed, found, rec, prec, exact, len(words))
		for _, b := range bad {
			fmt.Fprintf(stdout, "  %s: %s\n", name, b)
		}
		k := name + ".needles."
		fig.set(k+"recall", "%.4f", rec)
		fig.set(k+"precision", "%.4f", prec)
		fig.set(k+"exact", "%d/%d", exact, len(words))
	}
	if err := writeFile(*raw, func(w io.Writer) error { _, err := io.WriteString(w, rows.String()); return err }); err != nil {
		return err
	}
	return fig.appendTo(*figs)
}

func countIDs(m manifest) int {
	n := 0
	for _, ids := range m {
		n += len(ids)
	}
	return n
}

// ratio is a/b, 1 when both are 0 (nothing to find, nothing found).
func ratio(a, b int) float64 {
	if b == 0 {
		if a == 0 {
			return 1
		}
		return 0
	}
	return float64(a) / float64(b)
}

// head shows up to 3 IDs of a list.
func head(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	if len(ids) > 3 {
		return strings.Join(ids[:3], ",") + fmt.Sprintf(",... (%d)", len(ids))
	}
	return strings.Join(ids, ",")
}
