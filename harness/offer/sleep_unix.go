//go:build linux || darwin || freebsd

package offer

import (
	"syscall"
	"time"
)

// shortSleep blocks the calling thread in the kernel for d, which wakes within tens of microseconds,
// where a runtime timer would round a sub-millisecond wait up to a millisecond.
func shortSleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	syscall.Nanosleep(&ts, nil) // an early wake (EINTR) just means the caller checks the clock again
}
