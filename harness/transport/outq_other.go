//go:build !linux

package transport

import "net"

// outq cannot tell outside Linux.
type outq struct{}

func newOutq(net.Conn) *outq { return &outq{} }

// unacked always returns false.
func (*outq) unacked() (int, bool) { return 0, false }
