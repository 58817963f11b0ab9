package index

import (
	"bufio"
	"compress/gzip"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/internal/knowledge"
)

// What the index learns from its articles (issue 13): the aliases their
// writers gloss (呉泳銘（エディ・ウー）), the readings of the names they use,
// and which articles are near-duplicates.
//
// Each article's share is worked out when it is prepared (learn), with its
// analysis, on the goroutine that prepares it. A writer keeps every
// article's share in a table (knowledge.gob.gz) and, when it publishes a
// generation, writes from it the tables readers use: the aliases with
// their support and articles (aliases.json.gz) and the clusters of
// near-duplicates (clusters.json.gz). The table is kept up to date article
// by article: an article added again replaces its share, an article
// deleted takes its share with it, so an alias whose only articles are
// gone is gone. The derived tables are made anew from the whole table at
// each publication (a few milliseconds for the aliases; the clusters by
// LSH, in proportion to the articles); rebuilding them from the shards'
// stored text would cost a second analysis of every article. All three
// files are in the generation, published with its shards: a crash never
// separates them.

// Files of the knowledge tables in a generation.
const (
	knowFile = "knowledge.gob.gz" // the writer's table: each article's share
	// changes to it since, one file a commit, in the order of their numbers
	knowLogPrefix = "knowledge.log."
	// the derived tables lack changes of the writer's table: made anew at the next commit
	knowPendingFile = "knowledge.pending"
	aliasesFile     = "aliases.json.gz"  // the aliases and name readings, for readers
	clustersFile    = "clusters.json.gz" // the clusters of near-duplicates, for readers
)

// UserAliasesFile is the user's aliases file in an index directory: read
// at query time (see Index.SetAliasesFile).
const UserAliasesFile = "aliases.txt"

// docKnowledge is one article's share.
type docKnowledge struct {
	Pairs  []knowledge.Pair
	Names  []nameReadings // its people's and organisations' names, with their readings
	Signed bool
	Sig    knowledge.Signature
}

// nameReadings is a name an article uses and how the dictionaries read it.
type nameReadings struct {
	Name     string
	Readings []string
}

// benchNoLearn makes Prepare learn nothing: the baseline of
// BenchmarkPrepareLearn, set by it only.
var benchNoLearn bool

// learn works out an article's share from its analysis.
func (ix *Index) learn(a Article, title, body []analyzer.Token, people, orgs []string) *docKnowledge {
	k := &docKnowledge{}
	seen := map[knowledge.Pair]bool{}
	for _, p := range append(knowledge.Mine(a.Title, title), knowledge.Mine(a.Body, body)...) {
		if !seen[p] {
			seen[p] = true
			k.Pairs = append(k.Pairs, p)
		}
	}
	named := map[string]bool{}
	addName := func(name string, person bool) {
		if named[name] {
			return
		}
		named[name] = true
		if rs := analyzer.NameReadings(name, person); rs != nil {
			k.Names = append(k.Names, nameReadings{Name: name, Readings: rs})
		}
	}
	for _, p := range people {
		addName(p, true)
	}
	for _, o := range orgs {
		addName(o, false)
	}
	// a surname and a given name before a title (孫正義社長), which the
	// analysis may tag as common nouns: the dictionaries' names decide
	for _, t := range []struct {
		text  string
		words []analyzer.Token
	}{{a.Title, title}, {a.Body, body}} {
		for _, name := range titledNames(t.text, t.words) {
			addName(name, true)
		}
	}
	var terms []string
	for _, w := range title {
		terms = append(terms, w.Term)
	}
	// the body's prose lines, from the analysis at hand (a second
	// analysis would cost a quarter of the indexing)
	prose := knowledge.ProseRanges(a.Body)
	for _, w := range body {
		for len(prose) > 0 && w.Start >= prose[0][1] {
			prose = prose[1:]
		}
		if len(prose) == 0 {
			break
		}
		if w.Start >= prose[0][0] {
			terms = append(terms, w.Term)
		}
	}
	k.Sig, k.Signed = knowledge.Sign(terms)
	return k
}

