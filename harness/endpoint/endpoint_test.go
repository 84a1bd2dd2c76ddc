package endpoint_test

import (
	"strings"
	"testing"

	"github.com/nssbench/nssbench/harness/endpoint"
)

func TestParse(t *testing.T) {
	all := []string{"tcp", "udp", "tls", "http", "https"}
	tests := []struct {
		in       string
		schemes  []string
		target   bool
		want     endpoint.Endpoint
		errParts []string // substrings of the error; nil for success
	}{
		{in: "tcp://127.0.0.1:0", schemes: all, want: endpoint.Endpoint{Scheme: "tcp", Host: "127.0.0.1", Port: "0", HostPort: "127.0.0.1:0"}},
		{in: "tcp://:514", schemes: all, want: endpoint.Endpoint{Scheme: "tcp", Port: "514", HostPort: ":514"}},
		{in: "tls://[::1]:6514", schemes: all, want: endpoint.Endpoint{Scheme: "tls", Host: "::1", Port: "6514", HostPort: "[::1]:6514"}},
		{in: "http://localhost:8080/nss/zia", schemes: all, want: endpoint.Endpoint{Scheme: "http", Host: "localhost", Port: "8080", HostPort: "localhost:8080", Path: "/nss/zia"}},
		{in: "https://collector.example/nss?token=x", schemes: all, target: true, want: endpoint.Endpoint{Scheme: "https", Host: "collector.example", Port: "443", HostPort: "collector.example:443", Path: "/nss"}},
		{in: "http://h/", schemes: all, target: true, want: endpoint.Endpoint{Scheme: "http", Host: "h", Port: "80", HostPort: "h:80", Path: "/"}},

		{in: "127.0.0.1:514", schemes: all, errParts: []string{`"127.0.0.1:514"`, "want scheme://host:port", "tcp, udp, tls, http or https"}},
		{in: "ftp://127.0.0.1:21", schemes: all, errParts: []string{`unknown scheme "ftp"; want tcp, udp, tls, http or https`}},
		{in: "http://127.0.0.1:80", schemes: []string{"tcp", "tls", "udp"}, target: true, errParts: []string{`unknown scheme "http"; want tcp, tls or udp`}},
		{in: "tcp://127.0.0.1", schemes: all, errParts: []string{"missing port", "want tcp://host:port"}},
		{in: "tcp://127.0.0.1", schemes: all, target: true, errParts: []string{"want tcp://host:port"}},
		{in: "tcp://:514", schemes: all, target: true, errParts: []string{"want tcp://host:port"}},
		{in: "tcp://127.0.0.1:514/x", schemes: all, errParts: []string{"has no path"}},
		{in: "tcp://127.0.0.1:514/x", schemes: all, target: true, errParts: []string{"want tcp://host:port"}},
		{in: "http://u:p@127.0.0.1:80", schemes: all, errParts: []string{"unexpected user"}},
		{in: "http://127.0.0.1:80/?q=1", schemes: all, errParts: []string{"unexpected user, query or fragment"}},
		{in: "tcp://127.0.0.1:80?q=1", schemes: all, target: true, errParts: []string{"unexpected user, query or fragment"}},
	}
	for _, tc := range tests {
		parse := endpoint.Parse
		if tc.target {
			parse = endpoint.ParseTarget
		}
		got, err := parse(tc.in, tc.schemes...)
		if tc.errParts != nil {
			if err == nil {
				t.Errorf("parse(%q, target %t) = %+v; want an error", tc.in, tc.target, got)
				continue
			}
			for _, w := range append(tc.errParts, `"`+tc.in+`"`) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("parse(%q, target %t) error = %q; want it to contain %q", tc.in, tc.target, err, w)
				}
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parse(%q, target %t) = %+v, %v; want %+v", tc.in, tc.target, got, err, tc.want)
		}
	}
}
