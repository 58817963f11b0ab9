// Package render formats search results for people (terminal text, with
// ANSI colour where wanted) and for machines (JSON).
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newsearch/newsearch/index"
)

// ANSI escapes for highlighted text.
const (
	markOn       = "\x1b[1;33m" // bold yellow
	markOff      = "\x1b[0m"
	dimOn        = "\x1b[2m"
	boldOn       = "\x1b[1m"
	markPlainOn  = "["
	markPlainOff = "]"
)

// Style says how to print text for people.
type Style struct {
	Color   bool // ANSI colour
	Explain bool // how the query was read and why each hit matched
	// Dictionary, with Explain, says where the analyzer's dictionary came
	// from (analyzer.DictionarySource).
	Dictionary string
}

// ColorWanted decides colour: mode "always", "never" or "auto" (a terminal,
// and NO_COLOR unset).
func ColorWanted(mode string, terminal bool) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	return terminal && os.Getenv("NO_COLOR") == ""
}

// JSON writes v as one line of JSON; HTML in snippets is left readable.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// QueryJSON is the JSON object of one query: the contract scripts rely on.
type QueryJSON struct {
	*index.Result
	Explain []index.TermExplain `json:"explain,omitempty"`
	Error   string              `json:"error,omitempty"`
}

// Text writes a result for people.
func Text(w io.Writer, r *index.Result, offset int, sortName string, s Style) {
	bold := func(x string) string {
		if s.Color {
			return boldOn + x + markOff
		}
		return x
	}
	dim := func(x string) string {
		if s.Color {
			return dimOn + x + markOff
		}
		return x
	}
	mark := func(sn index.Snippet) string {
		if s.Color {
			return sn.Mark(markOn, markOff)
		}
		return sn.Mark(markPlainOn, markPlainOff)
	}
	noun := "articles"
	if r.Total == 1 {
		noun = "article"
	}
	if r.Relaxed {
		fmt.Fprintf(w, "no article matches %s as written; %d %s match part of it (%.1f ms)", r.Query, r.Total, noun, r.TookMS)
	} else {
		fmt.Fprintf(w, "%d %s match %s (%.1f ms)", r.Total, noun, r.Query, r.TookMS)
	}
	if len(r.Hits) > 0 && int(r.Total) > len(r.Hits) {
		fmt.Fprintf(w, "; %d-%d by %s", offset+1, offset+len(r.Hits), sortName)
	}
	fmt.Fprintln(w)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if s.Explain {
		if s.Dictionary != "" {
			fmt.Fprintf(w, "explain: dictionary %s\n", s.Dictionary)
		}
		for _, t := range r.Terms {
			fmt.Fprintf(w, "explain: %s", t.Text)
			if t.Field != "" {
				fmt.Fprintf(w, " (in %s)", t.Field)
			}
			fmt.Fprintf(w, "\n  words: %s\n  grams: %s\n", formatWords(t.Words), formatGrams(t.Grams))
			if len(t.Variants) > 0 {
				fmt.Fprintf(w, "  other spellings: %s\n", strings.Join(t.Variants, " "))
			}
			if len(t.Translations) > 0 {
				fmt.Fprintf(w, "  translations (ranked after): %s\n", strings.Join(t.Translations, " "))
			}
		}
	}
	for i, h := range r.Hits {
		fmt.Fprintln(w)
		title := index.Snippet{Text: h.Title, Marks: h.TitleMarks}
		fmt.Fprintf(w, "%3d. %s\n", offset+i+1, bold(mark(title)))
		meta := []string{h.ID}
		if !h.Published.IsZero() {
			layout := "2006-01-02 15:04"
			if h.Published.Hour() == 0 && h.Published.Minute() == 0 {
				layout = "2006-01-02" // a date without a time
			}
			meta = append(meta, h.Published.Format(layout))
		}
		if h.Category != "" {
			meta = append(meta, h.Category)
		}
		if h.Source != "" {
			meta = append(meta, h.Source)
		}
		switch {
		case s.Explain:
			meta = append(meta, fmt.Sprintf("matched by %s, score %.3f", h.Match, h.Score))
		case h.Match != index.MatchWord && h.Match != index.MatchGram && h.Match != "":
			meta = append(meta, "matched by "+h.Match) // not the query as written
		}
		fmt.Fprintf(w, "     %s\n", dim(strings.Join(meta, "  ")))
		if h.Snippet.Text != "" {
			fmt.Fprintf(w, "     %s\n", mark(h.Snippet))
		}
		if h.URL != "" {
			fmt.Fprintf(w, "     %s\n", dim(h.URL))
		}
	}
	facets(w, r, s)
}

func facets(w io.Writer, r *index.Result, s Style) {
	first := true
	for _, name := range index.AllFacets {
		counts, ok := r.Facets[name]
		if !ok || len(counts) == 0 {
			continue
		}
		if first {
			fmt.Fprintln(w)
			first = false
		}
		if name == index.FacetMonth {
			histogram(w, counts)
			continue
		}
		var parts []string
		for _, c := range counts {
			parts = append(parts, fmt.Sprintf("%s (%d)", c.Value, c.Count))
		}
		fmt.Fprintf(w, "%-9s %s\n", name+":", strings.Join(parts, "  "))
	}
}

// histogram prints months as bars, at most 24 (the latest).
func histogram(w io.Writer, counts []index.Count) {
	if len(counts) > 24 {
		counts = counts[len(counts)-24:]
	}
	top := 0
	for _, c := range counts {
		top = max(top, c.Count)
	}
	fmt.Fprintln(w, "month:")
	for _, c := range counts {
		n := (c.Count*30 + top - 1) / top
		fmt.Fprintf(w, "  %s %s %d\n", c.Value, strings.Repeat("▇", n), c.Count)
	}
}

func formatWords(ws []string) string {
	if len(ws) == 0 {
		return "(none)"
	}
	out := make([]string, len(ws))
	for i, x := range ws {
		if x == "" {
			x = "_"
		}
		out[i] = x
	}
	return strings.Join(out, " ")
}

func formatGrams(gs [][]string) string {
	out := make([]string, len(gs))
	for i, alts := range gs {
		switch len(alts) {
		case 0:
			out[i] = "_"
		case 1:
			out[i] = alts[0]
		default:
			out[i] = "{" + strings.Join(alts, "|") + "}"
		}
	}
	return strings.Join(out, " ")
}