// entities adds to an article's people and organisations the names its
// glosses give them (エディ・ウー of 呉泳銘（エディ・ウー）, NTT of
// 日本電信電話（NTT）) and the katakana names written before a title
// (エディ・ウー氏), so that the facets can count an entity under each of
// its names.
func (k *docKnowledge) entities(a Article, title, body []analyzer.Token, people, orgs []string) ([]string, []string) {
	has := func(list []string, s string) bool {
		for _, x := range list {
			if knowledge.Key(x) == knowledge.Key(s) {
				return true
			}
		}
		return false
	}
	for _, p := range k.Pairs {
		if p.Kind == knowledge.Reading {
			continue
		}
		for _, side := range [][2]string{{p.Term, p.Alias}, {p.Alias, p.Term}} {
			switch {
			case has(people, side[0]) && !has(people, side[1]):
				people = append(people, cleanKeyword(side[1]))
			case has(orgs, side[0]) && !has(orgs, side[1]):
				orgs = append(orgs, cleanKeyword(side[1]))
			}
		}
	}
	for _, t := range []struct {
		text  string
		words []analyzer.Token
	}{{a.Title, title}, {a.Body, body}} {
		for j := 1; j < len(t.words); j++ {
			w := t.words[j-1]
			name := t.text[w.Start:w.End]
			if analyzer.IsNameTitle(t.words[j].Term) && t.words[j].Start == w.End && strings.ContainsRune(name, '・') && katakanaName(name) && !has(people, name) {
				people = append(people, cleanKeyword(name))
			}
		}
	}
	return people, orgs
}

// katakanaName reports katakana words joined by middle dots (エディ・ウー).
func katakanaName(s string) bool {
	parts := strings.Split(s, "・")
	for _, p := range parts {
		if p == "" {
			return false
		}
		for _, r := range p {
			if !(0x30a1 <= r && r <= 0x30fa || r == 'ー') {
				return false
			}
		}
	}
	return len(parts) >= 2
}

// titledNames returns the runs of two or three kanji words right before a
// title word (氏, 社長, 選手, ...): candidates for names.
func titledNames(text string, words []analyzer.Token) []string {
	var out []string
	for j := 1; j < len(words); j++ {
		if !analyzer.IsNameTitle(words[j].Term) || words[j].Start != words[j-1].End {
			continue
		}
		i := j - 1
		for i > 0 && j-i < 3 && words[i-1].End == words[i].Start && kanjiOnly(text[words[i-1].Start:words[i-1].End]) {
			i--
		}
		if j-i >= 2 && kanjiOnly(text[words[i].Start:words[j-1].End]) {
			out = append(out, text[words[i].Start:words[j-1].End])
		}
	}
	return out
}

func kanjiOnly(s string) bool {
	for _, r := range s {
		if r < 0x3400 || r > 0x9fff {
			return false
		}
	}
	return s != ""
}

// knowTable is a writer's table of every article's share.
//
// On disk the table is a base (knowFile) and the changes since it, a file
// a commit (knowLogPrefix + sequence): a commit writes what changed, and
// the base is written anew only when the changes add up to half the table,
// so a build of N articles writes a few times N records in all, not N at
// every commit. The tables derived for readers are made anew at every
// commit of a small table, and for a large one when a quarter of it
// changed since they were made, and when a writer closes; until then readers see those of an earlier commit (a new
// article is found, but its aliases and near-duplicates wait), and
// knowPendingFile in the generation says so, for the next writer.
type knowTable struct {
	mu      sync.Mutex
	loaded  bool
	changed bool
	by      map[string]*docKnowledge
	// dirty are the articles changed or deleted since the last commit
	dirty map[string]bool
	// logged is the number of records in the change files after the base;
	// logs is the number of those files
	logged, logs int
	// stale is the number of changes the derived tables lack
	stale int
}

// writerKnowledge returns the writer's table, loaded from its generation.
// Call with mu held (read or write).
func (ix *Index) writerKnowledge() (*knowTable, error) {
	t := ix.w.know
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.loaded {
		return t, nil
	}
	by, err := readKnowTable(ix.st.Path(ix.gen, knowFile))
	if err != nil {
		return nil, err
	}
	logs, err := knowLogs(ix.st.Path(ix.gen))
	if err != nil {
		return nil, err
	}
	for _, path := range logs {
		n, err := readKnowRecords(path, func(r knowRecord) {
			if r.K == nil {
				delete(by, r.ID)
			} else {
				by[r.ID] = r.K
			}
		})
		if err != nil {
			return nil, err
		}
		t.logged += n
	}
	t.by, t.logs, t.loaded = by, len(logs), true
	if _, err := os.Stat(ix.st.Path(ix.gen, knowPendingFile)); err == nil {
		t.stale = len(by) + 1 // made anew at the next commit
	}
	return t, nil
}

