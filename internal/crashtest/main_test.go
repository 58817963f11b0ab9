package crashtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsearch/newsearch/index"
)

// Environment variables that tune the tests.
const (
	// seedEnv replays a run: the tests print the seed they drew.
	seedEnv = "NEWSEARCH_CRASH_SEED"
	// trialsEnv multiplies the trials of the kill and interrupt tests, for
	// soak runs: NEWSEARCH_CRASH_TRIALS=20 runs twenty times as many.
	trialsEnv = "NEWSEARCH_CRASH_TRIALS"
	// helperEnv makes the test binary a library writer (see helperMain).
	helperEnv = "NEWSEARCH_CRASHTEST_HELPER"
	// binEnv names a newsearch binary to test instead of building one (to
	// run the tests as a user without the Go toolchain, say).
	binEnv = "NEWSEARCH_CRASHTEST_BIN"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(helperMain())
	}
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// newsearchBin builds the newsearch command once per test binary and
// returns its path.
func newsearchBin(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv(binEnv); bin != "" {
		return bin
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "newsearch-crashtest-")
		if buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "newsearch")
		cmd := exec.Command(goTool(), "build", "-o", buildBin, "github.com/newsearch/newsearch/cmd/newsearch")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// goTool returns the go command of the toolchain running the tests.
func goTool() string {
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}

// seed returns the seed of a test's random choices, from seedEnv or the
// clock, and logs how to replay it.
func seed(t *testing.T) uint64 {
	t.Helper()
	if s := os.Getenv(seedEnv); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", seedEnv, s, err)
		}
		t.Logf("seed %d (from %s)", n, seedEnv)
		return n
	}
	n := uint64(time.Now().UnixNano())
	t.Logf("seed %d (replay with %s=%d)", n, seedEnv, n)
	return n
}

// trials returns how many trials to run: n, times trialsEnv if set.
func trials(t *testing.T, n int) int {
	t.Helper()
	if s := os.Getenv(trialsEnv); s != "" {
		k, err := strconv.Atoi(s)
		if err != nil || k < 1 {
			t.Fatalf("%s=%q: want a positive number", trialsEnv, s)
		}
		return n * k
	}
	if testing.Short() {
		return max(1, n/4)
	}
	return n
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// result is how a newsearch process ended.
type result struct {
	stdout, stderr string
	code           int // exit status; -1 if killed by a signal
	signal         syscall.Signal
	elapsed        time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("status %d (signal %v) after %v\nstdout:\n%s\nstderr:\n%s", r.code, r.signal, r.elapsed.Round(time.Millisecond), r.stdout, r.stderr)
}

// process is a running newsearch command.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	start          time.Time
	done           chan struct{}
	res            result
}

// startCLI starts newsearch with args.
func startCLI(t *testing.T, args ...string) *process {
	t.Helper()
	return startCmd(t, exec.Command(newsearchBin(t), args...))
}

// startCmd starts cmd with the test's environment and env added.
func startCmd(t *testing.T, cmd *exec.Cmd, env ...string) *process {
	t.Helper()
	p := &process{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.stdout, &p.stderr
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := cmd.Wait()
		p.res = result{stdout: p.stdout.String(), stderr: p.stderr.String(), elapsed: time.Since(p.start)}
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee):
			p.res.code = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				p.res.signal = ws.Signal()
			}
		default:
			p.res.code, p.res.stderr = -1, p.res.stderr+"\n(wait: "+err.Error()+")"
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// wait waits for the process to end, killing it after timeout.
func (p *process) wait(t *testing.T, timeout time.Duration) result {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		_ = p.cmd.Process.Signal(syscall.SIGQUIT) // goroutine dump on stderr
		time.Sleep(500 * time.Millisecond)
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("%v: still running after %v; killed:\n%v", p.cmd.Args[1:], timeout, p.res)
	}
	return p.res
}

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// cli runs newsearch with args to the end.
func cli(t *testing.T, args ...string) result {
	t.Helper()
	return startCLI(t, args...).wait(t, 2*time.Minute)
}

// runBin runs the program bin with args to the end, or kills it after
// timeout. Unlike cli, it may run on any goroutine.
func runBin(bin string, timeout time.Duration, args ...string) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return r, fmt.Errorf("%v: still running after %v", args, timeout)
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.signal = ws.Signal()
		}
	default:
		return r, err
	}
	return r, nil
}

// noPanic fails the test if a process's output shows a Go panic or a
// runtime error.
func noPanic(t *testing.T, what string, r result) {
	t.Helper()
	for _, s := range []string{"panic:", "goroutine ", "fatal error:", "SIGSEGV"} {
		if strings.Contains(r.stderr, s) || strings.Contains(r.stdout, s) {
			t.Fatalf("%s crashed (%q in its output): %v", what, s, r)
		}
	}
}

// indexOK runs newsearch index to the end and fails the test unless it
// succeeds.
func indexOK(t *testing.T, args ...string) result {
	t.Helper()
	r := cli(t, append([]string{"index"}, args...)...)
	noPanic(t, "newsearch index", r)
	if r.code != 0 {
		t.Fatalf("newsearch index %v: %v", args, r)
	}
	return r
}

// wantState reads the corpus as the index should hold it.
func wantState(t *testing.T, root string) State {
	t.Helper()
	want, failed, err := Want(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) > 0 {
		t.Fatalf("generated files do not parse: %v", failed)
	}
	return want
}

// mustMatch fails the test unless the index at dir holds exactly want, and
// a search for the marker word of sampled articles finds each of them alone.
func mustMatch(t *testing.T, dir string, want State, rng *rand.Rand, what string) {
	t.Helper()
	got, err := ReadIndex(dir)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if msg := Compare(got, want); msg != "" {
		t.Fatalf("%s: the index differs from the corpus: %s", what, msg)
	}
	checkMarkers(t, dir, want, rng, 8, what)
}

var markerRE = regexp.MustCompile(`kiji[0-9]+v[0-9]+p[0-9]+`)

// checkMarkers searches for the marker words of n random articles of want
// and checks that each finds its article and nothing else: the inverted
// index agrees with the stored text.
func checkMarkers(t *testing.T, dir string, want State, rng *rand.Rand, n int, what string) {
	t.Helper()
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	ix, err := index.Open(dir, index.ReadOnly())
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	defer ix.Close()
	for range min(n, len(ids)) {
		id := ids[rng.IntN(len(ids))]
		m := markerRE.FindString(want[id].Body)
		if m == "" {
			continue
		}
		res, err := ix.Search(context.Background(), index.Request{Query: m, NoSnippets: true})
		if err != nil {
			t.Fatalf("%s: search %s: %v", what, m, err)
		}
		if len(res.Hits) != 1 || res.Hits[0].ID != id {
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			t.Fatalf("%s: search %s: got %v, want only %s", what, m, got, id)
		}
	}
}
