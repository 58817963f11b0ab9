package qparse

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
)

// show renders a parse tree compactly.
func show(n Node) string {
	switch n := n.(type) {
	case Text:
		s := n.Value
		if n.Phrase {
			s = `"` + s + `"`
		}
		if n.Latin {
			s = "L(" + s + ")"
		}
		if n.Field != "" {
			s = n.Field + ":" + s
		}
		return s
	case Filter:
		return n.Field + "=" + n.Value
	case Dates:
		return fmt.Sprintf("dates[%s,%s)", day(n.Since), day(n.Until))
	case And:
		return "AND(" + join(n.Nodes) + ")"
	case Or:
		return "OR(" + join(n.Nodes) + ")"
	case Not:
		return "NOT(" + show(n.Node) + ")"
	}
	return "?"
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func join(ns []Node) string {
	var out []string
	for _, n := range ns {
		out = append(out, show(n))
	}
	return strings.Join(out, " ")
}

func TestParse(t *testing.T) {
	tests := []struct{ q, want string }{
		{"呉泳銘", "呉泳銘"},
		{"ダルビッシュ レンジャーズ", "AND(ダルビッシュ レンジャーズ)"},
		{"ダルビッシュ　レンジャーズ", "AND(ダルビッシュ レンジャーズ)"}, // full-width space
		{"Windows 7", "L(Windows 7)"},
		{"Mac OS X タブレット", "AND(L(Mac OS X) タブレット)"},
		{"ＰＳ Ｖｉｔａ", "L(ＰＳ Ｖｉｔａ)"},
		{"iPad AND iPhone", "AND(iPad iPhone)"},
		{`"日本 代表"`, `"日本 代表"`},
		{"iPad OR iPhone", "OR(iPad iPhone)"},
		{"京都 -東京", "AND(京都 NOT(東京))"},
		{"(iPad OR iPhone) 電子書籍", "AND(OR(iPad iPhone) 電子書籍)"},
		{"title:決算 category:it-life-hack", "AND(title:決算 category=it-life-hack)"},
		{`title:"日本 代表"`, `title:"日本 代表"`},
		{"since:2012-01 until:2012-03-31", "AND(dates[2012-01-01,) dates[,2012-04-01))"},
		{"date:2012-02", "dates[2012-02-01,2012-03-01)"},
		{"date:2011..2012", "dates[2011-01-01,2013-01-01)"},
		{"12:00", "12:00"},
		{"http://example.com", "http://example.com"},
		{"-", "-"},
		{"  ", "?"},
	}
	for _, tt := range tests {
		n, err := Parse(tt.q)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.q, err)
			continue
		}
		if got := show(n); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.q, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		q      string
		column int
		msg    string
		code   Code // what a program (the search page) keys its message by
		field  string
	}{
		{`"unclosed`, 1, "quote", CodeUnterminatedQuote, ""},
		{`(京都`, 1, "unmatched (", CodeUnmatchedOpen, ""},
		{`京都)`, 3, "unmatched )", CodeUnmatchedClose, ""},
		{`OR 京都`, 1, "OR", CodeDanglingOperator, ""},
		{`京都 OR`, 4, "OR", CodeDanglingOperator, ""},
		{`since:2012-13`, 1, "cannot read date", CodeBadDate, "since"},
		{`title:`, 1, "needs a value", CodeMissingValue, "title"},
		{`()`, 1, "empty", CodeEmptyGroup, ""},
		{`AND 京都`, 1, "AND", CodeDanglingOperator, ""},
		{strings.Repeat("あ", MaxRunes+1), MaxRunes + 1, "the limit is", CodeTooLong, ""},
		{strings.Repeat("あ ", MaxTerms+1), 2*MaxTerms + 1, "the limit is", CodeTooManyTerms, ""},
	}
	for _, tt := range tests {
		_, err := Parse(tt.q)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%.20q) = %v, want an *Error", tt.q, err)
			continue
		}
		if e.Column != tt.column || !strings.Contains(e.Msg, tt.msg) || e.Code != tt.code || e.Field != tt.field {
			t.Errorf("Parse(%.20q): column %d %q code %q field %q, want column %d containing %q, code %q, field %q",
				tt.q, e.Column, e.Msg, e.Code, e.Field, tt.column, tt.msg, tt.code, tt.field)
		}
	}
}

