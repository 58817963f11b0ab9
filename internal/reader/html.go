package reader

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// parseHTML reads a web page: metadata from <meta>, <link>, <time>,
// JSON-LD and <title>; the body is the main text that readability finds
// (Mozilla's Readability algorithm), without menus, ads and footers.
func parseHTML(data []byte) ([]Article, error) {
	text, err := decodeHTML(data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, ErrEmpty
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("invalid HTML: %v", err)
	}
	m := collectMeta(doc)
	a := Article{
		Title:    m.first("og:title", "twitter:title"),
		URL:      m.first("og:url"),
		Category: m.first("article:section"),
		Source:   m.first("og:site_name"),
		Tags:     m.all("article:tag"),
	}
	if a.Title == "" {
		a.Title = m.title
	}
	if a.URL == "" {
		a.URL = m.canonical
	}
	if a.Tags == nil {
		for _, k := range m.all("keywords", "news_keywords") {
			a.Tags = append(a.Tags, splitTags(k)...)
		}
	}
	for _, d := range m.dates() {
		if t, err := ParseDate(d); err == nil {
			a.Published = t
			break
		}
	}

	// readability changes doc, so it runs after the metadata is read.
	parser := readability.NewParser()
	art, err := parser.ParseAndMutate(doc, nil)
	if err == nil {
		if art.Node != nil {
			a.Body = render.InnerText(art.Node)
		}
		if a.Title == "" {
			a.Title = art.Title()
		}
		if a.Source == "" {
			a.Source = art.SiteName()
		}
	}
	a, err = finish(a)
	if err != nil {
		return nil, err
	}
	return []Article{a}, nil
}

// decodeHTML decodes a web page. A byte order mark wins, then a charset
// declared in a <meta> tag in the first 1,024 bytes, then detection as for
// other formats. A declared charset that the bytes plainly contradict
// (declared UTF-8 but not valid UTF-8, or declared otherwise but valid
// UTF-8 with non-ASCII text, a common leftover of converting old pages) is
// ignored in favour of detection. Undeclared text that is neither UTF-8 nor
// Japanese is read as windows-1252, as browsers do.
func decodeHTML(data []byte) (string, error) {
	if bytes.HasPrefix(data, bomUTF8) || bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return decode(data)
	}
	if err := checkBinary(data); err != nil {
		return "", err
	}
	enc, name, _ := charset.DetermineEncoding(data, "")
	switch name {
	case "utf-8":
		// Declared UTF-8, or no declaration and the first 1,024 bytes are
		// valid UTF-8: detection settles the rest.
	case "windows-1252":
		// Declared windows-1252 (or Latin-1, or ASCII), or no declaration
		// and the first 1,024 bytes are not UTF-8: detection, but with
		// windows-1252 for text that is no Japanese encoding.
		if !utf8.Valid(data) && !isISO2022JP(data) {
			if t, _, ok := decodeJapanese(data); ok {
				return normalizeNewlines(t), nil
			}
			out, err := charmap.Windows1252.NewDecoder().Bytes(data)
			if err == nil {
				return normalizeNewlines(string(out)), nil
			}
		}
	default:
		if !(utf8.Valid(data) && hasNonASCII(data)) {
			out, err := enc.NewDecoder().Bytes(data)
			if err == nil {
				return normalizeNewlines(strings.ToValidUTF8(string(out), "\uFFFD")), nil
			}
		}
	}
	return decode(data)
}

// htmlMeta is what a page's markup says about it, outside its text.
type htmlMeta struct {
	meta      map[string][]string // content of <meta> by lower-case property, name or itemprop
	title     string              // text of the first <title>
	canonical string              // href of <link rel="canonical">
	times     []string            // datetime of <time> elements, those marked as publication first
	ldDates   []string            // datePublished in JSON-LD
}

// first returns the first non-empty content of the first key present.
func (m *htmlMeta) first(keys ...string) string {
	for _, k := range keys {
		for _, v := range m.meta[k] {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return ""
}

// all returns the contents of all the keys.
func (m *htmlMeta) all(keys ...string) []string {
	var out []string
	for _, k := range keys {
		out = append(out, m.meta[k]...)
	}
	return out
}

// dates returns the page's publication dates, most trustworthy first.
func (m *htmlMeta) dates() []string {
	var out []string
	out = append(out, m.all("article:published_time", "og:published_time", "og:article:published_time")...)
	out = append(out, m.ldDates...)
	out = append(out, m.all("datepublished", "pubdate", "publishdate", "publish-date",
		"dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created", "date")...)
	return append(out, m.times...)
}

// collectMeta walks doc (without recursion: the tree may be deep) and
// gathers its metadata.
func collectMeta(doc *html.Node) *htmlMeta {
	m := &htmlMeta{meta: make(map[string][]string)}
	var pubTimes, otherTimes []string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.Meta:
			content, ok := attr(n, "content")
			if !ok {
				continue
			}
			for _, k := range []string{"property", "name", "itemprop"} {
				if key, ok := attr(n, k); ok && key != "" {
					key = strings.ToLower(strings.TrimSpace(key))
					m.meta[key] = append(m.meta[key], content)
				}
			}
		case atom.Title:
			if m.title == "" && n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
				m.title = strings.Join(strings.Fields(n.FirstChild.Data), " ")
			}
		case atom.Link:
			rel, _ := attr(n, "rel")
			if m.canonical == "" && hasToken(rel, "canonical") {
				m.canonical, _ = attr(n, "href")
			}
		case atom.Time:
			dt, ok := attr(n, "datetime")
			if !ok {
				continue
			}
			prop, _ := attr(n, "itemprop")
			if _, pub := attr(n, "pubdate"); pub || strings.EqualFold(prop, "datePublished") {
				pubTimes = append(pubTimes, dt)
			} else {
				otherTimes = append(otherTimes, dt)
			}
		case atom.Script:
			if typ, _ := attr(n, "type"); strings.EqualFold(strings.TrimSpace(typ), "application/ld+json") &&
				n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
				m.ldDates = append(m.ldDates, jsonLDDates(n.FirstChild.Data)...)
			}
		}
	}
	m.times = append(pubTimes, otherTimes...)
	return m
}

// jsonLDDates returns the datePublished values in a JSON-LD script, found
// at any depth (pages nest them in @graph, mainEntity and the like).
func jsonLDDates(script string) []string {
	var v any
	if err := json.Unmarshal([]byte(script), &v); err != nil {
		return nil // broken JSON-LD is common and harmless
	}
	var out []string
	stack := []any{v}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch v := v.(type) {
		case map[string]any:
			if d, ok := v["datePublished"].(string); ok {
				out = append(out, d)
			}
			keys := slices.Sorted(maps.Keys(v))
			for i := len(keys) - 1; i >= 0; i-- {
				stack = append(stack, v[keys[i]])
			}
		case []any:
			for i := len(v) - 1; i >= 0; i-- {
				stack = append(stack, v[i])
			}
		}
	}
	return out
}

// attr returns the value of n's attribute key and whether it has it.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// hasToken reports whether the space-separated list s holds tok.
func hasToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

func hasNonASCII(data []byte) bool {
	for _, b := range data {
		if b >= 0x80 {
			return true
		}
	}
	return false
}
