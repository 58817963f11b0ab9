package reader

import (
	"net/url"
	"strings"
)

// parseTxt reads a .txt file: the livedoor form (URL, date, title, body on
// lines 1, 2, 3 and after) or plain text (title: the first non-empty line;
// body: the whole text).
func parseTxt(data []byte) ([]Article, error) {
	text, err := decode(data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, ErrEmpty
	}
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) >= 2 && isWebURL(strings.TrimSpace(lines[0])) {
		if t, err := ParseDate(lines[1]); err == nil {
			a := Article{URL: strings.TrimSpace(lines[0]), Published: t}
			if len(lines) >= 3 {
				a.Title = lines[2]
			}
			if len(lines) == 4 {
				a.Body = lines[3]
			}
			a, err := finish(a)
			if err != nil {
				return nil, err
			}
			return []Article{a}, nil
		}
	}
	a, err := finish(Article{Title: firstLine(text), Body: text})
	if err != nil {
		return nil, err
	}
	return []Article{a}, nil
}

// isWebURL reports whether s is one absolute http or https URL.
func isWebURL(s string) bool {
	lower := strings.ToLower(s)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		return false
	}
	if strings.ContainsAny(s, " \t") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != ""
}

// firstLine returns the first line of text that is not only space, trimmed.
func firstLine(text string) string {
	for line := range strings.Lines(text) {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}