func TestParseDateRange(t *testing.T) {
	for _, s := range []string{"2012-02-20", "2012/02/20", "2012年2月20日", "２０１２－０２－２０"} {
		from, to, err := ParseDateRange(s)
		if err != nil || day(from) != "2012-02-20" || day(to) != "2012-02-21" {
			t.Errorf("ParseDateRange(%q) = %v %v %v", s, from, to, err)
		}
	}
	if from, _, _ := ParseDateRange("2012-02"); from.Location() != Location {
		t.Errorf("dates are not JST: %v", from)
	}
}

// Every date the language reads is answered or refused with an *Error:
// bounds outside the years bleve can search move to them, and a date that
// lies wholly outside them is refused (it used to reach bleve, which failed
// the search: HTTP 500, exit status 1).
func TestParseDatesOutsideTheSearchableYears(t *testing.T) {
	min, max := day(MinDate), day(MaxDate)
	for _, tt := range []struct{ q, want string }{
		{"since:0000-01", "dates[" + min + ",)"},
		{"since:1500", "dates[" + min + ",)"},
		{"since:1678", "dates[1678-01-01,)"},
		{"until:2262", "dates[," + max + ")"},
		{"until:9999-12-31", "dates[," + max + ")"},
		{"until:2261", "dates[,2262-01-01)"},
		{"date:1000..3000", "dates[" + min + "," + max + ")"},
		{"date:1677..1678", "dates[" + min + ",1679-01-01)"},
		{"date:1500..", "dates[" + min + ",)"},
		{"date:..3000", "dates[," + max + ")"},
	} {
		n, err := Parse(tt.q)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.q, err)
			continue
		}
		if got := show(n); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.q, got, tt.want)
		}
	}
	for _, tt := range []struct{ q, msg string }{
		{"since:2262", "outside the years that can be searched, 1678 to 2261"},
		{"since:9999-12", "outside"},
		{"until:1677", "outside"},
		{"until:0000-01", "outside"},
		{"date:1500", "outside"},
		{"date:2300..3000", "outside"},
		{"date:..1600", "outside"},
		{"date:2013..2012", "ends before it starts"},
		{"since:..2012", "no start date"},
		{"until:2012..", "no end date"},
	} {
		_, err := Parse("京都 " + tt.q)
		var e *Error
		if !errors.As(err, &e) || e.Column != 4 || !strings.Contains(e.Msg, tt.msg) {
			t.Errorf("Parse(%q) = %v, want an *Error at column 4 saying %q", "京都 "+tt.q, err, tt.msg)
		}
	}
}

// The searchable years lie within what bleve's date queries accept: a
// bleve upgrade that narrowed them would fail here, not in a search.
func TestSearchableYearsAreBleves(t *testing.T) {
	incl, excl := true, false
	if err := query.NewDateRangeInclusiveQuery(MinDate, MaxDate, &incl, &excl).Validate(); err != nil {
		t.Errorf("bleve refuses a date query from MinDate %s to MaxDate %s: %v", MinDate, MaxDate, err)
	}
	for _, s := range []string{"since:1000", "until:3000", "date:1000..3000"} {
		n, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		d := n.(Dates)
		if err := query.NewDateRangeInclusiveQuery(d.Since, d.Until, &incl, &excl).Validate(); err != nil {
			t.Errorf("%s: bleve refuses [%s, %s): %v", s, d.Since, d.Until, err)
		}
	}
}

