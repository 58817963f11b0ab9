package index

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// CategoryNamesFile is the file in an index's directory that gives the
// categories display names, one a line: the category as indexed, a tab,
// the name to show (it-life-hack<TAB>ITライフハック). Empty lines and lines
// that start with # are skipped.
const CategoryNamesFile = "categories.tsv"

// knownCategories are the display names of the folders of the livedoor
// news corpus (the sections of the site it was collected from): the folder
// is the category of an article that names none.
var knownCategories = map[string]string{
	"dokujo-tsushin": "独女通信",
	"it-life-hack":   "ITライフハック",
	"kaden-channel":  "家電チャンネル",
	"livedoor-homme": "livedoor HOMME",
	"movie-enter":    "MOVIE ENTER",
	"peachy":         "Peachy",
	"smax":           "エスマックス",
	"sports-watch":   "Sports Watch",
	"topic-news":     "トピックニュース",
}

// CategoryNames returns the display names of categories for the index in
// dir: the livedoor corpus's section names, and those of the index's
// CategoryNamesFile, which take precedence. A category without a name is
// shown as it is. A missing file is no error; a line without a tab is.
func CategoryNames(dir string) (map[string]string, error) {
	out := make(map[string]string, len(knownCategories))
	for k, v := range knownCategories {
		out[k] = v
	}
	path := filepath.Join(dir, CategoryNamesFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		value, name, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(value) == "" || strings.TrimSpace(name) == "" {
			return out, fmt.Errorf("%s:%d: want CATEGORY<TAB>NAME, got %q", path, n, line)
		}
		out[cleanKeyword(value)] = strings.TrimSpace(name)
	}
	return out, sc.Err()
}
