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
	// from (analyzer.DictionarySource); "" says nothing.
	Dictionary string
	// Width is the terminal's width in columns: snippets are wrapped to it,
	// their lines indented under the title (0: no wrapping).
	Width int
	// CountOnly prints the count and the facets, no hits (--limit 0).
	CountOnly bool
	// CategoryNames are the display names of categories
	// (index.CategoryNames): hits show the name, the category facet the
	// name and the value to filter by.
	CategoryNames map[string]string
}

// NamesOf returns the display names, among all, of the categories of a
// result's hits and category facet; nil when none has one.
func NamesOf(all map[string]string, res *index.Result) map[string]string {
	out := map[string]string{}
	for _, h := range res.Hits {
		if n, ok := all[h.Category]; ok {
			out[h.Category] = n
		}
	}
	for _, x := range res.Facets[index.FacetCategory] {
		if n, ok := all[x.Value]; ok {
			out[x.Value] = n
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Plural returns n and the noun, with an s unless n is 1: "1 article",
// "2 articles".
func Plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
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
	// Correction is the query with its mistyped words replaced, when it
	// matched nothing as written (index.Index.Correct).
	Correction *index.Correction `json:"correction,omitempty"`
	// CategoryNames are the display names of the categories in the hits
	// and facets that have one (index.CategoryNames).
	CategoryNames map[string]string `json:"category_names,omitempty"`
	Error         *Error            `json:"error,omitempty"`
}

// Text writes a result for people.
func Text(w io.Writer, r *index.Result, offset int, sortName string, s Style) {
	dim := func(x string) string {
		if s.Color {
			return dimOn + x + markOff
		}
		return x
	}
	mark := func(sn index.Snippet) string {
		if s.Color {
			return markup(sn, markOn, markOff)
		}
		return markup(sn, markPlainOn, markPlainOff)
	}
	// a title is bold, its marks bold yellow: the end of a mark turns
	// bold back on
	boldMarked := func(sn index.Snippet) string {
		if s.Color {
			return boldOn + markup(sn, markOn, markOff+boldOn) + markOff
		}
		return markup(sn, markPlainOn, markPlainOff)
	}
	const indent = "     "
	wrapped := func(sn index.Snippet) string {
		if s.Width <= len(indent)+10 {
			return indent + mark(sn)
		}
		on, off := markPlainOn, markPlainOff
		if s.Color {
			on, off = markOn, markOff
		}
		return wrap(sn, on, off, indent, s.Width)
	}
	verb := "match"
	if r.Total == 1 {
		verb = "matches"
	}
	if r.Relaxed {
		fmt.Fprintf(w, "no article matches %s as written; %s %s part of it (%.1f ms)", printable(r.Query), Plural(int(r.Total), "article"), verb, r.TookMS)
	} else {
		fmt.Fprintf(w, "%s %s %s (%.1f ms)", Plural(int(r.Total), "article"), verb, printable(r.Query), r.TookMS)
	}
	if !s.CountOnly && len(r.Hits) > 0 && int(r.Total) > len(r.Hits) {
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
			if len(t.Aliases) > 0 {
				fmt.Fprintf(w, "  other names (ranked after): %s\n", strings.Join(t.Aliases, " "))
			}
			if t.Reading != "" {
				fmt.Fprintf(w, "  the name it reads (ranked last): %s\n", t.Reading)
			}
		}
	}
	for i, h := range r.Hits {
		if s.CountOnly {
			break
		}
		fmt.Fprintln(w)
		title := index.Snippet{Text: h.Title, Marks: h.TitleMarks}
		fmt.Fprintf(w, "%3d. %s\n", offset+i+1, boldMarked(title))
		meta := []string{printable(h.ID)}
		if !h.Published.IsZero() {
			layout := "2006-01-02 15:04"
			if h.Published.Hour() == 0 && h.Published.Minute() == 0 {
				layout = "2006-01-02" // a date without a time
			}
			meta = append(meta, h.Published.Format(layout))
		}
		if h.Category != "" {
			if n, ok := s.CategoryNames[h.Category]; ok {
				meta = append(meta, printable(n))
			} else {
				meta = append(meta, printable(h.Category))
			}
		}
		if h.Source != "" {
			meta = append(meta, printable(h.Source))
		}
		switch {
		case s.Explain:
			meta = append(meta, fmt.Sprintf("matched by %s, score %.3f", h.Match, h.Score))
		case h.Match != index.MatchWord && h.Match != index.MatchGram && h.Match != "":
			meta = append(meta, "matched by "+h.Match) // not the query as written
		}
		if h.Via != "" {
			meta = append(meta, "via "+printable(h.Via))
		}
		fmt.Fprintf(w, "     %s\n", dim(strings.Join(meta, "  ")))
		if h.Snippet.Text != "" {
			fmt.Fprintf(w, "%s\n", wrapped(h.Snippet))
		}
		if h.URL != "" {
			fmt.Fprintf(w, "     %s\n", dim(printable(h.URL)))
		}
		if n := len(h.Duplicates); n > 0 {
			fmt.Fprintf(w, "     %s\n", dim(fmt.Sprintf("他 %d 件の類似記事: %s", n, printable(strings.Join(h.Duplicates, " ")))))
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
			v := printable(c.Value)
			if n, ok := s.CategoryNames[c.Value]; ok && name == index.FacetCategory && n != c.Value {
				v = fmt.Sprintf("%s [%s]", printable(n), v) // the name, and what category: takes
			}
			parts = append(parts, fmt.Sprintf("%s (%d)", v, c.Count))
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
		fmt.Fprintf(w, "  %s %s %d\n", printable(c.Value), strings.Repeat("▇", n), c.Count)
	}
}

// Printable returns text from an article or a query fit for a terminal
// (see printable).
func Printable(text string) string { return printable(text) }

// printable returns text from an article or a query fit for a terminal:
// line ends and tabs become spaces, and other control characters (ESC, BEL,
// C1), which a terminal would obey (clear the screen, set the title, ...),
// become U+FFFD.
func printable(text string) string {
	clean := true
	for _, r := range text {
		if isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return text
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case isControl(r):
			return '\uFFFD'
		}
		return r
	}, text)
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (0x80 <= r && r <= 0x9f)
}

// markup writes a snippet for a terminal with its marks between on and
// off, each piece made printable.
func markup(sn index.Snippet, on, off string) string {
	var b strings.Builder
	at := 0
	for _, m := range sn.Marks {
		if m.Start < at || m.End > len(sn.Text) || m.Start >= m.End {
			continue
		}
		b.WriteString(printable(sn.Text[at:m.Start]))
		b.WriteString(on)
		b.WriteString(printable(sn.Text[m.Start:m.End]))
		b.WriteString(off)
		at = m.End
	}
	b.WriteString(printable(sn.Text[at:]))
	return b.String()
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
