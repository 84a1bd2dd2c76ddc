package transport

import (
	"net"
	"syscall"
	"unsafe"
)

// outq reads a TCP socket's count of bytes not yet acknowledged by the peer (SIOCOUTQ, which is
// TIOCOUTQ on Linux). One per connection; not safe for concurrent use.
type outq struct {
	rc    syscall.RawConn
	read  func(fd uintptr) // built once: a closure per Control call would allocate
	n     int32
	errno syscall.Errno
}

// newOutq returns the reader for c, which cannot tell when c is not a socket.
func newOutq(c net.Conn) *outq {
	q := &outq{}
	if sc, ok := c.(syscall.Conn); ok {
		q.rc, _ = sc.SyscallConn()
	}
	q.read = func(fd uintptr) {
		_, _, q.errno = syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCOUTQ, uintptr(unsafe.Pointer(&q.n)))
	}
	return q
}

// unacked returns the unacknowledged bytes, and false when it cannot tell.
func (q *outq) unacked() (int, bool) {
	if q.rc == nil {
		return 0, false
	}
	if err := q.rc.Control(q.read); err != nil || q.errno != 0 || q.n < 0 {
		return 0, false
	}
	return int(q.n), true
}
