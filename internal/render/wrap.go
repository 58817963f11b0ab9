package render

import (
	"strings"
	"unicode"

	"github.com/mattn/go-runewidth"

	"github.com/newsearch/newsearch/index"
)

// wrap writes a snippet for a terminal width columns wide, each line
// starting with indent, its marks between on and off (closed at the end of
// a line and opened again on the next). Widths are display widths (East
// Asian Width: a kanji takes two columns), measured by go-runewidth. A line
// breaks between any two Japanese characters, but not before closing
// punctuation (、。」) nor after opening punctuation (「), and a Latin
// word moves whole to the next line when it fits there.
func wrap(sn index.Snippet, on, off, indent string, width int) string {
	type cell struct {
		r      rune
		marked bool
	}
	var cells []cell
	text := sn.Text
	at := 0
	push := func(s string, marked bool) {
		for _, r := range printable(s) {
			cells = append(cells, cell{r, marked})
		}
	}
	for _, m := range sn.Marks {
		if m.Start < at || m.End > len(text) || m.Start >= m.End {
			continue
		}
		push(text[at:m.Start], false)
		push(text[m.Start:m.End], true)
		at = m.End
	}
	push(text[at:], false)

	room := width - runewidth.StringWidth(indent)
	// the marks take room when they are printed ([ and ] without colour)
	onW, offW := visibleWidth(on), visibleWidth(off)
	var lines [][]cell
	for len(cells) > 0 {
		w, n := 0, 0
		for n < len(cells) {
			cw := runewidth.RuneWidth(cells[n].r)
			if cells[n].marked && (n == 0 || !cells[n-1].marked) {
				cw += onW
			}
			if !cells[n].marked && n > 0 && cells[n-1].marked {
				cw += offW
			}
			closing := 0
			if cells[n].marked {
				closing = offW // a mark open at the end of a line is closed there
			}
			if w+cw+closing > room {
				break
			}
			w += cw
			n++
		}
		if n == len(cells) {
			lines = append(lines, cells)
			break
		}
		cut := n
		// a Latin word, or punctuation that must not start or end a line,
		// is not cut: break earlier where that can be done
		for k := n; k > n/2; k-- {
			prev, next := cells[k-1].r, cells[k].r
			if isWordRune(prev) && isWordRune(next) || strings.ContainsRune("、。，．）」』】！？!?,.)ー", next) || strings.ContainsRune("（「『【(", prev) {
				continue
			}
			cut = k
			break
		}
		if cut == 0 {
			cut = 1
		}
		lines = append(lines, cells[:cut])
		cells = cells[cut:]
		for len(cells) > 0 && cells[0].r == ' ' {
			cells = cells[1:] // a space at a break is the break
		}
	}
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(indent)
		inMark := false
		for _, c := range line {
			if c.marked != inMark {
				if c.marked {
					b.WriteString(on)
				} else {
					b.WriteString(off)
				}
				inMark = c.marked
			}
			b.WriteRune(c.r)
		}
		if inMark {
			b.WriteString(off)
		}
	}
	return b.String()
}

// visibleWidth is the display width of s without its ANSI escapes.
func visibleWidth(s string) int {
	if strings.HasPrefix(s, "\x1b[") {
		return 0
	}
	return runewidth.StringWidth(s)
}

// isWordRune reports a letter or digit of a Latin word, which a line does
// not break inside.
func isWordRune(r rune) bool {
	return r < 0x3000 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || r == '.')
}
