package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/newsearch/newsearch/analyzer"
	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/ingest"
	"github.com/newsearch/newsearch/internal/render"
)

// errInterrupted ends an index run stopped by Ctrl-C: the message says
// what is kept and what to do.
var errInterrupted = errors.New("interrupted: what was indexed is saved; run the same command again to finish")

// errRebuildInterrupted ends a rebuild stopped by Ctrl-C.
var errRebuildInterrupted = errors.New("interrupted: the index answers as before the rebuild; run the same command again to go on with the rebuild")

// summaryLine says what a run did; the rate only when it analysed
// articles (a run with nothing to do has none to tell).
func summaryLine(c *cli.Context, sum *ingest.Summary) string {
	line := fmt.Sprintf("indexed %d, updated %d, unchanged %d, removed %d, failed %d", sum.Indexed, sum.Updated, sum.Unchanged, sum.Removed, sum.Failed)
	if n := len(sum.Skipped); n > 0 {
		what := "that are not articles"
		if n == 1 {
			what = "that is not an article"
		}
		line += fmt.Sprintf(" (skipped %s %s%s)", render.Plural(n, "file"), what, skippedHint(c, sum))
	}
	line += fmt.Sprintf(" in %.1f s", sum.Elapsed.Seconds())
	if sum.Indexed+sum.Updated > 0 {
		line += fmt.Sprintf(", %.0f articles/s", sum.Rate())
	} else if sum.Removed == 0 && sum.Failed == 0 {
		line += ": nothing new"
	}
	return line
}

// skippedHint says how to see the skipped files, when there are some.
func skippedHint(c *cli.Context, sum *ingest.Summary) string {
	if len(sum.Skipped) == 0 || c.Bool("verbose") {
		return ""
	}
	return "; --verbose lists them"
}

// maxFailuresShown bounds the failures listed at the end of a run.
const maxFailuresShown = 50

// Bounds of the index flags: more workers than that only share the cores;
// a batch is held in memory; a file is read whole.
const (
	maxWorkers     = 256
	maxBatchSize   = 100_000
	maxFileSizeMiB = 4096
)

func indexCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "index",
		Usage:     "add the articles in folders (recursively) or files to the index; a second run updates what changed",
		ArgsUsage: "FOLDER|FILE...",
		Description: `Reads .txt (livedoor format or plain), .md (YAML front matter), .json, .jsonl/.ndjson and .html files,
in UTF-8, Shift_JIS, EUC-JP or ISO-2022-JP. An article's ID is its own id field, else its path relative
to the folder given (for a file given by itself: its folder's name / its name). A run re-reads only new and
changed files, and removes the articles of files that are gone from the folders given.

Ctrl-C stops after the batch in hand; the index stays consistent and the next run completes it. A
--rebuild is built beside the live index, which answers until the rebuild is complete; a rebuild
stopped early is resumed by the same command.
Exit status: 0 ok, 1 error, 2 usage, 3 some files failed (listed on stderr).`,
		OnUsageError: commandUsageError,
		Flags: []cli.Flag{
			indexFlag(),
			&cli.BoolFlag{Name: "rebuild", Usage: "build the index anew beside the old one, which answers until the new one is complete (also after a change of analysis)"},
			&cli.IntFlag{Name: "shards", Usage: fmt.Sprintf("shards of a new or rebuilt index, 1 to %d (default 0: %d)", index.MaxShards, index.DefaultShards)},
			&cli.BoolFlag{Name: "follow-symlinks", Usage: "follow symbolic links inside the folders given (a folder given as a link is followed anyway)"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "list the files skipped, and why"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar, only the summary"},
			&cli.StringFlag{Name: "mode", Value: analyzer.DefaultMode.String(), Usage: "kagome segmentation of a new index: normal or search"},
			&cli.StringFlag{Name: "user-dict", Usage: "user dictionary (kagome CSV: text,segmentation,readings,pos) for a new index"},
			&cli.IntFlag{Name: "workers", Usage: "reading and analysing goroutines, up to 256 (default 0: all cores)"},
			&cli.IntFlag{Name: "batch-size", Value: 250, Usage: "articles per index batch and shard (1 to 100000)"},
			&cli.Int64Flag{Name: "max-file-size", Value: ingest.DefaultMaxFileSize >> 20, Usage: "largest article file read whole, in MiB (1 to 4096; JSON Lines files are read as streams, of any size)"},
			&cli.DurationFlag{Name: "commit-every", Value: time.Minute, Usage: "publish progress to readers this often (a rebuild keeps it for the next run instead)"},
			&cli.IntFlag{Name: "memory", Value: 1024, Usage: "a soft limit on the heap of the run, in MiB: the garbage collector works harder near it (the index's memory-mapped files come on top)"},
			&cli.StringFlag{Name: "cpuprofile", Hidden: true, Usage: "write a CPU profile of the run to `FILE`"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("give the folders to index, as in: newsearch index ./articles", "no folder or file given")
			}
			for _, p := range c.Args().Slice() {
				if _, err := os.Stat(p); err != nil {
					return usagef("give an existing folder or article file", "%s: no such file or folder", p)
				}
			}
			for _, f := range []struct {
				name      string
				v, lo, hi int64
				what      string
			}{
				{"workers", int64(c.Int("workers")), 0, maxWorkers, "how many files are parsed at once (0: one per core)"},
				{"batch-size", int64(c.Int("batch-size")), 1, maxBatchSize, "how many articles are written at once"},
				{"max-file-size", c.Int64("max-file-size"), 1, maxFileSizeMiB, "the largest file read whole, in MiB"},
				{"memory", int64(c.Int("memory")), 0, 1 << 20, "a soft limit on the heap, in MiB (0: none)"},
				{"shards", int64(c.Int("shards")), 0, index.MaxShards, "the shards of a new index (0: the default)"},
			} {
				if f.v < f.lo || f.v > f.hi {
					return usagef("--"+f.name+" is "+f.what, "--%s %d is out of range: use %d to %d", f.name, f.v, f.lo, f.hi)
				}
			}
			if p := c.String("cpuprofile"); p != "" {
				f, err := os.Create(p)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			if mb := c.Int("memory"); mb > 0 {
				debug.SetMemoryLimit(int64(mb) << 20)
			}
			mode, err := analyzer.ParseMode(c.String("mode"))
			if err != nil {
				return usagef("--mode is normal or search", "%v", err)
			}
			opts := []index.Option{index.WithMode(mode)}
			if c.Bool("rebuild") {
				opts = append(opts, index.Rebuild())
			}
			if p := c.String("user-dict"); p != "" {
				opts = append(opts, index.WithUserDict(p))
			}
			if n := c.Int("shards"); n != 0 {
				opts = append(opts, index.WithShards(n))
			}
			ix, err := index.Open(c.String("index"), opts...)
			if err != nil {
				return err
			}
			quiet := c.Bool("quiet") || !isTerminal(e.stderr)
			var bar *progressbar.ProgressBar
			o := ingest.Options{
				Workers:        c.Int("workers"),
				BatchSize:      c.Int("batch-size"),
				MaxFileSize:    c.Int64("max-file-size") << 20,
				CommitEvery:    c.Duration("commit-every"),
				FollowSymlinks: c.Bool("follow-symlinks"),
			}
			if !quiet {
				o.Progress = func(p ingest.Progress) {
					if bar == nil {
						bar = progressbar.NewOptions64(max(p.Bytes, 1),
							progressbar.OptionSetWriter(e.stderr),
							progressbar.OptionShowBytes(true),
							progressbar.OptionSetPredictTime(true),
							progressbar.OptionThrottle(100*time.Millisecond),
							progressbar.OptionClearOnFinish(),
						)
					}
					bar.Describe(fmt.Sprintf("indexing: %d of %d files, %d articles", p.FilesDone, p.Files, p.Articles))
					_ = bar.Set64(p.BytesDone)
				}
			}
			sum, runErr := ingest.Run(c.Context, ix, c.Args().Slice(), o)
			if bar != nil {
				_ = bar.Finish()
			}
			var closeErr error
			if sum != nil && sum.Interrupted {
				closeErr = ix.Suspend() // stop now; the next run goes on
			} else {
				closeErr = ix.Close()
			}
			if runErr != nil {
				return runErr
			}
			if closeErr != nil {
				return fmt.Errorf("commit index: %w", closeErr)
			}
			for i, n := range sum.Notes {
				if i == maxFailuresShown {
					fmt.Fprintf(e.stderr, "newsearch: ... and %d more notes\n", len(sum.Notes)-i)
					break
				}
				fmt.Fprintf(e.stderr, "newsearch: note: %s: %v\n", n.Path, n.Err)
			}
			if c.Bool("verbose") {
				for _, s := range sum.Skipped {
					fmt.Fprintf(e.stderr, "newsearch: skipped: %s: %s\n", s.Path, s.Reason)
				}
			}
			reportFailures(e.stderr, sum.Failures)
			fmt.Fprintln(e.stdout, summaryLine(c, sum))
			if sum.Interrupted {
				if c.Bool("rebuild") {
					return errRebuildInterrupted
				}
				return errInterrupted
			}
			if sum.Failed > 0 {
				e.status = exitPartial
			}
			return nil
		},
	}
}

func reportFailures(w io.Writer, fs []ingest.Failure) {
	for i, f := range fs {
		if i == maxFailuresShown {
			fmt.Fprintf(w, "newsearch: ... and %d more failures\n", len(fs)-i)
			break
		}
		if msg := f.Err.Error(); strings.HasPrefix(msg, f.Path) {
			fmt.Fprintf(w, "newsearch: failed: %s\n", msg)
		} else {
			fmt.Fprintf(w, "newsearch: failed: %s: %s\n", f.Path, msg)
		}
	}
}

// terminalWidth returns the width of w in columns when it is a terminal,
// else 0 (no wrapping: a pipe or a file gets lines as they are).
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
