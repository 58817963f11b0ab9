package reader

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// JST is Japan Standard Time (UTC+9), the zone of dates written without one.
var JST = time.FixedZone("JST", 9*60*60)

// layoutsZoned are the layouts with a zone that ParseDate tries, in order.
// Named zones are replaced by numeric offsets before these are tried (see
// zoneOffsets), so "MST" layouts are not needed.
var layoutsZoned = []string{
	time.RFC3339Nano,                     // 2012-02-20T13:00:00.5+09:00
	"2006-01-02T15:04:05.999999999Z0700", // 2012-02-20T13:00:00+0900 (livedoor)
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999 -0700",
	"Mon, 2 Jan 2006 15:04:05 -0700", // RFC 1123Z, RFC 822 with 4-digit year (RSS)
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04 -0700", // RFC 822Z with a weekday
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04 -0700", // RFC 822Z
	"Monday, 2 Jan 2006 15:04:05 -0700",
	"Monday, 02-Jan-06 15:04:05 -0700", // RFC 850
	"Mon Jan 2 15:04:05 -0700 2006",    // Ruby date
}

// layoutsLocal are the layouts without a zone; they are read as JST.
var layoutsLocal = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"2006/1/2",
	"2006.1.2",
	"20060102",
	"Mon, 2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006",
	"Mon Jan 2 15:04:05 2006", // ANSI C
	"January 2, 2006",
	"Jan 2, 2006",
}

// zoneOffsets are the zone names of RFC 822 and RSS dates that ParseDate
// knows, with JST. time.Parse gives unknown names a zero offset, which
// would silently shift JST dates by nine hours.
var zoneOffsets = map[string]string{
	"UT": "+0000", "UTC": "+0000", "GMT": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
	"JST": "+0900", "KST": "+0900",
}

// japaneseDate matches 2012年2月20日, optionally with a weekday such as
// (月) and a time as 午後1時5分30秒 or 13:05:30 (seconds and minutes
// optional). ParseDate has folded widths and spaces before matching.
var japaneseDate = regexp.MustCompile(`^(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日` +
	`(?: ?\( ?[日月火水木金土](?:曜日?)? ?\))?` +
	`(?: ?(午前|午後)? ?(\d{1,2}) ?時(?: ?(\d{1,2}) ?分(?: ?(\d{1,2}) ?秒)?)?` +
	`| ?(午前|午後)? ?(\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)

// ParseDate reads a date in one of these forms; a date without a zone is
// JST (UTC+9):
//
//	2012-02-20T13:00:00+09:00        RFC 3339 (also with fractions or Z)
//	2012-02-20T13:00:00+0900         the livedoor corpus form
//	2012-02-20 13:00:00, 2012-02-20T13:00, 2012-02-20, 20120220
//	2012/02/20 13:00, 2012/2/20, 2012.02.20
//	2012年2月20日, 2012年2月20日(月) 午後1時5分, 2012年2月20日 13:05
//	Mon, 20 Feb 2012 13:00:00 +0900  RFC 1123Z and RFC 822 variants
//	Mon, 20 Feb 2012 13:00:00 GMT    with UT, GMT, US zones or JST
//	Feb 20, 2012
//
// Full-width digits are read as digits.
func ParseDate(s string) (time.Time, error) {
	in := s
	s = strings.Join(strings.Fields(width.Fold.String(s)), " ")
	if s == "" {
		return time.Time{}, fmt.Errorf("empty date")
	}
	if t, ok := parseJapaneseDate(s); ok {
		return t, nil
	}
	s = numericZone(s)
	for _, layout := range layoutsZoned {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range layoutsLocal {
		if t, err := time.ParseInLocation(layout, s, JST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unknown date form %q: want a form such as 2012-02-20T13:00:00+09:00", in)
}

// numericZone replaces a final zone name that zoneOffsets knows with its
// numeric offset, and a final "+09:00" after a space with "+0900".
func numericZone(s string) string {
	i := strings.LastIndexByte(s, ' ')
	if i < 0 {
		return s
	}
	last := s[i+1:]
	if off, ok := zoneOffsets[strings.ToUpper(last)]; ok {
		return s[:i+1] + off
	}
	if len(last) == 6 && (last[0] == '+' || last[0] == '-') && last[3] == ':' {
		return s[:i+1] + last[:3] + last[4:]
	}
	return s
}

// parseJapaneseDate reads the 年月日 forms of ParseDate in JST.
func parseJapaneseDate(s string) (time.Time, bool) {
	m := japaneseDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	num := func(i int) int {
		if m[i] == "" {
			return 0
		}
		n, _ := strconv.Atoi(m[i])
		return n
	}
	year, month, day := num(1), num(2), num(3)
	ampm, hour, minute, sec := m[4], num(5), num(6), num(7)
	if m[9] != "" { // the 13:05:30 form
		ampm, hour, minute, sec = m[8], num(9), num(10), num(11)
	}
	switch ampm {
	case "午前":
		if hour > 12 {
			return time.Time{}, false
		}
		if hour == 12 {
			hour = 0
		}
	case "午後":
		if hour > 12 {
			return time.Time{}, false
		}
		if hour < 12 {
			hour += 12
		}
	}
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, JST)
	if t.Day() != day { // 2月30日 rolls over into March
		return time.Time{}, false
	}
	return t, true
}
