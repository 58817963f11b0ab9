// Package qparse parses the newsearch query language:
//
//	呉泳銘                    a word: every article that contains it as a word
//	ダルビッシュ レンジャーズ   words separated by spaces must all occur (AND)
//	Windows 7, Google Android Latin words in a row: one Text (Latin), which
//	                          the index reads as one name or as separate
//	                          words
//	"日本 代表"                a quoted phrase
//	iPad OR iPhone            either
//	京都 -東京                 exclude
//	(iPad OR iPhone) 電子書籍  grouping
//	title:決算                 in the title only (also body:)
//	category:it-life-hack     filters: category, source, tag, person, org
//	since:2012-01 until:2012-03-31 date:2012-02 date:2011..2012
//
// A syntax error is an *Error that says where and why. So is a query over
// the limits (MaxRunes characters, MaxTerms terms) and a date outside the
// years that can be searched (MinDate to MaxDate).
package qparse

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Node is a node of a parsed query.
type Node interface{ node() }

// Text matches articles that contain Value as a word (or, for Phrase, as a
// phrase). Field is "" (title and body), "title" or "body". Latin is set
// when Value is several words of letters and digits that were written
// with spaces: a name (Windows 7, whose spaces are optional) or words
// searched together (Google Android); package index decides which.
type Text struct {
	Value  string
	Field  string
	Phrase bool
	Latin  bool
}

// Filter matches articles whose keyword Field (category, source, tag,
// person, org) equals Value.
type Filter struct {
	Field string
	Value string
}

// Dates matches articles published in [Since, Until). Zero means open.
type Dates struct {
	Since, Until time.Time
}

// And matches articles that match every node.
type And struct{ Nodes []Node }

// Or matches articles that match any node.
type Or struct{ Nodes []Node }

// Not matches articles that do not match Node.
type Not struct{ Node Node }

func (Text) node()   {}
func (Filter) node() {}
func (Dates) node()  {}
func (And) node()    {}
func (Or) node()     {}
func (Not) node()    {}

// Error is a syntax error at a 1-based character column of the query.
type Error struct {
	Query  string
	Column int
	Msg    string
	// Code names the kind of mistake for programs (a page that says it in
	// another language): one of the Code constants.
	Code Code
	// Field is the field of a filter or date the mistake is in (since,
	// category, ...), or "".
	Field string
	// Token is the text at Column where that helps (the unexpected word).
	Token string
}

// Code names a kind of syntax error.
type Code string

// The kinds of syntax errors.
const (
	CodeTooLong           Code = "too_long"           // over MaxRunes characters
	CodeTooManyTerms      Code = "too_many_terms"     // over MaxTerms words, phrases and filters
	CodeUnterminatedQuote Code = "unterminated_quote" // a " without its closing "
	CodeMissingValue      Code = "missing_value"      // field: with nothing after it
	CodeDanglingMinus     Code = "dangling_minus"     // - with no word after it
	CodeDanglingOperator  Code = "dangling_operator"  // OR or AND without a word on both sides
	CodeUnmatchedOpen     Code = "unmatched_open"     // ( without )
	CodeUnmatchedClose    Code = "unmatched_close"    // ) without (
	CodeEmptyGroup        Code = "empty_group"        // ( )
	CodeExpectedWord      Code = "expected_word"      // nothing where a word must be
	CodeUnexpected        Code = "unexpected"         // a token out of place
	CodeBadDate           Code = "bad_date"           // since:, until: or date: that cannot be read or searched
)

func (e *Error) Error() string {
	return fmt.Sprintf("query syntax: %s (at column %d of %q)", e.Msg, e.Column, excerpt(e.Query, e.Column))
}

