package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/render"
)

const aliasesHelp = `Lists the other names of entities that the index learnt from its articles, where a writer
glossed a name the first time: 呉泳銘（エディ・ウー） (katakana), アリババグループ（Alibaba Group） (latin),
日本電信電話（NTT） (abbreviation), 呉泳銘（ごえいめい） (reading); and those of the user's file.

A query for either name also finds the articles that only use the other, after the literal
matches ("match": "alias" and "via" in the JSON hit). With TERM, only its aliases (a reading
in kana lists the name it reads).

The user's file (aliases.txt in the index directory, or --aliases FILE) is read at query time:
  呉泳銘 = エディ・ウー, Eddie Wu     adds pairs
  !日本 = NIPPON                     blocks a mined pair (either way round)

Exit status: 0 ok (also when the term has no aliases), 1 error, 2 bad flags or arguments.`

func aliasesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:         "aliases",
		Usage:        "other names of entities, learnt from the articles' glosses",
		ArgsUsage:    "[TERM]",
		Description:  aliasesHelp,
		OnUsageError: commandUsageError,
		Flags: []cli.Flag{
			indexFlag(),
			aliasesFlag(),
			&cli.BoolFlag{Name: "json", Usage: `print a JSON array: [{"term", "aliases": [{"alias", "kind", "support", "articles"}]}]`},
		},
		Action: func(c *cli.Context) error {
			ix, err := openReadOnly(c)
			if err != nil {
				return err
			}
			defer ix.Close()
			if err := useAliasesFile(c, ix); err != nil {
				return err
			}
			list, err := ix.Aliases(strings.Join(c.Args().Slice(), " "))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return render.JSON(e.stdout, list)
			}
			if len(list) == 0 {
				if c.NArg() > 0 {
					fmt.Fprintf(e.stdout, "no aliases of %s\n", strings.Join(c.Args().Slice(), " "))
				} else {
					fmt.Fprintln(e.stdout, "no aliases: the articles gloss no names the index could check")
				}
				return nil
			}
			for _, t := range list {
				var parts []string
				for _, a := range t.Aliases {
					if a.Support > 0 {
						parts = append(parts, fmt.Sprintf("%s (%s, %d)", a.Alias, a.Kind, a.Support))
					} else {
						parts = append(parts, fmt.Sprintf("%s (%s)", a.Alias, a.Kind))
					}
				}
				fmt.Fprintf(e.stdout, "%s: %s\n", t.Term, strings.Join(parts, ", "))
			}
			return nil
		},
	}
}

// aliasesFlag is --aliases, shared by the commands that search.
func aliasesFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "aliases", Usage: "the user's aliases `FILE` (default: aliases.txt in the index directory)"}
}

// useAliasesFile points the index at --aliases, which must exist.
func useAliasesFile(c *cli.Context, ix *index.Index) error {
	path := c.String("aliases")
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return usagef("give a file of lines TERM = ALIAS (see newsearch aliases --help)", "--aliases: %v", err)
	}
	ix.SetAliasesFile(path)
	return nil
}
