package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/index/qparse"
)

// version says which newsearch this is, its analysis and its dictionary:
// an index records the analysis it was built with (newsearch stats), and a
// change of either asks for --rebuild.
func version() string {
	v, dict := "(devel)", "IPA (kagome-dict/ipa)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/ikawaha/kagome-dict/ipa" {
				dict = "IPA (kagome-dict/ipa " + d.Version + ")"
			}
		}
	}
	return fmt.Sprintf("%s\nanalysis: v%d (%s, %s)\ndictionary: %s", v, analyzer.Version, analyzer.WordAnalyzerName, analyzer.GramAnalyzerName, dict)
}

// Exit statuses.
const (
	exitOK      = 0
	exitError   = 1 // the command failed
	exitUsage   = 2 // bad flags or arguments
	exitPartial = 3 // the command ran, but some articles failed
)

// defaultIndex is where the index lives when neither --index nor
// NEWSEARCH_INDEX says: a folder in the current directory.
const defaultIndex = "newsearch-index"

// env is the process's outside world, injected so tests run the CLI in
// process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// status is set by a command that succeeded only in part.
	status int
}

// usageError is a mistake in how the command was called.
type usageError struct{ msg, hint string }

func (e *usageError) Error() string { return e.msg }

func usagef(hint, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), hint: hint}
}

// run runs the CLI and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// bleve logs what it works around (a snapshot it could not load) to the
	// standard logger; newsearch reports problems itself, once, with a hint
	log.SetOutput(io.Discard)
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	app := newApp(e)
	args, err := interspersed(app, args)
	if err == nil {
		err = app.RunContext(ctx, args)
	}
	if err == nil {
		return e.status
	}
	if errors.Is(err, errInterrupted) || errors.Is(err, errRebuildInterrupted) || errors.Is(err, errQueryInterrupted) {
		fmt.Fprintf(stderr, "newsearch: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stderr, "newsearch: error: %v\n", err)
	var sp *searchPanic
	var ie *index.InternalError
	if errors.As(err, &sp) {
		fmt.Fprintf(stderr, "%s", sp.stack)
	} else if errors.As(err, &ie) {
		fmt.Fprintf(stderr, "%s", ie.Stack)
	}
	if hint := hintFor(err); hint != "" {
		fmt.Fprintf(stderr, "hint: %s\n", hint)
	}
	var ue *usageError
	var se *qparse.Error
	if errors.As(err, &ue) || errors.As(err, &se) || errors.Is(err, index.ErrInvalidRequest) {
		return exitUsage
	}
	return exitError
}

// hintFor says what to do about an error, where there is something to say.
func hintFor(err error) string {
	var ue *usageError
	var se *qparse.Error
	var sp *searchPanic
	switch {
	case errors.As(err, &ue):
		return ue.hint
	case errors.As(err, &se):
		switch {
		case strings.HasPrefix(se.Msg, "since:"), strings.HasPrefix(se.Msg, "until:"), strings.HasPrefix(se.Msg, "date:"):
			return "dates are YYYY-MM-DD, YYYY-MM or YYYY (or A..B), from 1678 to 2261; see newsearch query --help"
		case strings.Contains(se.Msg, "the limit is"):
			return "split the query into several (--queries-from runs one a line)"
		}
		return `quote a phrase with "...", exclude with -word, combine with OR; see newsearch query --help`
	case errors.As(err, &sp), errors.As(err, new(*index.InternalError)):
		return "if the index is damaged, newsearch index --rebuild FOLDER... builds it anew; otherwise this is a bug: please report it with the stack above"
	case errors.Is(err, index.ErrNotExist):
		return "build one first: newsearch index ./articles (or point --index / NEWSEARCH_INDEX at it)"
	case errors.Is(err, index.ErrLocked):
		return "another newsearch index is running on this index; wait for it to finish (queries still work meanwhile)"
	case errors.Is(err, index.ErrAnalysisMismatch), errors.Is(err, index.ErrCorrupt):
		return "rebuild the index: newsearch index --rebuild FOLDER..."
	}
	return ""
}

func indexFlag() *cli.StringFlag {
	return &cli.StringFlag{
		Name:    "index",
		Usage:   "index directory",
		EnvVars: []string{"NEWSEARCH_INDEX"},
		Value:   defaultIndex,
	}
}

func newApp(e *env) *cli.App {
	return &cli.App{
		Name:    "newsearch",
		Usage:   "full-text search for Japanese news articles",
		Version: version(),
		Suggest: true,
		Description: `Exit status, of every command: 0 ok, 1 error (also when interrupted), 2 bad flags, arguments or
query, 3 the command ran but some of its work failed (files that could not be indexed, queries of
--queries-from that failed). Each command's --help says more.`,
		Writer:    e.stdout,
		ErrWriter: e.stderr,
		Reader:    e.stdin,
		ExitErrHandler: func(*cli.Context, error) {
			// errors are printed by run, once
		},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usagef("see newsearch --help", "%v", err)
		},
		Commands: []*cli.Command{
			indexCommand(e),
			queryCommand(e),
			analyzeCommand(e),
			statsCommand(e),
			verifyCommand(e),
			serveCommand(e),
			aliasesCommand(e),
			relatedCommand(e),
		},
		CommandNotFound: func(c *cli.Context, name string) {
			fmt.Fprintf(e.stderr, "newsearch: error: unknown command %q\n", name)
			if near := nearestCommand(c.App.Commands, name); near != "" {
				fmt.Fprintf(e.stderr, "hint: did you mean %s? (newsearch %s ...)\n", near, near)
			} else {
				fmt.Fprintf(e.stderr, "hint: commands are index, query, analyze, stats, verify, serve, aliases, related; see newsearch --help\n")
			}
			e.status = exitUsage
		},
	}
}

