package collector

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// udpDropCounter returns a reader of the kernel's drop counter for c's socket: the "drops" column of
// the /proc/net/udp or /proc/net/udp6 row whose inode is the socket's. It reports false when the inode
// or the row cannot be found.
func udpDropCounter(c syscall.Conn) func() (int64, bool) {
	var ino uint64
	if rc, err := c.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) {
			var st syscall.Stat_t
			if syscall.Fstat(int(fd), &st) == nil {
				ino = st.Ino
			}
		})
	}
	if ino == 0 {
		return func() (int64, bool) { return 0, false }
	}
	inode := []byte(strconv.FormatUint(ino, 10))
	return func() (int64, bool) {
		for _, path := range []string{"/proc/net/udp", "/proc/net/udp6"} {
			if n, ok := procUDPDrops(path, inode); ok {
				return n, true
			}
		}
		return 0, false
	}
}

// procUDPDrops finds the row of a /proc/net/udp-format file with the given inode and returns its drops.
//
//	sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops
func procUDPDrops(path string, inode []byte) (int64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	return parseUDPDrops(bufio.NewScanner(f), inode)
}

// parseUDPDrops scans /proc/net/udp lines for the row with the given inode.
func parseUDPDrops(sc *bufio.Scanner, inode []byte) (int64, bool) {
	const inodeField, dropsField = 9, 12
	for sc.Scan() {
		fields := bytes.Fields(sc.Bytes())
		if len(fields) <= dropsField || !bytes.Equal(fields[inodeField], inode) {
			continue
		}
		n, err := strconv.ParseInt(string(fields[dropsField]), 10, 64)
		return n, err == nil
	}
	return 0, false
}
