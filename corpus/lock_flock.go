//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package corpus

import (
	"os"
	"syscall"
)

// tryLock takes an exclusive advisory lock on f without waiting, and reports whether it got it. The
// lock lasts until f is closed.
func tryLock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