// excerpt returns q, or of a long q the part around column, with … where
// text is left out: a message should not repeat a query of pages.
func excerpt(q string, column int) string {
	const around = 30
	r := []rune(q)
	if len(r) <= 3*around {
		return q
	}
	lo := max(0, min(column-1, len(r))-around)
	hi := min(len(r), lo+2*around)
	s := string(r[lo:hi])
	if lo > 0 {
		s = "…" + s
	}
	if hi < len(r) {
		s += "…"
	}
	return s
}

// Limits of one query. Every term (a word, phrase, filter or date) is
// analysed and searched on its own, so the time a query takes grows with
// its terms and its length: on the livedoor corpus (6,497 articles), a
// common word written 64 times with OR takes 0.4 s, 1,000 times 6 s, and
// 3,000 times 27 s and 460 MB; a word of 1,000 characters takes 0.15 s
// and one of 20,000 1.4 s. A person writes a few terms (the public query
// set: at most four); the limits leave room for generated queries and keep
// the worst case under a second on that corpus.
const (
	// MaxRunes bounds the length of a query, in characters.
	MaxRunes = 1000
	// MaxTerms bounds the words, phrases, filters and dates of a query
	// (operators and parentheses do not count).
	MaxTerms = 64
)

// Location is the zone of dates written without one.
var Location = time.FixedZone("JST", 9*60*60)

// MinDate and MaxDate bound the dates a query can search: [MinDate,
// MaxDate), the years 1678 to 2261 in JST. bleve keeps a date as
// nanoseconds since 1970 in an int64 and its date queries accept 1677-12-01
// to 2262-04-11 (UTC) only. A bound outside them is moved to them where that
// changes no answer (since:1500 is every dated article); a date or range
// that lies wholly outside them is refused.
var (
	MinDate = time.Date(1678, 1, 1, 0, 0, 0, 0, Location)
	MaxDate = time.Date(2262, 1, 1, 0, 0, 0, 0, Location)
)

// TextFields are the fields a Text may be restricted to; FilterFields the
// keyword fields of Filter.
var (
	TextFields   = []string{"title", "body"}
	FilterFields = []string{"category", "source", "tag", "person", "org"}
)

// Parse parses a query. An empty query (or one of spaces) returns nil, nil.
func Parse(q string) (Node, error) {
	if n := utf8.RuneCountInString(q); n > MaxRunes {
		return nil, &Error{Query: q, Column: MaxRunes + 1, Code: CodeTooLong,
			Msg: fmt.Sprintf("the query is %d characters long; the limit is %d", n, MaxRunes)}
	}
	p := &parser{src: q, toks: nil}
	if err := p.lex(); err != nil {
		return nil, err
	}
	if len(p.toks) == 0 {
		return nil, nil
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.kind == tokClose {
			return nil, p.errAt(t, CodeUnmatchedClose, "unmatched )")
		}
		return nil, p.errAt(t, CodeUnexpected, fmt.Sprintf("unexpected %q", t.text))
	}
	return n, nil
}

type tokKind int

const (
	tokWord tokKind = iota
	tokPhrase
	tokOpen
	tokClose
	tokOr
	tokAnd
)

type token struct {
	kind  tokKind
	text  string
	neg   bool   // written with a leading -
	field string // field: prefix
	col   int
}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) errAt(t token, code Code, msg string) error {
	e := &Error{Query: p.src, Column: t.col, Msg: msg, Code: code, Field: t.field}
	if code == CodeUnexpected {
		e.Token = t.text
	}
	return e
}

