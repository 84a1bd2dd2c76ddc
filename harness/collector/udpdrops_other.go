//go:build !linux

package collector

import "syscall"

// udpDropCounter reports the drop counter as unavailable: only Linux exposes it (/proc/net/udp).
func udpDropCounter(syscall.Conn) func() (int64, bool) {
	return func() (int64, bool) { return 0, false }
}
