package crashtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// corpusFiles is the size of the corpora of the crash tests: a few hundred
// small articles, enough for a run of a few seconds in small batches.
const corpusFiles = 300

// stop is how a trial ends an index run.
type stop int

const (
	killCLI        stop = iota // SIGKILL to newsearch index
	interruptCLI               // SIGINT to newsearch index (Ctrl-C)
	killCommitting             // SIGKILL to a library writer that commits after every batch
)

func (s stop) String() string {
	return [...]string{"SIGKILL newsearch index", "SIGINT newsearch index", "SIGKILL committing writer"}[s]
}

// TestKillIndex kills newsearch index with SIGKILL at random points of
// update and rebuild runs over a changing corpus. The index must be left as
// it was at its last commit (so exactly as before the run, or as after it),
// and the next run must complete it: every article of the corpus once, with
// the text of its file.
func TestKillIndex(t *testing.T) {
	t.Parallel()
	crashTrials(t, killCLI, trials(t, 10))
}

// TestInterruptIndex interrupts newsearch index with SIGINT at random
// points. It must stop promptly with status 1 and the "interrupted"
// message, keep what it wrote, and the next run must complete the index.
func TestInterruptIndex(t *testing.T) {
	t.Parallel()
	crashTrials(t, interruptCLI, trials(t, 5))
}

// TestKillCommittingWriter kills a writer that commits after every batch,
// so that kills land inside Commit: cloning, publishing and collecting
// generations.
func TestKillCommittingWriter(t *testing.T) {
	t.Parallel()
	crashTrials(t, killCommitting, trials(t, 6))
}

// crashTrials runs n trials of stopping an index run over a changing
// corpus in the way how says, checking the index after each stop and after
// the next, complete run.
func crashTrials(t *testing.T, how stop, n int) {
	bin := newsearchBin(t)
	rng := newRand(seed(t))
	tmp := t.TempDir()
	corpusDir, idx := filepath.Join(tmp, "corpus"), filepath.Join(tmp, "index")
	c, err := NewCorpus(corpusDir, rng.Uint64(), corpusFiles)
	if err != nil {
		t.Fatal(err)
	}
	r := indexOK(t, "--index", idx, "--batch-size", "20", corpusDir)
	full := r.elapsed
	before := wantState(t, corpusDir)
	mustMatch(t, idx, before, rng, "after the first run")

	var stopped, finished, leftOld, leftNew, leftMix int
	scale := 1.0
	for trial := 1; trial <= n; trial++ {
		changed, added, removed := 5+rng.IntN(60), rng.IntN(25), rng.IntN(25)
		if err := c.Mutate(changed, added, removed); err != nil {
			t.Fatal(err)
		}
		after := wantState(t, corpusDir)
		rebuild := how != killCommitting && rng.IntN(4) == 0
		batch := []int{1, 2, 5, 20, 100}[rng.IntN(5)]
		workers := 1 + rng.IntN(2)

		// Aim the signal anywhere in the run, and a little past it. How
		// long a run takes depends on the batch size and the machine: the
		// estimate shrinks when runs end before the signal.
		est := full * 2
		if !rebuild {
			est = full*time.Duration(changed+added+removed)/corpusFiles*3 + 300*time.Millisecond
		}
		est = time.Duration(float64(est) * scale)
		delay := time.Duration(rng.Int64N(int64(est*11/10) + 1))
		what := fmt.Sprintf("trial %d (%v after %v; %d changed, %d added, %d removed; rebuild %v, batch %d, workers %d)",
			trial, how, delay.Round(time.Millisecond), changed, added, removed, rebuild, batch, workers)

		var p *process
		if how == killCommitting {
			p = startHelper(t, idx, batch, corpusDir)
		} else {
			args := []string{"index", "--index", idx, "--batch-size", strconv.Itoa(batch), "--workers", strconv.Itoa(workers)}
			if rebuild {
				args = append(args, "--rebuild")
			}
			p = startCmd(t, exec.Command(bin, append(args, corpusDir)...))
			if how == interruptCLI {
				// Ctrl-C before main installs its handler ends any Go
				// program; count from when the run holds the index.
				waitLocked(t, p, idx)
			}
		}
		var signalled time.Time
		select {
		case <-p.done:
		case <-time.After(delay):
			signalled = time.Now()
			sig := syscall.SIGKILL
			if how == interruptCLI {
				sig = syscall.SIGINT
			}
			_ = p.cmd.Process.Signal(sig)
		}
		res := p.wait(t, 30*time.Second)
		noPanic(t, what, res)
		done := res.code == 0 && res.signal == 0
		if done {
			finished++
			scale *= 0.6
		} else {
			stopped++
			scale = min(scale*1.15, 2)
		}
		switch {
		case done:
		case how == interruptCLI:
			if res.signal != 0 || res.code != 1 || !strings.Contains(res.stderr, "newsearch: interrupted") {
				t.Fatalf("%s: want status 1 and the interrupted message: %v", what, res)
			}
			if d := time.Since(signalled); d > 10*time.Second {
				t.Fatalf("%s: took %v to stop after SIGINT", what, d)
			}
		case res.signal != syscall.SIGKILL:
			t.Fatalf("%s: the run failed: %v", what, res)
		}

		got, err := ReadIndex(idx)
		if err != nil {
			t.Fatalf("%s: after the run, the index does not read: %v\nthe run: %v", what, err, res)
		}
		switch okOld := Compare(got, before) == ""; {
		case done:
			if msg := Compare(got, after); msg != "" {
				t.Fatalf("%s: the run completed, but the index differs from the corpus: %s", what, msg)
			}
			leftNew++
		case okOld:
			leftOld++
		default:
			if Compare(got, after) == "" {
				leftNew++
				break
			}
			if how == killCLI || rebuild {
				// a run this short commits only at its end, and a rebuild
				// is published only when complete: a stop leaves the old
				// state or the new one, nothing in between.
				msg := Compare(got, before)
				t.Fatalf("%s: the stopped run left the index neither as before nor as after the run; against before: %s", what, msg)
			}
			if err := Between(got, before, after, rebuild); err != nil {
				t.Fatalf("%s: the stopped run left an index no commit could make: %v", what, err)
			}
			leftMix++
		}

		indexOK(t, "--index", idx, "--workers", strconv.Itoa(workers), corpusDir)
		mustMatch(t, idx, after, rng, what+", then a complete run")
		before = after
	}
	t.Logf("%v: %d trials survived (%d stopped mid-run, %d finished before the signal); the stopped runs left the index as before %d times, as after %d times, in between %d times; after each next run: 0 articles lost, 0 duplicated",
		how, n, stopped, finished, leftOld, leftNew-finished, leftMix)
}

// waitLocked waits until the process p holds the writer lock of the index
// at idx (it writes its pid into LOCK), or has ended.
func waitLocked(t *testing.T, p *process, idx string) {
	t.Helper()
	want := fmt.Sprintf("pid %d ", p.cmd.Process.Pid)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if b, _ := os.ReadFile(filepath.Join(idx, "LOCK")); strings.HasPrefix(string(b), want) || p.exited() {
			return
		}
	}
	t.Fatalf("%v did not take the index lock in a minute", p.cmd.Args)
}
