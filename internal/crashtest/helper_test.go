package crashtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index"
	"github.com/newsearch/newsearch/internal/ingest"
)

// helperMain runs the test binary as a library writer that commits after
// every batch (the newsearch command commits every 30 s, longer than a test
// run): os.Args are INDEX BATCH ROOT... Interrupt stops it as Ctrl-C stops
// newsearch index.
func helperMain() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "helper: want INDEX BATCH ROOT...")
		return 2
	}
	batch, err := strconv.Atoi(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 2
	}
	ix, err := index.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper: open:", err)
		return 1
	}
	sum, err := ingest.Run(ctx, ix, os.Args[3:], ingest.Options{Workers: 2, BatchSize: batch, CommitEvery: time.Nanosecond})
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	fmt.Printf("indexed %d, updated %d, removed %d, failed %d\n", sum.Indexed, sum.Updated, sum.Removed, sum.Failed)
	if sum.Interrupted {
		fmt.Fprintln(os.Stderr, "helper: interrupted")
		return 1
	}
	return 0
}

// startHelper starts the test binary as a committing library writer.
func startHelper(t *testing.T, indexDir string, batch int, roots ...string) *process {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{indexDir, strconv.Itoa(batch)}, roots...)...)
	return startCmd(t, cmd, helperEnv+"=index")
}