// knowLogs returns the change files of the writer's table in a
// generation's directory, in order.
func knowLogs(dir string) ([]string, error) {
	logs, err := filepath.Glob(filepath.Join(dir, knowLogPrefix+"*.gob.gz"))
	sort.Strings(logs) // numbered with leading zeros
	return logs, err
}

// recordKnowledge records what a batch changes: the shares of the
// articles written, none for those deleted.
func (ix *Index) recordKnowledge(docs []*Doc, deletes []string) error {
	t, err := ix.writerKnowledge()
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dirty == nil {
		t.dirty = map[string]bool{}
	}
	for _, id := range deletes {
		if _, ok := t.by[id]; ok {
			delete(t.by, id)
			t.dirty[id], t.changed = true, true
		}
	}
	for _, d := range docs {
		if d.know != nil {
			t.by[d.id] = d.know
			t.dirty[d.id], t.changed = true, true
		}
	}
	return nil
}

// knowDerivedEvery is the size of the writer's table up to which the
// derived tables are made anew at every commit (about 0.1 s).
var knowDerivedEvery = 20000 // a variable for tests

// knowRecord is one line of the writer's table on disk.
type knowRecord struct {
	ID string
	K  *docKnowledge
}

func readKnowTable(path string) (map[string]*docKnowledge, error) {
	by := map[string]*docKnowledge{}
	_, err := readKnowRecords(path, func(r knowRecord) { by[r.ID] = r.K })
	return by, err
}

// readKnowRecords calls f with each record of a file of the writer's
// table (a deleted article's has no K), and returns how many there were;
// a missing file has none.
func readKnowRecords(path string, f func(knowRecord)) (int, error) {
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer file.Close()
	zr, err := gzip.NewReader(bufio.NewReader(file))
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	dec := gob.NewDecoder(zr)
	n := 0
	for {
		var r knowRecord
		if err := dec.Decode(&r); err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
		}
		f(r)
		n++
	}
}

