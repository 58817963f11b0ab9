package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsearch/newsearch/index"
)

// errDamaged ends a verify that found damage; the files are listed.
var errDamaged = errors.New("the index is damaged")

func verifyCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "verify",
		Usage: "read the whole index and check every file against the checksums written with it",
		Description: `Opening an index checks what is cheap to check (the metadata, and any segment whose size or time
changed since it was written); verify reads every byte, and so also finds bit rot in files that look
unchanged. It names every damaged or missing file.
Exit status: 0 sound, 1 damaged (or no index), 2 bad flags or arguments.`,
		OnUsageError: commandUsageError,
		Flags:        []cli.Flag{indexFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("as in: newsearch verify --index ./newsearch-index", "verify takes no arguments, got %q", c.Args().First())
			}
			start := time.Now()
			gen, size, problems, err := index.Verify(c.String("index"))
			if err != nil {
				return err
			}
			for _, p := range problems {
				fmt.Fprintf(e.stderr, "newsearch: damaged: %v\n", p)
			}
			if len(problems) > 0 {
				return fmt.Errorf("%w: %d damaged or missing files in %s: %w", errDamaged, len(problems), gen, index.ErrCorrupt)
			}
			fmt.Fprintf(e.stdout, "%s: sound (%.1f MiB read in %.1f s)\n", gen, float64(size)/(1<<20), time.Since(start).Seconds())
			return nil
		},
	}
}
