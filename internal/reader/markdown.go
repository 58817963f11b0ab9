package reader

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	gmtext "github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"
)

// markdown parses CommonMark with the GitHub tables and strikethrough.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))

// parseMarkdown reads a .md or .markdown file: optional YAML front matter,
// then Markdown rendered as plain text.
func parseMarkdown(data []byte) ([]Article, error) {
	text, err := decode(data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, ErrEmpty
	}
	front, body, ok := splitFrontMatter(text)
	var a Article
	if ok {
		if a, err = articleFromYAML(front); err != nil {
			return nil, err
		}
	}
	src := []byte(body)
	doc := markdown.Parser().Parse(gmtext.NewReader(src))
	a.Body = plainText(doc, src)
	if a.Title == "" {
		a.Title = firstHeading(doc, src)
	}
	if a.Title == "" {
		a.Title = firstLine(a.Body)
	}
	a, err = finish(a)
	if err != nil {
		return nil, err
	}
	return []Article{a}, nil
}

// splitFrontMatter splits text into YAML front matter and the rest, if
// text starts with a "---" line and a later line is "---" or "...".
func splitFrontMatter(text string) (front, body string, ok bool) {
	first, rest, found := strings.Cut(text, "\n")
	if !found || strings.TrimRight(first, " \t") != "---" {
		return "", text, false
	}
	off := 0
	for line := range strings.Lines(rest) {
		if l := strings.TrimRight(line, " \t\n"); l == "---" || l == "..." {
			return rest[:off], rest[off+len(line):], true
		}
		off += len(line)
	}
	return "", text, false
}

// articleFromYAML reads front matter: a YAML mapping with the keys of the
// package doc (a body key is ignored: the body is the Markdown).
func articleFromYAML(front string) (Article, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(front), &doc); err != nil {
		return Article{}, fmt.Errorf("front matter: invalid YAML: %s", yamlFileLines(err))
	}
	if doc.Kind == 0 { // empty front matter
		return Article{}, nil
	}
	m := resolveAlias(&doc)
	if m.Kind == yaml.DocumentNode && len(m.Content) == 1 {
		m = resolveAlias(m.Content[0])
	}
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return Article{}, nil
	}
	if m.Kind != yaml.MappingNode {
		return Article{}, fmt.Errorf("front matter: want a YAML mapping such as \"title: ...\", got %s", yamlKind(m))
	}
	fields := make(map[string]*yaml.Node, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := strings.ToLower(resolveAlias(m.Content[i]).Value)
		v := resolveAlias(m.Content[i+1])
		if _, dup := fields[k]; !dup && !isYAMLNull(v) {
			fields[k] = v
		}
	}
	get := func(keys []string) (string, *yaml.Node) {
		for _, k := range keys {
			if v, ok := fields[k]; ok {
				return k, v
			}
		}
		return "", nil
	}

	var a Article
	for _, f := range []struct {
		keys []string
		dst  *string
	}{
		{keysID, &a.ID},
		{keysTitle, &a.Title},
		{keysURL, &a.URL},
		{keysCategory, &a.Category},
		{keysSource, &a.Source},
	} {
		if k, v := get(f.keys); v != nil {
			if v.Kind != yaml.ScalarNode {
				return Article{}, fmt.Errorf("front matter: field %q: want a string, got %s", k, yamlKind(v))
			}
			*f.dst = v.Value
		}
	}
	if k, v := get(keysPublished); v != nil {
		if v.Kind != yaml.ScalarNode {
			return Article{}, fmt.Errorf("front matter: field %q: want a date such as 2012-02-20T13:00:00+09:00, got %s", k, yamlKind(v))
		}
		a.Published, _ = ParseDate(v.Value) // unreadable dates leave Published zero (see package doc)
	}
	if k, v := get(keysTags); v != nil {
		switch v.Kind {
		case yaml.ScalarNode:
			a.Tags = splitTags(v.Value)
		case yaml.SequenceNode:
			for i, item := range v.Content {
				item = resolveAlias(item)
				if isYAMLNull(item) {
					continue
				}
				if item.Kind != yaml.ScalarNode {
					return Article{}, fmt.Errorf("front matter: field %q: item %d: want a string, got %s", k, i+1, yamlKind(item))
				}
				a.Tags = append(a.Tags, item.Value)
			}
		default:
			return Article{}, fmt.Errorf("front matter: field %q: want a list of strings or a string, got %s", k, yamlKind(v))
		}
	}
	return a, nil
}

