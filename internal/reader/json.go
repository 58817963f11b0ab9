package reader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Keys of article objects, with their aliases in order of preference.
var (
	keysID        = []string{"id"}
	keysTitle     = []string{"title"}
	keysBody      = []string{"body", "content", "text"}
	keysURL       = []string{"url", "link"}
	keysPublished = []string{"published", "date", "published_at"}
	keysCategory  = []string{"category"}
	keysSource    = []string{"source"}
	keysTags      = []string{"tags"}
)

// parseJSON reads a .json file: one article object or an array of them.
// A syntax error anywhere fails the whole file; an array element that is
// well-formed JSON but no readable article is reported in a *PartialError
// while the other elements are returned.
func parseJSON(data []byte) ([]Article, error) {
	text, err := decode(data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, ErrEmpty
	}
	var top json.RawMessage
	if err := json.Unmarshal([]byte(text), &top); err != nil {
		return nil, jsonSyntaxError(text, err)
	}
	top = bytes.TrimSpace(top)
	switch top[0] {
	case '{':
		a, err := articleFromJSON(top)
		if err != nil {
			return nil, err
		}
		return []Article{a}, nil
	case '[':
		return parseJSONArray(text)
	default:
		return nil, fmt.Errorf("want a JSON object or an array of objects, got %s", jsonKind(top))
	}
}

// parseJSONArray reads a valid JSON array of article objects.
func parseJSONArray(text string) ([]Article, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	if _, err := dec.Token(); err != nil { // [
		return nil, jsonSyntaxError(text, err)
	}
	var articles []Article
	var bad []LineError
	lines := lineCounter{text: text}
	for item := 1; dec.More(); item++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, jsonSyntaxError(text, err)
		}
		line := lines.at(int(dec.InputOffset()) - len(raw))
		a, err := articleFromJSON(raw)
		if err != nil {
			bad = append(bad, LineError{Line: line, Item: item, Err: err})
			continue
		}
		a.Line, a.Item = line, item
		articles = append(articles, a)
	}
	if len(bad) > 0 {
		return articles, &PartialError{Errors: bad}
	}
	if len(articles) == 0 {
		return nil, fmt.Errorf("%w (an empty JSON array)", ErrEmpty)
	}
	return articles, nil
}

// parseJSONLines reads a .jsonl or .ndjson file: one article object per
// line. Blank lines are skipped; a bad line is reported in a *PartialError
// while the other lines are returned.
func parseJSONLines(data []byte) ([]Article, error) {
	text, err := decode(data)
	if err != nil {
		return nil, err
	}
	var articles []Article
	var bad []LineError
	n := 0
	for line := range strings.Lines(text) {
		n++
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var raw json.RawMessage
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			bad = append(bad, LineError{Line: n, Err: jsonSyntaxError(line, err)})
			continue
		}
		a, err := articleFromJSON(raw)
		if err != nil {
			bad = append(bad, LineError{Line: n, Err: err})
			continue
		}
		a.Line = n
		articles = append(articles, a)
	}
	if len(bad) > 0 {
		return articles, &PartialError{Errors: bad}
	}
	if len(articles) == 0 {
		return nil, ErrEmpty
	}
	return articles, nil
}

// jsonSyntaxError describes a JSON syntax error in text (a whole file, or
// one line of JSON Lines), with its line if text has several.
func jsonSyntaxError(text string, err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return fmt.Errorf("invalid JSON: %v", err)
	}
	msg := se.Error()
	if strings.Contains(msg, "unexpected end of JSON input") {
		if strings.Contains(text, "\n") {
			msg += " (is the file cut short?)"
		} else {
			msg += " (is the line cut short, or an object spread over several lines?)"
		}
	}
	if strings.Contains(text, "\n") {
		return fmt.Errorf("line %d: invalid JSON: %s", lineOf(text, int(se.Offset)), msg)
	}
	return fmt.Errorf("invalid JSON: %s", msg)
}

