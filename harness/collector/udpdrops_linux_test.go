package collector

import (
	"bufio"
	"strings"
	"testing"
)

// procNetUDP is the shape of /proc/net/udp (Linux 6.x).
const procNetUDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  123: 0100007F:0202 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 0
  124: 0100007F:A00C 00000000:0000 07 00000000:00004000 00:00000000 00000000     0        0 98765 2 0000000000000000 1961
`

func TestParseUDPDrops(t *testing.T) {
	tests := []struct {
		inode string
		want  int64
		ok    bool
	}{
		{"98765", 1961, true},
		{"4242", 0, true},
		{"9876", 0, false}, // a prefix of an inode is not a match
		{"drops", 0, false},
	}
	for _, tc := range tests {
		got, ok := parseUDPDrops(bufio.NewScanner(strings.NewReader(procNetUDP)), []byte(tc.inode))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseUDPDrops(inode %s) = %d, %t; want %d, %t", tc.inode, got, ok, tc.want, tc.ok)
		}
	}
}
