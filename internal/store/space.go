package store

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrNoSpace is the error of a write that failed for want of space (or of
// quota) on the index's filesystem.
var ErrNoSpace = errors.New("no space left on the index's device")

// IsNoSpace reports whether err is a full disk or an exhausted quota, also
// where a library passed on only the message.
func IsNoSpace(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrNoSpace) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "no space left on device") || strings.Contains(msg, "disk quota exceeded")
}

// NoSpaceError says which device is full, how much is free, and how much
// the index needs: the message a user can act on.
func (s *Store) NoSpaceError(cause error, need int64) error {
	dev, mount, free, err := Space(s.dir)
	where := s.dir
	if err == nil {
		where = fmt.Sprintf("%s (%s, mounted at %s)", s.dir, dev, mount)
	}
	msg := fmt.Sprintf("%v: %s has %s free", ErrNoSpace, where, human(int64(free)))
	if need > 0 {
		msg += fmt.Sprintf("; this index needs about %s more to write and merge (free space or move the index with --index)", human(need))
	}
	return &noSpaceError{msg: msg, cause: cause}
}

// noSpaceError says what a user can do; the error that failed stays
// reachable through errors.Is and As.
type noSpaceError struct {
	msg   string
	cause error
}

func (e *noSpaceError) Error() string   { return e.msg }
func (e *noSpaceError) Unwrap() []error { return []error{ErrNoSpace, e.cause} }

// Space returns the device and mount point of the filesystem holding path,
// and the bytes free there for an unprivileged writer.
func Space(path string) (device, mount string, free uint64, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", 0, err
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(abs, &st); err != nil {
		return "", "", 0, err
	}
	free = st.Bavail * uint64(st.Bsize)
	device, mount = "?", "/"
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return device, mount, free, nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	best := -1
	for sc.Scan() {
		// 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 {
			continue
		}
		mp := unescapeMount(fields[4])
		if !within(abs, mp) || len(mp) < best {
			continue
		}
		for i, x := range fields {
			if x == "-" && i+2 < len(fields) {
				best, mount, device = len(mp), mp, fields[i+2] // a later mount over the same point wins
				break
			}
		}
	}
	return device, mount, free, nil
}

func within(path, dir string) bool {
	return dir == "/" || path == dir || strings.HasPrefix(path, dir+"/")
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			var c byte
			if _, err := fmt.Sscanf(s[i+1:i+4], "%03o", &c); err == nil {
				b.WriteByte(c)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