// nearestCommand returns the command a mistyped name most likely meant:
// urfave/cli's suggestion (Jaro-Winkler), when the name is within two
// edits of it (qurey: query), else "".
func nearestCommand(cmds []*cli.Command, name string) string {
	if cli.SuggestCommand == nil {
		return ""
	}
	// the suggestion comes as "Did you mean %q?"
	var near string
	if _, err := fmt.Sscanf(cli.SuggestCommand(cmds, name), cli.SuggestDidYouMeanTemplate, &near); err != nil || near == "" {
		return ""
	}
	for _, c := range cmds {
		if c.HasName(near) && editDistance(near, name) <= 2 {
			return c.Name
		}
	}
	return ""
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur := make([]int, len(y)+1)
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(y)]
}

// commandUsageError makes flag errors of a subcommand usage errors.
func commandUsageError(_ *cli.Context, err error, _ bool) error {
	return usagef("see the command's --help", "%v", err)
}

// argsText joins the arguments, or reads stdin when there are none or the
// only one is "-".
func argsText(c *cli.Context, e *env) (string, error) {
	args := c.Args().Slice()
	if len(args) == 0 || (len(args) == 1 && args[0] == "-") {
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return strings.Join(args, " "), nil
}

// openReadOnly opens the index named by --index for searching.
func openReadOnly(c *cli.Context) (*index.Index, error) {
	dir := c.String("index")
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s", index.ErrNotExist, dir)
	}
	return index.Open(dir, index.ReadOnly())
}

// shortWithValue reads a one-letter flag that takes a value written
// together with it as a number: -n1, -n20 (but -nikkei, or -東京, is a
// word to exclude).
func shortWithValue(a string, takesValue map[string]bool) (name, value string, ok bool) {
	if len(a) < 3 || a[0] != '-' || a[1] == '-' {
		return "", "", false
	}
	name, value = a[1:2], a[2:]
	if !takesValue[name] {
		return "", "", false
	}
	if _, err := strconv.Atoi(value); err != nil {
		return "", "", false
	}
	return name, value, true
}

// interspersed moves a subcommand's flags in front of its arguments, so that
// flags may follow the query (newsearch query 呉泳銘 --limit 3), which
// urfave/cli v2 does not allow by itself. An argument that starts with a
// single - and is not a flag stays an argument: -東京 excludes a word.
func interspersed(app *cli.App, args []string) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	var cmd *cli.Command
	for _, c := range app.Commands {
		if c.Name == args[1] || slices.Contains(c.Aliases, args[1]) {
			cmd = c
		}
	}
	if cmd == nil {
		return args, nil
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	takesValue["help"], takesValue["h"] = false, false
	var flags, rest []string
	for i := 2; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		value, known := takesValue[name]
		if short, rest, ok := shortWithValue(a, takesValue); ok {
			// -n1: a one-letter flag and its number, written together
			flags = append(flags, "-"+short, rest)
			continue
		}
		switch {
		case !strings.HasPrefix(a, "-") || a == "-" || (!known && !strings.HasPrefix(a, "--")):
			rest = append(rest, a)
		case !known:
			hint := "see newsearch " + cmd.Name + " --help"
			if near := cli.SuggestFlag(cmd.Flags, name, false); near != "" && editDistance(strings.TrimLeft(near, "-"), name) <= 2 {
				hint = fmt.Sprintf("did you mean %s? (see newsearch %s --help)", near, cmd.Name)
			}
			return nil, usagef(hint, "unknown flag %s", a)
		default:
			flags = append(flags, a)
			if value && !hasValue && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	out := append([]string{args[0], args[1]}, flags...)
	if len(rest) > 0 {
		out = append(out, "--")
		out = append(out, rest...)
	}
	return out, nil
}