// yamlLine matches the line numbers in yaml's messages.
var yamlLine = regexp.MustCompile(`\bline (\d+)`)

// yamlFileLines returns the message of a YAML error in front matter with
// its line numbers counted from the top of the file (the front matter
// starts on line 2).
func yamlFileLines(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	return yamlLine.ReplaceAllStringFunc(msg, func(s string) string {
		n, err := strconv.Atoi(strings.TrimPrefix(s, "line "))
		if err != nil {
			return s
		}
		return "line " + strconv.Itoa(n+1)
	})
}

// resolveAlias returns the node an alias points to (following a few links
// at most), or n itself.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

func isYAMLNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// yamlKind names the kind of a YAML node for messages.
func yamlKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a scalar"
	default:
		return "an alias"
	}
}

// firstHeading returns the text of the first heading in doc.
func firstHeading(doc ast.Node, src []byte) string {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if _, ok := n.(*ast.Heading); ok {
			if t := strings.TrimSpace(plainText(n, src)); t != "" {
				return t
			}
		}
	}
	return ""
}

// manyNewlines matches three or more line breaks, to be made two.
var manyNewlines = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)

// plainText renders the Markdown tree n as plain text: the text of
// headings, paragraphs, lists, quotes and tables without their marks; the
// text of links and the alt text of images; code as written. Raw HTML is
// dropped. Blocks are separated by blank lines, list items and table rows
// by line breaks, table cells by tabs.
func plainText(n ast.Node, src []byte) string {
	var b bytes.Buffer
	newline := func(count int) {
		if b.Len() == 0 {
			return
		}
		have := len(b.Bytes()) - len(bytes.TrimRight(b.Bytes(), "\n"))
		for ; have < count; have++ {
			b.WriteByte('\n')
		}
	}
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Text:
			if entering {
				writeText(&b, n.Value(src), n.IsRaw())
				if n.SoftLineBreak() || n.HardLineBreak() {
					b.WriteByte('\n')
				}
			}
		case *ast.String:
			if entering {
				writeText(&b, n.Value, n.IsRaw() || n.IsCode())
			}
		case *ast.CodeSpan:
			if entering {
				for c := n.FirstChild(); c != nil; c = c.NextSibling() {
					if t, ok := c.(*ast.Text); ok {
						b.Write(bytes.ReplaceAll(t.Value(src), []byte("\n"), []byte(" ")))
					}
				}
				return ast.WalkSkipChildren, nil
			}
		case *ast.AutoLink:
			if entering {
				b.Write(n.Label(src))
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			if entering {
				newline(2)
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					b.Write(seg.Value(src))
				}
				newline(2)
				return ast.WalkSkipChildren, nil
			}
		case *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *extast.TableCell:
			if !entering && n.NextSibling() != nil {
				b.WriteByte('\t')
			}
		case *extast.TableRow, *extast.TableHeader, *ast.ListItem, *ast.TextBlock:
			newline(1)
		case *ast.Paragraph, *ast.Heading, *ast.ThematicBreak, *ast.Blockquote, *ast.List, *extast.Table:
			newline(2)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(manyNewlines.ReplaceAllString(b.String(), "\n\n"))
}

// writeText writes Markdown text to b, resolving backslash escapes and
// character references unless raw. goldmark's HTML writer does exactly
// that resolution (and escapes HTML, which is undone here).
func writeText(b *bytes.Buffer, value []byte, raw bool) {
	if raw {
		b.Write(value)
		return
	}
	var esc bytes.Buffer
	w := bufio.NewWriter(&esc)
	gmhtml.DefaultWriter.Write(w, value)
	_ = w.Flush() // a bytes.Buffer does not fail
	b.WriteString(html.UnescapeString(esc.String()))
}