// lineCounter finds the lines of increasing byte offsets in text, counting
// each newline once (lineOf for every record of a large array would count
// from the start each time).
type lineCounter struct {
	text string
	off  int // the offset counted up to
	line int // newlines in text[:off]
}

// at returns the 1-based line of the byte offset off, which is not less
// than the one before.
func (c *lineCounter) at(off int) int {
	off = max(c.off, min(off, len(c.text)))
	c.line += strings.Count(c.text[c.off:off], "\n")
	c.off = off
	return 1 + c.line
}

// lineOf returns the 1-based line of the byte offset off in text.
func lineOf(text string, off int) int {
	off = max(0, min(off, len(text)))
	return 1 + strings.Count(text[:off], "\n")
}

// articleFromJSON reads one JSON value as an article object.
func articleFromJSON(raw json.RawMessage) (Article, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return Article{}, fmt.Errorf("want an article object, got %s", jsonKind(raw))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return Article{}, fmt.Errorf("invalid JSON: %v", err)
	}
	// Keys match case-insensitively; null is absent; if two keys differ
	// only in case, the lower-case one wins.
	fields := make(map[string]json.RawMessage, len(obj))
	for k, v := range obj {
		if isJSONNull(v) {
			continue
		}
		lk := strings.ToLower(k)
		if _, dup := fields[lk]; dup && k != lk {
			continue
		}
		fields[lk] = v
	}
	get := func(keys []string) (string, json.RawMessage) {
		for _, k := range keys {
			if v, ok := fields[k]; ok {
				return k, v
			}
		}
		return "", nil
	}

	var a Article
	var err error
	if k, v := get(keysID); v != nil {
		if a.ID, err = jsonID(k, v); err != nil {
			return Article{}, err
		}
	}
	for _, f := range []struct {
		keys []string
		dst  *string
	}{
		{keysTitle, &a.Title},
		{keysBody, &a.Body},
		{keysURL, &a.URL},
		{keysCategory, &a.Category},
		{keysSource, &a.Source},
	} {
		if k, v := get(f.keys); v != nil {
			if *f.dst, err = jsonString(k, v); err != nil {
				return Article{}, err
			}
		}
	}
	if k, v := get(keysPublished); v != nil {
		s, err := jsonString(k, v)
		if err != nil {
			return Article{}, fmt.Errorf("%w (a date such as \"2012-02-20T13:00:00+09:00\")", err)
		}
		a.Published, _ = ParseDate(s) // unreadable dates leave Published zero (see package doc)
	}
	if k, v := get(keysTags); v != nil {
		if a.Tags, err = jsonTags(k, v); err != nil {
			return Article{}, err
		}
	}
	return finish(a)
}

// jsonString decodes v, the value of key, as a string.
func jsonString(key string, v json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("field %q: want a string, got %s", key, jsonKind(v))
	}
	return s, nil
}

// jsonID decodes v, the value of key, as a string or a number.
func jsonID(key string, v json.RawMessage) (string, error) {
	var n json.Number
	if err := json.Unmarshal(v, &n); err == nil {
		return n.String(), nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("field %q: want a string or a number, got %s", key, jsonKind(v))
	}
	return s, nil
}

// jsonTags decodes v, the value of key, as an array of strings or one
// string of tags.
func jsonTags(key string, v json.RawMessage) ([]string, error) {
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return splitTags(s), nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, fmt.Errorf("field %q: want an array of strings or a string, got %s", key, jsonKind(v))
	}
	tags := make([]string, 0, len(list))
	for i, item := range list {
		if isJSONNull(item) {
			continue
		}
		var t string
		if err := json.Unmarshal(item, &t); err != nil {
			return nil, fmt.Errorf("field %q: item %d: want a string, got %s", key, i+1, jsonKind(item))
		}
		tags = append(tags, t)
	}
	return tags, nil
}

func isJSONNull(v json.RawMessage) bool {
	return string(bytes.TrimSpace(v)) == "null"
}

// jsonKind names the kind of a JSON value for messages.
func jsonKind(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}