// writeGz writes a gzipped file into the writer's generation, whole and
// renamed into place (a clone shares .gz files by hard link: one is never
// changed once written).
func (ix *Index) writeGz(name string, write func(w io.Writer) error) error {
	path := ix.st.Path(ix.gen, name)
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	bw := bufio.NewWriterSize(f, 1<<20)
	zw := gzip.NewWriter(bw)
	err = write(zw)
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// saveKnowledge writes into its generation what changed in the writer's
// table (or the table whole, when the changes since it was last written
// whole add up to half of it), and the tables derived from it when a
// quarter of it changed since they were made, it is small
// (knowDerivedEvery) or final is set (the writer closes). Call with mu
// held.
func (ix *Index) saveKnowledge(final bool) error {
	t := ix.w.know
	if t == nil || !t.changed && !(final && t.stale > 0) {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stale += len(t.dirty)
	if t.logged+len(t.dirty) > len(t.by)/2 {
		if err := ix.writeKnowBase(t); err != nil {
			return err
		}
	} else if len(t.dirty) > 0 {
		name := fmt.Sprintf("%s%06d.gob.gz", knowLogPrefix, t.logs+1)
		if err := ix.writeKnowRecords(name, t, sortedKeys(t.dirty)); err != nil {
			return err
		}
		t.logs++
		t.logged += len(t.dirty)
	}
	t.dirty, t.changed = nil, false
	pending := ix.st.Path(ix.gen, knowPendingFile)
	if !final && len(t.by) > knowDerivedEvery && t.stale*4 < len(t.by) {
		return os.WriteFile(pending, nil, 0o644)
	}
	ids := t.sortedIDs()
	at := buildAliasTable(ids, t.by)
	if err := ix.writeGz(aliasesFile, func(w io.Writer) error { return json.NewEncoder(w).Encode(at) }); err != nil {
		return err
	}
	ct := buildClusters(ids, t.by)
	if err := ix.writeGz(clustersFile, func(w io.Writer) error { return json.NewEncoder(w).Encode(ct) }); err != nil {
		return err
	}
	t.stale = 0
	if err := os.Remove(pending); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (t *knowTable) sortedIDs() []string { return sortedKeys(t.by) }

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeKnowRecords writes the records of the articles ids of the writer's
// table (one without a share where it was deleted) as the file name.
func (ix *Index) writeKnowRecords(name string, t *knowTable, ids []string) error {
	return ix.writeGz(name, func(w io.Writer) error {
		enc := gob.NewEncoder(w)
		for _, id := range ids {
			if err := enc.Encode(knowRecord{ID: id, K: t.by[id]}); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeKnowBase writes the writer's table whole, and removes the change
// files it makes needless (from this generation only: earlier ones share
// them by hard link).
func (ix *Index) writeKnowBase(t *knowTable) error {
	if err := ix.writeKnowRecords(knowFile, t, t.sortedIDs()); err != nil {
		return err
	}
	logs, err := knowLogs(ix.st.Path(ix.gen))
	if err != nil {
		return err
	}
	for _, path := range logs {
		if err := os.Remove(path); err != nil {
			return err
		}
	}
	t.logged, t.logs = 0, 0
	return nil
}

// aliasTable is aliases.json.gz.
type aliasTable struct {
	// Pairs are the glosses mined, each with the articles that gloss it.
	Pairs []minedPair `json:"pairs"`
	// Names are the names the articles use with a reading from the
	// dictionaries, each with how many articles use it.
	Names []nameCount `json:"names"`
}

type minedPair struct {
	Term     string         `json:"term"`
	Alias    string         `json:"alias"`
	Kind     knowledge.Kind `json:"kind"`
	Articles []string       `json:"articles"`
}

type nameCount struct {
	Name     string   `json:"name"`
	Readings []string `json:"readings"`
	Articles int      `json:"articles"`
}

func buildAliasTable(ids []string, by map[string]*docKnowledge) *aliasTable {
	pairs := map[knowledge.Pair][]string{}
	names := map[string]*nameCount{}
	for _, id := range ids {
		k := by[id]
		for _, p := range k.Pairs {
			pairs[p] = append(pairs[p], id)
		}
		for _, n := range k.Names {
			nc := names[n.Name]
			if nc == nil {
				nc = &nameCount{Name: n.Name, Readings: n.Readings}
				names[n.Name] = nc
			}
			nc.Articles++
		}
	}
	at := &aliasTable{Pairs: []minedPair{}, Names: []nameCount{}}
	for p, arts := range pairs {
		at.Pairs = append(at.Pairs, minedPair{Term: p.Term, Alias: p.Alias, Kind: p.Kind, Articles: arts})
	}
	sort.Slice(at.Pairs, func(i, j int) bool {
		a, b := at.Pairs[i], at.Pairs[j]
		if a.Term != b.Term {
			return a.Term < b.Term
		}
		if a.Alias != b.Alias {
			return a.Alias < b.Alias
		}
		return a.Kind < b.Kind
	})
	for _, n := range names {
		at.Names = append(at.Names, *n)
	}
	sort.Slice(at.Names, func(i, j int) bool { return at.Names[i].Name < at.Names[j].Name })
	return at
}

// clusterTable is clusters.json.gz: the clusters of two or more
// near-duplicates, each sorted by ID.
type clusterTable struct {
	Clusters [][]string `json:"clusters"`
}

func buildClusters(ids []string, by map[string]*docKnowledge) *clusterTable {
	var sigs []knowledge.Signature
	var signed []string
	for _, id := range ids {
		if k := by[id]; k.Signed {
			sigs = append(sigs, k.Sig)
			signed = append(signed, id)
		}
	}
	ct := &clusterTable{Clusters: [][]string{}}
	for _, c := range knowledge.Cluster(sigs, knowledge.Threshold) {
		members := make([]string, len(c))
		for i, j := range c {
			members[i] = signed[j]
		}
		ct.Clusters = append(ct.Clusters, members)
	}
	return ct
}

// knowView is what a search reads of the knowledge tables: the mined
// aliases and name readings of one generation, the clusters, and the
// user's aliases file as it is now.
type knowView struct {
	// by is every term's aliases, by Key of the term, both ways
	by map[string][]Alias
	// readings maps a reading (analyzer.KanaKey) to the names read so and
	// the articles that support each
	readings map[string]map[string]int
	clusters [][]string
	cluster  map[string]int // ID -> index in clusters
	// users is the user file's version (its path, size and time), or ""
	users string
}

// Alias is another name of a term.
type Alias struct {
	Alias string `json:"alias"`
	// Kind is reading, latin, katakana, abbreviation or user.
	Kind string `json:"kind"`
	// Support is the number of articles that gloss the pair (0 for the
	// user's).
	Support int `json:"support"`
	// Articles are the articles that gloss it.
	Articles []string `json:"articles,omitempty"`
}

// TermAliases is a term and its aliases, as Index.Aliases lists them.
type TermAliases struct {
	Term    string  `json:"term"`
	Aliases []Alias `json:"aliases"`
}

// knowCache holds the tables of one generation read once, and the view
// with the user's file as last read.
type knowCache struct {
	mu    sync.Mutex
	gen   string
	table *aliasTable
	ct    *clusterTable
	view  *knowView
	err   error
}

// SetAliasesFile makes searches read the user's aliases from path ("" for
// UserAliasesFile in the index directory, the default). The file is read
// at query time, again whenever it changes: editing it needs no re-index.
//
// Each line is TERM = ALIAS[, ALIAS...], a pair to add, or !TERM = ALIAS,
// a mined pair to block (either way round); # starts a comment.
func (ix *Index) SetAliasesFile(path string) {
	ix.kc.mu.Lock()
	defer ix.kc.mu.Unlock()
	ix.aliasesPath = path
	ix.kc.view = nil
}

func (ix *Index) aliasesFilePath() string {
	if ix.aliasesPath != "" {
		return ix.aliasesPath
	}
	return filepath.Join(ix.dir, UserAliasesFile)
}

// knowledgeView returns the view of the generation open, reading its
// tables on first use and the user's file when it changed. Call with mu
// held (read).
func (ix *Index) knowledgeView() (*knowView, error) {
	c := &ix.kc
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != ix.gen {
		c.gen, c.table, c.ct, c.view, c.err = ix.gen, nil, nil, nil, nil
		c.table, c.ct, c.err = readKnowTables(ix.st.Path(ix.gen, aliasesFile), ix.st.Path(ix.gen, clustersFile))
	}
	if c.err != nil {
		return nil, c.err
	}
	path := ix.aliasesFilePath()
	version := ""
	if st, err := os.Stat(path); err == nil {
		version = fmt.Sprintf("%s %d %d", path, st.Size(), st.ModTime().UnixNano())
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("aliases file: %w", err)
	} else if ix.aliasesPath != "" {
		return nil, fmt.Errorf("aliases file %s: %w", path, err)
	}
	if c.view != nil && c.view.users == version {
		return c.view, nil
	}
	var user *userAliases
	if version != "" {
		u, err := readUserAliases(path)
		if err != nil {
			return nil, err
		}
		user = u
	}
	c.view = newKnowView(c.table, c.ct, user)
	c.view.users = version
	return c.view, nil
}

// AliasesVersion names the state of the user's aliases file, so that a
// cache of answers can tell when it changed ("" when there is none).
func (ix *Index) AliasesVersion() string {
	path := ix.aliasesFilePath()
	st, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d %d", st.Size(), st.ModTime().UnixNano())
}

func readKnowTables(aliasesPath, clustersPath string) (*aliasTable, *clusterTable, error) {
	at, ct := &aliasTable{}, &clusterTable{}
	for _, f := range []struct {
		path string
		v    any
	}{{aliasesPath, at}, {clustersPath, ct}} {
		file, err := os.Open(f.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // a generation without articles
		}
		if err != nil {
			return nil, nil, err
		}
		zr, err := gzip.NewReader(bufio.NewReader(file))
		if err == nil {
			err = json.NewDecoder(zr).Decode(f.v)
		}
		file.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, f.path, err)
		}
	}
	return at, ct, nil
}

// userAliases is the user's aliases file, read.
type userAliases struct {
	add   []knowledge.Pair
	block map[[2]string]bool // keys of both sides, both ways round
}

func readUserAliases(path string) (*userAliases, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("aliases file: %w", err)
	}
	u := &userAliases{block: map[[2]string]bool{}}
	for n, line := range strings.Split(string(b), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if line == "" {
			continue
		}
		block := strings.HasPrefix(line, "!")
		line = strings.TrimPrefix(line, "!")
		term, rest, ok := strings.Cut(line, "=")
		term = strings.TrimSpace(term)
		if !ok || term == "" || strings.TrimSpace(rest) == "" {
			return nil, fmt.Errorf("aliases file %s:%d: %q is not TERM = ALIAS (or !TERM = ALIAS to block a pair)", path, n+1, line)
		}
		for _, alias := range strings.Split(rest, ",") {
			if alias = strings.TrimSpace(alias); alias == "" {
				continue
			}
			if block {
				ka, kb := knowledge.Key(term), knowledge.Key(alias)
				u.block[[2]string{ka, kb}], u.block[[2]string{kb, ka}] = true, true
			} else {
				u.add = append(u.add, knowledge.Pair{Term: term, Alias: alias, Kind: knowledge.User})
			}
		}
	}
	return u, nil
}

func newKnowView(at *aliasTable, ct *clusterTable, user *userAliases) *knowView {
	v := &knowView{by: map[string][]Alias{}, readings: map[string]map[string]int{}, cluster: map[string]int{}}
	blocked := func(a, b string) bool {
		return user != nil && user.block[[2]string{knowledge.Key(a), knowledge.Key(b)}]
	}
	add := func(term, alias string, kind knowledge.Kind, arts []string) {
		key := knowledge.Key(term)
		list := v.by[key]
		for i, x := range list {
			if knowledge.Key(x.Alias) == knowledge.Key(alias) && x.Kind == string(kind) {
				list[i].Support += len(arts)
				list[i].Articles = append(list[i].Articles, arts...)
				return
			}
		}
		v.by[key] = append(list, Alias{Alias: alias, Kind: string(kind), Support: len(arts), Articles: arts})
	}
	addReading := func(reading, name string, n int) {
		key, ok := analyzer.KanaKey(reading)
		if !ok || n <= 0 {
			return
		}
		m := v.readings[key]
		if m == nil {
			m = map[string]int{}
			v.readings[key] = m
		}
		m[name] += n
	}
	for _, p := range at.Pairs {
		if blocked(p.Term, p.Alias) {
			continue
		}
		add(p.Term, p.Alias, p.Kind, p.Articles)
		add(p.Alias, p.Term, p.Kind, p.Articles)
		if p.Kind == knowledge.Reading {
			addReading(p.Alias, p.Term, len(p.Articles))
		}
	}
	for _, n := range at.Names {
		for _, r := range n.Readings {
			if !blocked(n.Name, r) {
				addReading(r, n.Name, n.Articles)
			}
		}
	}
	if user != nil {
		for _, p := range user.add {
			add(p.Term, p.Alias, p.Kind, nil)
			add(p.Alias, p.Term, p.Kind, nil)
			if k, ok := analyzer.KanaKey(p.Alias); ok && !hasKana(p.Term) {
				addReading(k, p.Term, 1)
			}
		}
	}
	for key := range v.by {
		list := v.by[key]
		sort.SliceStable(list, func(i, j int) bool { return list[i].Support > list[j].Support })
	}
	if ct != nil {
		v.clusters = ct.Clusters
		for i, c := range ct.Clusters {
			for _, id := range c {
				v.cluster[id] = i
			}
		}
	}
	return v
}

func hasKana(s string) bool {
	_, ok := analyzer.KanaKey(s)
	return ok
}

// aliasesOf returns a term's aliases (nil view: none).
func (v *knowView) aliasesOf(term string) []Alias {
	if v == nil {
		return nil
	}
	return v.by[knowledge.Key(term)]
}

// Readings. A query in kana is a name's reading when the names read so are
// one, or one of them has at least readingShare of their articles: then
// the query finds that name, after what it finds as written.
const (
	readingShare   = 0.8
	minReadingKana = 3
)

// nameOfReading returns the name a kana query reads, or "".
func (v *knowView) nameOfReading(text string) string {
	if v == nil {
		return ""
	}
	key, ok := analyzer.KanaKey(text)
	if !ok || len([]rune(key)) < minReadingKana {
		return ""
	}
	names := v.readings[key]
	best, bestN, total := "", 0, 0
	for name, n := range names {
		total += n
		if n > bestN || n == bestN && name < best {
			best, bestN = name, n
		}
	}
	if best == "" || float64(bestN) < readingShare*float64(total) {
		return ""
	}
	return best
}

// Aliases lists the aliases the index knows, of term (all terms when term
// is ""): mined from the articles and from the user's aliases file, with
// their kind and support, most supported first; terms in order.
func (ix *Index) Aliases(term string) ([]TermAliases, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if _, err := ix.live(); err != nil {
		return nil, err
	}
	v, err := ix.knowledgeView()
	if err != nil {
		return nil, err
	}
	out := []TermAliases{}
	if term != "" {
		if list := v.aliasesOf(term); len(list) > 0 {
			out = append(out, TermAliases{Term: strings.TrimSpace(term), Aliases: list})
		}
		if name := v.nameOfReading(term); name != "" && len(out) == 0 {
			out = append(out, TermAliases{Term: strings.TrimSpace(term), Aliases: []Alias{{Alias: name, Kind: string(knowledge.Reading), Support: v.readings[mustKanaKey(term)][name]}}})
		}
		return out, nil
	}
	// every term, named as first written
	names := map[string]string{}
	note := func(s string) {
		if _, ok := names[knowledge.Key(s)]; !ok {
			names[knowledge.Key(s)] = s
		}
	}
	ix.kc.mu.Lock()
	at := ix.kc.table
	ix.kc.mu.Unlock()
	if at != nil {
		for _, p := range at.Pairs {
			note(p.Term)
			note(p.Alias)
		}
	}
	for key, list := range v.by {
		if _, ok := names[key]; !ok && len(list) > 0 {
			// the user's: name the term by the other side's alias entry
			for _, a := range v.by[knowledge.Key(list[0].Alias)] {
				if knowledge.Key(a.Alias) == key {
					names[key] = a.Alias
				}
			}
		}
	}
	keys := make([]string, 0, len(v.by))
	for k := range v.by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := names[k]
		if name == "" {
			name = k
		}
		out = append(out, TermAliases{Term: name, Aliases: v.by[k]})
	}
	return out, nil
}

func mustKanaKey(s string) string {
	k, _ := analyzer.KanaKey(s)
	return k
}

// NameReading is a name the articles use and how the dictionaries, or a
// gloss, read it.
type NameReading struct {
	Name     string   `json:"name"`
	Readings []string `json:"readings"` // katakana
	Articles int      `json:"articles"` // that use the name (that gloss it, for a gloss)
}

// NameReadings lists the names of people and organisations the articles
// use that have a reading, from the dictionaries or from a reading gloss:
// what a query in kana can find.
func (ix *Index) NameReadings() ([]NameReading, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if _, err := ix.live(); err != nil {
		return nil, err
	}
	if _, err := ix.knowledgeView(); err != nil {
		return nil, err
	}
	ix.kc.mu.Lock()
	at := ix.kc.table
	ix.kc.mu.Unlock()
	var out []NameReading
	for _, n := range at.Names {
		out = append(out, NameReading{Name: n.Name, Readings: n.Readings, Articles: n.Articles})
	}
	for _, p := range at.Pairs {
		if p.Kind == knowledge.Reading {
			if k, ok := analyzer.KanaKey(p.Alias); ok {
				out = append(out, NameReading{Name: p.Term, Readings: []string{k}, Articles: len(p.Articles)})
			}
		}
	}
	return out, nil
}

// Clusters lists the clusters of near-duplicates, each sorted by ID.
func (ix *Index) Clusters() ([][]string, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if _, err := ix.live(); err != nil {
		return nil, err
	}
	v, err := ix.knowledgeView()
	if err != nil {
		return nil, err
	}
	return v.clusters, nil
}