// lex splits the query into tokens. Full-width spaces, quotes and brackets
// count as their ASCII forms.
func (p *parser) lex() error {
	runes := []rune(p.src)
	col := func(i int) int { return i + 1 }
	isSpace := func(r rune) bool { return unicode.IsSpace(r) }
	terms := 0
	for i := 0; i < len(runes); {
		r := runes[i]
		switch {
		case isSpace(r):
			i++
			continue
		case r == '(' || r == '（':
			p.toks = append(p.toks, token{kind: tokOpen, text: "(", col: col(i)})
			i++
			continue
		case r == ')' || r == '）':
			p.toks = append(p.toks, token{kind: tokClose, text: ")", col: col(i)})
			i++
			continue
		}
		start := i
		t := token{col: col(i)}
		if (r == '-' || r == '－') && i+1 < len(runes) && !isSpace(runes[i+1]) && runes[i+1] != ')' {
			t.neg = true
			i++
		}
		// field:
		if j := fieldEnd(runes, i); j > 0 {
			t.field = strings.ToLower(string(runes[i:j]))
			i = j + 1
		}
		if i < len(runes) && isQuote(runes[i]) {
			end := i + 1
			for end < len(runes) && !isQuote(runes[end]) {
				end++
			}
			if end >= len(runes) {
				return &Error{Query: p.src, Column: col(i), Msg: "unterminated quote: add the closing \"", Code: CodeUnterminatedQuote}
			}
			t.kind, t.text = tokPhrase, string(runes[i+1:end])
			i = end + 1
		} else {
			end := i
			for end < len(runes) && !isSpace(runes[end]) && !isQuote(runes[end]) && runes[end] != '(' && runes[end] != ')' && runes[end] != '（' && runes[end] != '）' {
				end++
			}
			t.kind, t.text = tokWord, string(runes[i:end])
			i = end
			if t.text == "" {
				if t.field != "" {
					return &Error{Query: p.src, Column: col(start), Msg: fmt.Sprintf("%s: needs a value, as in %s:value", t.field, t.field), Code: CodeMissingValue, Field: t.field}
				}
				if t.neg {
					return &Error{Query: p.src, Column: col(start), Msg: "- needs a word after it", Code: CodeDanglingMinus}
				}
			}
			if !t.neg && t.field == "" {
				switch t.text {
				case "OR", "|":
					t.kind = tokOr
				case "AND", "&":
					t.kind = tokAnd
				}
			}
		}
		if t.kind == tokWord || t.kind == tokPhrase {
			terms++
			if terms > MaxTerms {
				return &Error{Query: p.src, Column: t.col, Code: CodeTooManyTerms,
					Msg: fmt.Sprintf("more than %d words, phrases and filters; the limit is %d: search for fewer at once", MaxTerms, MaxTerms)}
			}
		}
		p.toks = append(p.toks, t)
	}
	return nil
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '＂' }

// fieldEnd returns the index of the ':' ending a known field name that
// starts at i, or -1. An unknown name is text (12:00, http://...).
func fieldEnd(runes []rune, i int) int {
	j := i
	for j < len(runes) && ('a' <= runes[j] && runes[j] <= 'z' || 'A' <= runes[j] && runes[j] <= 'Z') {
		j++
	}
	if j == i || j >= len(runes) || (runes[j] != ':' && runes[j] != '：') {
		return -1
	}
	if !knownField(strings.ToLower(string(runes[i:j]))) {
		return -1
	}
	return j
}

func knownField(f string) bool {
	switch f {
	case "since", "until", "date":
		return true
	}
	for _, x := range TextFields {
		if f == x {
			return true
		}
	}
	for _, x := range FilterFields {
		if f == x {
			return true
		}
	}
	return false
}

