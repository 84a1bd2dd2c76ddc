//go:build !(linux || darwin || freebsd)

package offer

import "time"

// shortSleep sleeps for about d.
func shortSleep(d time.Duration) { time.Sleep(d) }
