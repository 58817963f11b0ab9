package corpusgen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// Output says where Write puts the articles. Every destination gets the
// same articles; set any of them.
type Output struct {
	// JSONL receives one JSON object a line: id, title, body, url,
	// published (RFC 3339, +09:00), category, source, tags.
	JSONL io.Writer
	// Dir, when set, also receives the articles as files, DirFormat:
	// "jsonl" (default): part-NNNNNN.jsonl of PerFile lines each, numbered by
	// article index / PerFile; "txt": CATEGORY/ID.txt in livedoor format
	// (line 1 URL, line 2 date, line 3 title, then the body; no source, no tags).
	Dir       string
	DirFormat string
	PerFile   int // 0 means 1000
	// Workers generating articles in parallel; 0 means 2. The output does
	// not depend on it.
	Workers int
	// Progress, when set, is called now and then with the number of
	// articles written.
	Progress func(done int)
}

// Manifest maps each needle word to the sorted IDs of the articles that
// carry it (an empty list when none of the articles written does).
type Manifest map[string][]string

// Summary counts what Write wrote.
type Summary struct {
	Articles  int
	JSONBytes int64 // bytes written to Output.JSONL
	TextBytes int64 // bytes of titles and bodies
	// Redrawn counts the articles drawn again because a needle word
	// occurred in them by accident (see Article.Redrawn).
	Redrawn int
}

// articleJSON is the JSON Lines record; field order is the output's.
type articleJSON struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	URL       string   `json:"url"`
	Published string   `json:"published"`
	Category  string   `json:"category"`
	Source    string   `json:"source"`
	Tags      []string `json:"tags"`
}

// Write generates articles from, from+1, ..., from+n-1 and writes them to
// out as it goes: memory does not grow with n.
func (g *Generator) Write(out Output, from, n int) (Manifest, Summary, error) {
	var sum Summary
	if from < 0 || n < 0 {
		return nil, sum, fmt.Errorf("articles %d..%d: from and n must be at least 0", from, from+n)
	}
	workers := out.Workers
	if workers <= 0 {
		workers = 2
	}
	perFile := out.PerFile
	if perFile <= 0 {
		perFile = 1000
	}
	man := Manifest{}
	for _, nd := range g.needles {
		man[nd.word] = []string{}
	}
	var jw *countingWriter
	var bw *bufio.Writer
	if out.JSONL != nil {
		jw = &countingWriter{w: out.JSONL}
		bw = bufio.NewWriterSize(jw, 1<<20)
	}
	dir := newDirWriter(out.Dir, out.DirFormat, perFile)

	const batch = 256
	arts := make([]*Article, batch)
	errs := make([]error, workers)
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	for start := from; start < from+n; start += batch {
		m := min(batch, from+n-start)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := w; k < m; k += workers {
					a, err := g.Article(start + k)
					if err != nil {
						errs[w] = err
						return
					}
					arts[k] = a
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return nil, sum, err
			}
		}
		for _, a := range arts[:m] {
			line.Reset()
			if err := enc.Encode(articleJSON{
				ID: a.ID, Title: a.Title, Body: a.Body, URL: a.URL,
				Published: a.Published.Format("2006-01-02T15:04:05-07:00"),
				Category:  a.Category, Source: a.Source, Tags: a.Tags,
			}); err != nil {
				return nil, sum, err
			}
			if bw != nil {
				if _, err := bw.Write(line.Bytes()); err != nil {
					return nil, sum, err
				}
			}
			if err := dir.write(a, line.Bytes()); err != nil {
				return nil, sum, err
			}
			for _, w := range a.Needles {
				man[w] = append(man[w], a.ID)
			}
			sum.Articles++
			if a.Redrawn > 0 {
				sum.Redrawn++
			}
			sum.TextBytes += int64(len(a.Title) + len(a.Body))
		}
		if out.Progress != nil {
			out.Progress(sum.Articles)
		}
	}
	if bw != nil {
		if err := bw.Flush(); err != nil {
			return nil, sum, err
		}
		sum.JSONBytes = jw.n
	}
	if err := dir.close(); err != nil {
		return nil, sum, err
	}
	for _, ids := range man {
		sort.Strings(ids)
	}
	return man, sum, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// dirWriter writes articles as files under a folder.
type dirWriter struct {
	dir, format string
	perFile     int
	part        int // open part number, -1 when none
	f           *os.File
	bw          *bufio.Writer
	made        map[string]bool
}

func newDirWriter(dir, format string, perFile int) *dirWriter {
	if dir == "" {
		return nil
	}
	if format == "" {
		format = "jsonl"
	}
	return &dirWriter{dir: dir, format: format, perFile: perFile, part: -1, made: map[string]bool{}}
}

func (d *dirWriter) write(a *Article, jsonLine []byte) error {
	if d == nil {
		return nil
	}
	switch d.format {
	case "jsonl":
		if p := a.Index / d.perFile; p != d.part {
			if err := d.close(); err != nil {
				return err
			}
			if err := os.MkdirAll(d.dir, 0o755); err != nil {
				return err
			}
			f, err := os.Create(filepath.Join(d.dir, fmt.Sprintf("part-%06d.jsonl", p)))
			if err != nil {
				return err
			}
			d.f, d.bw, d.part = f, bufio.NewWriterSize(f, 1<<18), p
		}
		_, err := d.bw.Write(jsonLine)
		return err
	case "txt":
		cd := filepath.Join(d.dir, a.Category)
		if !d.made[cd] {
			if err := os.MkdirAll(cd, 0o755); err != nil {
				return err
			}
			d.made[cd] = true
		}
		text := a.URL + "\n" + a.Published.Format("2006-01-02T15:04:05-0700") + "\n" + a.Title + "\n" + a.Body + "\n"
		return os.WriteFile(filepath.Join(cd, a.ID+".txt"), []byte(text), 0o644)
	}
	return fmt.Errorf("folder format %q: want jsonl or txt", d.format)
}

func (d *dirWriter) close() error {
	if d == nil || d.f == nil {
		return nil
	}
	err := d.bw.Flush()
	if cerr := d.f.Close(); err == nil {
		err = cerr
	}
	d.f, d.bw, d.part = nil, nil, -1
	return err
}

// WriteTo writes the manifest as JSON, one needle a line, words sorted.
func (m Manifest) WriteTo(w io.Writer) (int64, error) {
	words := make([]string, 0, len(m))
	for k := range m {
		words = append(words, k)
	}
	sort.Strings(words)
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, k := range words {
		kj, _ := json.Marshal(k)
		ids := m[k]
		if ids == nil {
			ids = []string{}
		}
		vj, _ := json.Marshal(ids)
		b.WriteString("  ")
		b.Write(kj)
		b.WriteString(": ")
		b.Write(vj)
		if i < len(words)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	n, err := w.Write(b.Bytes())
	return int64(n), err
}
