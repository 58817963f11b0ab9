package qparse

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
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
	}{
		{`"unclosed`, 1, "quote"},
		{`(京都`, 1, "unmatched ("},
		{`京都)`, 3, "unmatched )"},
		{`OR 京都`, 1, "OR"},
		{`京都 OR`, 4, "OR"},
		{`since:2012-13`, 1, "cannot read date"},
		{`title:`, 1, "needs a value"},
		{`()`, 1, "empty"},
		{`AND 京都`, 1, "AND"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.q)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %v, want an *Error", tt.q, err)
			continue
		}
		if e.Column != tt.column || !strings.Contains(e.Msg, tt.msg) {
			t.Errorf("Parse(%q): column %d %q, want column %d containing %q", tt.q, e.Column, e.Msg, tt.column, tt.msg)
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
