// Package reader turns the bytes of one article file into articles.
//
// It reads these formats, chosen by the file name's extension
// (case-insensitive):
//
//	.txt             plain text. If line 1 is an http(s) URL and line 2 a
//	                 date, it is the livedoor news corpus form: line 1 URL,
//	                 line 2 date, line 3 title, the rest the body. Otherwise
//	                 the first non-empty line is the title and the whole
//	                 text is the body.
//	.md .markdown    Markdown with optional YAML front matter between "---"
//	                 lines (keys as in JSON below, except the body). The body
//	                 is the Markdown rendered as plain text. Without a title
//	                 key, the title is the first heading, else the first
//	                 non-empty line.
//	.json            one article object, or an array of them
//	.jsonl .ndjson   one article object per line; blank lines are skipped
//	.html .htm       a web page: metadata from <meta> tags, JSON-LD and
//	                 <title>; the main text found by a readability algorithm
//
// JSON objects and front matter use these keys (matched case-insensitively;
// where several aliases are present the first in this list wins):
//
//	id                          string or number
//	title                       string
//	body, content, text         string
//	url, link                   string
//	published, date,
//	published_at                string in a form ParseDate reads
//	category                    string
//	source                      string
//	tags                        array of strings, or one string of tags
//	                            separated by "," "、" or "，"
//
// Other keys are ignored, and null is the same as absent. A value of the
// wrong type (a number for title, an object for tags) is an error that names
// the key. A date that ParseDate cannot read is not an error in any format:
// the article keeps Published zero, since losing a whole article over its
// date would be worse than not knowing when it was published.
//
// Text in every format may be UTF-8 (with or without a byte order mark),
// UTF-16 with a byte order mark, Shift_JIS (CP932), EUC-JP or ISO-2022-JP;
// HTML may also declare its charset in a <meta> tag. Line endings become
// "\n". Bytes that are no valid text in any of these encodings become
// U+FFFD, unless the file looks binary, which is an error (ErrBinary).
package reader

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Article is what a file says about one article. Empty fields were absent.
type Article struct {
	ID        string    // the article's own id field, if its format has one ("" otherwise)
	Title     string    // trimmed, on one line
	Body      string    // plain text, trimmed, lines ended by "\n"
	URL       string    // as written in the file
	Published time.Time // zero if unknown; in the file's zone, JST if it gave none
	Category  string
	Source    string
	Tags      []string // nil if none; trimmed, without empty or repeated tags

	// Line and Item say where the article's record starts in a file of
	// several, so that a later message (a repeated ID, an article too large
	// to index) can point at it as a LineError does: Line is the 1-based
	// line of a JSON array element or a JSON Lines line, Item the 1-based
	// position in a JSON array (the only way to tell apart the records of
	// an array written on one line). Both are 0 for a file of one article.
	Line, Item int
}

// Sentinel errors, to be tested with errors.Is. The errors Parse returns
// wrap them with the file name and details.
var (
	// ErrUnsupported means the file name has no extension Parse reads.
	ErrUnsupported = errors.New("unsupported file type")
	// ErrEmpty means the file holds no text (or, for JSON Lines, no lines).
	ErrEmpty = errors.New("empty file")
	// ErrBinary means the file holds NUL bytes or many control bytes.
	ErrBinary = errors.New("binary file")
	// ErrNoContent means an article has neither a title nor a body.
	ErrNoContent = errors.New("no title or body")
)

// format reads the bytes of a file into articles.
type format func(data []byte) ([]Article, error)

// formats maps lower-case extensions to readers.
var formats = map[string]format{
	".txt":      parseTxt,
	".md":       parseMarkdown,
	".markdown": parseMarkdown,
	".json":     parseJSON,
	".jsonl":    parseJSONLines,
	".ndjson":   parseJSONLines,
	".html":     parseHTML,
	".htm":      parseHTML,
}

// extensionList is the list of supported extensions for messages.
const extensionList = ".txt, .md, .markdown, .json, .jsonl, .ndjson, .html or .htm"

// Supported reports whether Parse reads files with this name (by extension,
// case-insensitive).
func Supported(name string) bool {
	_, ok := formats[strings.ToLower(filepath.Ext(name))]
	return ok
}

// Parse decodes the file called name (used for its extension and in
// messages) whose bytes are data. It returns the articles in it: one for
// most formats, any number for JSON arrays and JSON Lines.
//
// Errors begin with name. When some records of a JSON array or a JSON Lines
// file are unreadable, Parse returns the readable articles together with a
// *PartialError that lists the others; any other error comes with no
// articles.
func Parse(name string, data []byte) ([]Article, error) {
	ext := strings.ToLower(filepath.Ext(name))
	parse, ok := formats[ext]
	if !ok {
		if ext == "" {
			return nil, fmt.Errorf("%s: %w (no extension): want %s", name, ErrUnsupported, extensionList)
		}
		return nil, fmt.Errorf("%s: %w %q: want %s", name, ErrUnsupported, ext, extensionList)
	}
	articles, err := parse(data)
	if err != nil {
		var pe *PartialError
		if errors.As(err, &pe) {
			pe.Name = name
			return articles, pe
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return articles, nil
}

// PartialError reports the records of a JSON array or JSON Lines file that
// could not be read, when Parse returns the others.
type PartialError struct {
	Name   string // the file name given to Parse
	Errors []LineError
}

func (e *PartialError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", e.Name)
	if len(e.Errors) == 1 {
		b.WriteString("1 unreadable record: ")
	} else {
		fmt.Fprintf(&b, "%d unreadable records: ", len(e.Errors))
	}
	for i, le := range e.Errors {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(le.Error())
	}
	return b.String()
}

// Unwrap returns the errors of the records, so that errors.Is finds
// ErrNoContent in them.
func (e *PartialError) Unwrap() []error {
	errs := make([]error, len(e.Errors))
	for i := range e.Errors {
		errs[i] = &e.Errors[i]
	}
	return errs
}

// LineError is why one record of a JSON array or JSON Lines file could not
// be read.
type LineError struct {
	Line int   // 1-based line where the record starts
	Item int   // 1-based position in a JSON array; 0 for JSON Lines
	Err  error // what is wrong
}

func (e *LineError) Error() string {
	if e.Item > 0 {
		return fmt.Sprintf("line %d (item %d): %v", e.Line, e.Item, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// finish trims an article's text, puts its title on one line and checks
// that it has a title or body.
func finish(a Article) (Article, error) {
	a.ID = strings.TrimSpace(a.ID)
	a.Title = strings.TrimSpace(strings.ReplaceAll(normalizeNewlines(a.Title), "\n", " "))
	a.Body = strings.TrimSpace(normalizeNewlines(a.Body))
	a.URL = strings.TrimSpace(a.URL)
	a.Category = strings.TrimSpace(a.Category)
	a.Source = strings.TrimSpace(a.Source)
	a.Tags = cleanTags(a.Tags)
	if a.Title == "" && a.Body == "" {
		return Article{}, ErrNoContent
	}
	return a, nil
}

// splitTags splits one string of tags at "," "、" and "，".
func splitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '、' || r == '，'
	})
}

// cleanTags trims tags and drops empty and repeated ones, keeping order.
func cleanTags(tags []string) []string {
	var out []string
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}
