package transport_test

import (
	"context"
	"fmt"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/transport"
)

// Send three records with octet counting to a loopback collector.
func ExampleDial() {
	var rec collectortest.Recorder
	l, err := collector.Listen("tcp://127.0.0.1:0", collector.Config{}, rec.NewHandler)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := transport.Dial(context.Background(), l.URL(), transport.Options{Framing: "octet"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, r := range []string{"CEF:0|a", "CEF:0|b", "CEF:0|c"} {
		if err := s.Send(uint64(i), []byte(r)); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println("written before flush:", s.Written())
	if err := s.Close(); err != nil {
		fmt.Println(err)
	}
	fmt.Println("written:", s.Written())
	l.Close()
	fmt.Println(rec.Records())
	// Output:
	// written before flush: 0
	// written: 3
	// [CEF:0|a CEF:0|b CEF:0|c]
}