func TestParseDateFunctions(t *testing.T) {
	if got, err := ParseSince("2012-02..2012-04"); err != nil || day(got) != "2012-02-01" {
		t.Errorf("ParseSince(2012-02..2012-04) = %s, %v; want 2012-02-01", day(got), err)
	}
	if got, err := ParseUntil("2012-02..2012-04"); err != nil || day(got) != "2012-05-01" {
		t.Errorf("ParseUntil(2012-02..2012-04) = %s, %v; want 2012-05-01", day(got), err)
	}
	if got, err := ParseSince("1500"); err != nil || !got.Equal(MinDate) {
		t.Errorf("ParseSince(1500) = %s, %v; want MinDate", got, err)
	}
	if got, err := ParseUntil("2300"); err != nil || !got.Equal(MaxDate) {
		t.Errorf("ParseUntil(2300) = %s, %v; want MaxDate", got, err)
	}
	for _, s := range []string{"2300", "yesterday"} {
		if _, err := ParseSince(s); err == nil {
			t.Errorf("ParseSince(%q) is no error", s)
		}
	}
	for _, s := range []string{"1500", "2012-13"} {
		if _, err := ParseUntil(s); err == nil {
			t.Errorf("ParseUntil(%q) is no error", s)
		}
	}
}

// A query of more than MaxTerms terms, or MaxRunes characters, is refused
// with an *Error at the first term or character over the limit (10,000
// ORs took 20 s and 830 MB).
func TestParseLimits(t *testing.T) {
	terms := func(n int, sep string) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = fmt.Sprintf("語%d", i)
		}
		return strings.Join(ws, sep)
	}
	for _, q := range []string{terms(MaxTerms, " "), terms(MaxTerms, " OR "), "(" + terms(MaxTerms, ") OR (") + ")", strings.Repeat("あ", MaxRunes)} {
		if _, err := Parse(q); err != nil {
			t.Errorf("a query at the limits: %v", err)
		}
	}
	for _, tt := range []struct {
		name   string
		q      string
		column int
		msg    string
	}{
		{"words", terms(MaxTerms+1, " "), len([]rune(terms(MaxTerms, " "))) + 2, "the limit is 64"},
		{"ORs", terms(MaxTerms+1, " OR "), len([]rune(terms(MaxTerms, " OR "))) + 5, "the limit is 64"},
		{"phrases and filters", strings.Repeat(`"a b" category:x `, MaxTerms/2) + "tag:y", len([]rune(strings.Repeat(`"a b" category:x `, MaxTerms/2))) + 1, "the limit is 64"},
		{"characters", strings.Repeat("あ", MaxRunes+1), MaxRunes + 1, "1001 characters long; the limit is 1000"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.q)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse: %v, want an *Error", err)
			}
			if e.Column != tt.column || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("column %d %q, want column %d containing %q", e.Column, e.Msg, tt.column, tt.msg)
			}
			if n := utf8.RuneCountInString(e.Error()); n > 300 {
				t.Errorf("the message is %d characters long: it repeats the whole query: %.200s", n, e.Error())
			}
		})
	}
}

func TestErrorShowsThePartOfALongQueryAtTheMistake(t *testing.T) {
	q := strings.Repeat("京都 ", 40) + `"unclosed ` + strings.Repeat("大阪 ", 40)
	_, err := Parse(q)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if !strings.Contains(msg, `京都 \"unclosed 大阪`) || !strings.Contains(msg, "…") || strings.Count(msg, "京都") > 20 {
		t.Errorf("message %q: want the text around the quote, with … for the rest", msg)
	}
	if short := `京都 "x`; !strings.Contains(mustErr(t, short), strconv.Quote(short)) {
		t.Errorf("a short query is not shown whole: %s", mustErr(t, short))
	}
}

func mustErr(t *testing.T, q string) string {
	t.Helper()
	_, err := Parse(q)
	if err == nil {
		t.Fatalf("Parse(%q): no error", q)
	}
	return err.Error()
}

// FuzzParse: Parse never panics, and an error is an *Error whose column
// lies within the query.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"呉泳銘", `"a b" OR (c -d)`, "title:x since:2012", "((", `"`, "-", "OR", "date:..", "ＡＮＤ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		_, err := Parse(q)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Parse(%q): %v is not an *Error", q, err)
		}
		if e.Column < 1 || e.Column > len([]rune(q))+1 {
			t.Fatalf("Parse(%q): column %d outside the query", q, e.Column)
		}
	})
}
