//go:build !linux

package probe

import "errors"

// newSource fails: sampling a process reads Linux's /proc.
func newSource(pid int) (source, string, error) {
	return nil, "", errors.New("sampling a process needs Linux /proc")
}

// clockTick is Linux's USER_HZ; unused where newSource fails.
func clockTick() float64 { return 1.0 / 100 }