// or := and ("OR" and)*
func (p *parser) or() (Node, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	nodes := []Node{first}
	for p.i < len(p.toks) && p.toks[p.i].kind == tokOr {
		t := p.toks[p.i]
		p.i++
		if p.i >= len(p.toks) || p.toks[p.i].kind == tokClose || p.toks[p.i].kind == tokOr {
			return nil, p.errAt(t, CodeDanglingOperator, "OR needs a word on both sides")
		}
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	if len(nodes) == 1 {
		return first, nil
	}
	return Or{Nodes: nodes}, nil
}

// and := unary+ ; consecutive bare Latin words merge into one phrase.
func (p *parser) and() (Node, error) {
	var nodes []Node
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		switch t.kind {
		case tokOr, tokClose:
			return p.finishAnd(nodes, t)
		case tokAnd:
			if len(nodes) == 0 {
				return nil, p.errAt(t, CodeDanglingOperator, "AND needs a word on both sides")
			}
			p.i++
			if p.i >= len(p.toks) || p.toks[p.i].kind == tokClose || p.toks[p.i].kind == tokOr || p.toks[p.i].kind == tokAnd {
				return nil, p.errAt(t, CodeDanglingOperator, "AND needs a word on both sides")
			}
			n, err := p.unary()
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, n)
			continue
		}
		if isLatinWord(t) {
			words := []string{t.text}
			p.i++
			for p.i < len(p.toks) && isLatinWord(p.toks[p.i]) {
				words = append(words, p.toks[p.i].text)
				p.i++
			}
			nodes = append(nodes, Text{Value: strings.Join(words, " "), Latin: len(words) > 1})
			continue
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	return p.finishAnd(nodes, token{col: len([]rune(p.src))})
}

func (p *parser) finishAnd(nodes []Node, at token) (Node, error) {
	switch len(nodes) {
	case 0:
		if at.kind == tokOr {
			return nil, p.errAt(at, CodeDanglingOperator, "OR needs a word on both sides")
		}
		return nil, p.errAt(at, CodeExpectedWord, "expected a word")
	case 1:
		return nodes[0], nil
	}
	return And{Nodes: nodes}, nil
}

// isLatinWord reports a bare word of letters and digits (after NFKC), which
// joins its neighbours into one phrase: Windows 7, Mac OS X, ＰＳ Ｖｉｔａ.
func isLatinWord(t token) bool {
	if t.kind != tokWord || t.neg || t.field != "" {
		return false
	}
	s := norm.NFKC.String(t.text)
	alnum := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			alnum = true
		case r == '-' || r == '.' || r == '+' || r == '_' || r == '\'':
		default:
			return false
		}
	}
	return alnum
}

// unary := "-"? primary
func (p *parser) unary() (Node, error) {
	t := p.toks[p.i]
	n, err := p.primary()
	if err != nil {
		return nil, err
	}
	if t.neg {
		return Not{Node: n}, nil
	}
	return n, nil
}

// primary := "(" or ")" | field:value | "phrase" | word
func (p *parser) primary() (Node, error) {
	t := p.toks[p.i]
	p.i++
	switch t.kind {
	case tokOpen:
		if p.i < len(p.toks) && p.toks[p.i].kind == tokClose {
			return nil, p.errAt(t, CodeEmptyGroup, "empty ( )")
		}
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.i >= len(p.toks) || p.toks[p.i].kind != tokClose {
			return nil, p.errAt(t, CodeUnmatchedOpen, "unmatched (: add the closing )")
		}
		p.i++
		return n, nil
	case tokWord, tokPhrase:
		return p.fielded(t)
	}
	return nil, p.errAt(t, CodeUnexpected, fmt.Sprintf("unexpected %q", t.text))
}

func (p *parser) fielded(t token) (Node, error) {
	switch t.field {
	case "":
		return Text{Value: t.text, Phrase: t.kind == tokPhrase}, nil
	case "title", "body":
		return Text{Value: t.text, Field: t.field, Phrase: t.kind == tokPhrase}, nil
	case "since":
		from, err := ParseSince(t.text)
		if err != nil {
			return nil, p.errAt(t, CodeBadDate, fmt.Sprintf("%s: %v", t.field, err))
		}
		return Dates{Since: from}, nil
	case "until":
		to, err := ParseUntil(t.text)
		if err != nil {
			return nil, p.errAt(t, CodeBadDate, fmt.Sprintf("%s: %v", t.field, err))
		}
		return Dates{Until: to}, nil
	case "date":
		from, to, err := ParseDateRange(t.text)
		if err != nil {
			return nil, p.errAt(t, CodeBadDate, fmt.Sprintf("%s: %v", t.field, err))
		}
		return Dates{Since: from, Until: to}, nil
	}
	return Filter{Field: t.field, Value: t.text}, nil
}

