package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/index/qparse"
)

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
		Name:      "newsearch",
		Usage:     "full-text search for Japanese news articles",
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
			fmt.Fprintf(e.stderr, "newsearch: error: unknown command %q\nhint: commands are index, query, analyze, stats, verify, serve, aliases, related; see newsearch --help\n", name)
			e.status = exitUsage
		},
	}
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
		switch {
		case !strings.HasPrefix(a, "-") || a == "-" || (!known && !strings.HasPrefix(a, "--")):
			rest = append(rest, a)
		case !known:
			return nil, usagef("see newsearch "+cmd.Name+" --help", "unknown flag %s", a)
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
