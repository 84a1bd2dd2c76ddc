package collector_test

import (
	"fmt"
	"net"

	"github.com/nssbench/nssbench/harness/collector"
)

// printer prints what it is handed. The records of one stream come from one goroutine, in order.
type printer struct{ c collector.Conn }

func (p printer) Record(rec []byte, f collector.Format, _ int64) {
	fmt.Printf("conn %d %s %s: %q\n", p.c.ID, p.c.Transport, f, rec)
}
func (p printer) Oversize(int64)  { fmt.Printf("conn %d: oversize record skipped\n", p.c.ID) }
func (p printer) Close(err error) { fmt.Printf("conn %d closed: %v\n", p.c.ID, err) }

// A TCP collector on a free loopback port, fed one connection in octet counting.
func ExampleListen() {
	done := make(chan struct{})
	l, err := collector.Listen("tcp://127.0.0.1:0", collector.Config{MaxLine: 16}, func(c collector.Conn) collector.Handler {
		return closeNotifier{printer{c}, done}
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Fprint(c, "7 CEF:0|a27 CEF:0|much too long to keep7 CEF:0|b")
	c.Close()
	<-done
	fmt.Println(l.Close(), l.Stats().Records, l.Stats().Oversize)
	// Output:
	// conn 1 tcp cef: "CEF:0|a"
	// conn 1: oversize record skipped
	// conn 1 tcp cef: "CEF:0|b"
	// conn 1 closed: <nil>
	// <nil> 2 1
}

type closeNotifier struct {
	printer
	done chan struct{}
}

func (n closeNotifier) Close(err error) {
	n.printer.Close(err)
	close(n.done)
}