// dateLayouts are the date forms a query accepts, most precise first, with
// what one step of each covers.
var dateLayouts = []struct {
	layout string
	step   func(time.Time) time.Time
}{
	{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	{"2006/01/02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	{"2006年1月2日", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
	{"2006/01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
	{"2006年1月", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
	{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	{"2006年", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
}

// ParseDateRange reads a day, month or year (2012-02-20, 2012-02, 2012,
// 2012年2月) or a range of them (2012-01..2012-03, 2012.., ..2012-03) and
// returns the half-open interval it covers, in JST; a zero end is open. The
// interval is cut to [MinDate, MaxDate); one that lies wholly outside, or a
// range that ends before it starts, is an error.
func ParseDateRange(s string) (from, to time.Time, err error) {
	if from, to, err = parseRange(s); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return time.Time{}, time.Time{}, fmt.Errorf("the range %s ends before it starts: write the earlier date first", s)
	}
	if (!from.IsZero() && !from.Before(MaxDate)) || (!to.IsZero() && !to.After(MinDate)) {
		return time.Time{}, time.Time{}, outOfRange(s)
	}
	return clampSince(from), clampUntil(to), nil
}

// ParseSince reads a date as ParseDateRange does and returns the start of
// what it covers: since:2012-02 is on or after 2012-02-01. A start before
// MinDate is MinDate (every dated article); one at or after MaxDate is an
// error.
func ParseSince(s string) (time.Time, error) {
	from, _, err := parseRange(s)
	switch {
	case err != nil:
		return time.Time{}, err
	case from.IsZero():
		return time.Time{}, fmt.Errorf("%q has no start date: write one, as in 2012-01", s)
	case !from.Before(MaxDate):
		return time.Time{}, outOfRange(s)
	}
	return clampSince(from), nil
}

// ParseUntil reads a date as ParseDateRange does and returns the end
// (exclusive) of what it covers: until:2012-02 is before 2012-03-01. An end
// after MaxDate is MaxDate (every dated article); one at or before MinDate
// is an error.
func ParseUntil(s string) (time.Time, error) {
	_, to, err := parseRange(s)
	switch {
	case err != nil:
		return time.Time{}, err
	case to.IsZero():
		return time.Time{}, fmt.Errorf("%q has no end date: write one, as in 2012-03", s)
	case !to.After(MinDate):
		return time.Time{}, outOfRange(s)
	}
	return clampUntil(to), nil
}

func clampSince(t time.Time) time.Time {
	if !t.IsZero() && t.Before(MinDate) {
		return MinDate
	}
	return t
}

func clampUntil(t time.Time) time.Time {
	if !t.IsZero() && t.After(MaxDate) {
		return MaxDate
	}
	return t
}

func outOfRange(s string) error {
	return fmt.Errorf("%s lies outside the years that can be searched, %d to %d", s, MinDate.Year(), MaxDate.Year()-1)
}

// parseRange reads a date or a range of dates, as written.
func parseRange(s string) (from, to time.Time, err error) {
	s = norm.NFKC.String(strings.TrimSpace(s))
	if a, b, ok := strings.Cut(s, ".."); ok {
		if a != "" {
			if from, _, err = parseOne(a); err != nil {
				return
			}
		}
		if b != "" {
			if _, to, err = parseOne(b); err != nil {
				return
			}
		}
		if a == "" && b == "" {
			err = fmt.Errorf("a range needs a start or an end: 2012-01..2012-03")
		}
		return
	}
	return parseOne(s)
}

func parseOne(s string) (time.Time, time.Time, error) {
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l.layout, s, Location); err == nil {
			return t, l.step(t), nil
		}
	}
	return time.Time{}, time.Time{}, fmt.Errorf("cannot read date %q: use YYYY-MM-DD, YYYY-MM or YYYY, or a range A..B", s)
}
