package endpoint_test

import (
	"net"
	"testing"

	"github.com/nssbench/nssbench/harness/endpoint"
)

// TestLoopback: localhost and loopback IPs stay on this host; any other host or bound address does not.
func TestLoopback(t *testing.T) {
	for _, tc := range []struct {
		host string
		want bool
	}{{"localhost", true}, {"127.0.0.1", true}, {"127.1.2.3", true}, {"::1", true}, {"", false}, {"0.0.0.0", false}, {"10.0.0.1", false}, {"example.com", false}} {
		if got := (endpoint.Endpoint{Host: tc.host}).Loopback(); got != tc.want {
			t.Errorf("host %q: Loopback() = %t; want %t", tc.host, got, tc.want)
		}
	}
	for _, tc := range []struct {
		addr net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, true}, {&net.UDPAddr{IP: net.IPv6loopback}, true},
		{&net.TCPAddr{IP: net.IPv4zero}, false}, {&net.UDPAddr{IP: net.IPv4(10, 0, 0, 1)}, false}, {&net.UnixAddr{Name: "/x"}, false},
	} {
		if got := endpoint.AddrLoopback(tc.addr); got != tc.want {
			t.Errorf("AddrLoopback(%v) = %t; want %t", tc.addr, got, tc.want)
		}
	}
}

// TestExposed: a bound address beyond loopback gets the warning, a loopback one none (moved from
// cmd/nssbench, where collect warned).
func TestExposed(t *testing.T) {
	for _, tc := range []struct {
		addr net.Addr
		warn bool
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}, false},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 1}, false},
		{&net.UDPAddr{IP: net.IPv4(127, 0, 0, 2), Port: 1}, false},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 1}, true},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 1}, true},
		{&net.UDPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 1}, true},
	} {
		got := endpoint.Exposed("x", endpoint.AddrLoopback(tc.addr))
		if want := map[bool]string{true: "warning: x is reachable beyond this host (not a loopback address)"}[tc.warn]; got != want {
			t.Errorf("%v: Exposed = %q; want %q", tc.addr, got, want)
		}
	}
}
