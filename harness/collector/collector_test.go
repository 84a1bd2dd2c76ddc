package collector

import (
	"strings"
	"testing"
	"time"
)

func TestParseAddr(t *testing.T) {
	tests := []struct {
		in, transport, hostport string
		err                     string // substring of the error; "" for success
	}{
		// happy
		{"tcp://127.0.0.1:0", "tcp", "127.0.0.1:0", ""},
		{"tcp://:514", "tcp", "127.0.0.1:514", ""},
		{"udp://0.0.0.0:514", "udp", "0.0.0.0:514", ""},
		{"tls://[::1]:6514", "tls", "[::1]:6514", ""},
		{"http://localhost:8080/nss/zia", "http", "localhost:8080", ""},
		{"https://:0", "https", "127.0.0.1:0", ""},
		// sad
		{"127.0.0.1:514", "", "", "want scheme://host:port"},
		{"ftp://127.0.0.1:21", "", "", `unknown scheme "ftp"`},
		{"tcp://127.0.0.1", "", "", "missing port"},
		{"tcp://127.0.0.1:514/x", "", "", "has no path"},
		{"http://u:p@127.0.0.1:80", "", "", "unexpected user"},
	}
	for _, tc := range tests {
		transport, hostport, err := parseAddr(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), `"`+tc.in+`"`) {
				t.Errorf("parseAddr(%q) error = %v; want one quoting the input and saying %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || transport != tc.transport || hostport != tc.hostport {
			t.Errorf("parseAddr(%q) = %q, %q, %v; want %q, %q", tc.in, transport, hostport, err, tc.transport, tc.hostport)
		}
	}
}

func TestListenErrors(t *testing.T) {
	for _, tc := range []struct{ addr, err string }{
		{"tls://127.0.0.1:0", "Config.TLS must carry a certificate"},
		{"https://127.0.0.1:0", "Config.TLS must carry a certificate"},
		{"tcp://192.0.2.1:0", "listen tcp://192.0.2.1:0"}, // not a local address
		{"udp://192.0.2.1:0", "listen udp://192.0.2.1:0"},
	} {
		if l, err := Listen(tc.addr, Config{}, func(Conn) Handler { return nopHandler{} }); err == nil || !strings.Contains(err.Error(), tc.err) {
			if l != nil {
				l.Close()
			}
			t.Errorf("Listen(%q) error = %v; want %q", tc.addr, err, tc.err)
		}
	}
	if _, err := Listen("tcp://127.0.0.1:0", Config{}, nil); err == nil || !strings.Contains(err.Error(), "nil NewHandler") {
		t.Errorf("Listen with a nil NewHandler: error = %v; want one saying so", err)
	}
}

func TestURL(t *testing.T) {
	for _, scheme := range []string{"tcp", "udp", "http"} {
		l, err := Listen(scheme+"://:0", Config{}, func(Conn) Handler { return nopHandler{} })
		if err != nil {
			t.Fatal(err)
		}
		u := l.URL()
		if !strings.HasPrefix(u, scheme+"://127.0.0.1:") || strings.HasSuffix(u, ":0") {
			t.Errorf("URL() = %q; want %s://127.0.0.1:<port>", u, scheme)
		}
		if u != scheme+"://"+l.Addr().String() {
			t.Errorf("URL() = %q; Addr() = %v", u, l.Addr())
		}
		if err := l.Close(); err != nil {
			t.Errorf("Close() = %v", err)
		}
		if err := l.Close(); err != nil {
			t.Errorf("second Close() = %v", err)
		}
	}
}

type nopHandler struct{}

func (nopHandler) Record([]byte, Format, int64) {}
func (nopHandler) Oversize(int64)               {}
func (nopHandler) Close(error)                  {}

func TestConfigString(t *testing.T) {
	got := Config{ReadBuffer: 1 << 20}.String()
	want := "Config{MaxLine: 65536, TLS: false, ReadBuffer: 1048576, MaxBody: 33554432, HandshakeTimeout: 10s, DrainIdle: 100ms, DrainTimeout: 5s, " +
		"MaxConnections: 0, IdleTimeout: 5m0s, HTTPBudget: 67108864, MaxRequests: 64, HTTPQueueWait: 5s, MaxRecords: 100000, " +
		"HTTPReadTimeout: 1m0s, HTTPWriteTimeout: 10s, HTTPAuth: 0}"
	if got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
	if got := (Config{DrainIdle: time.Second}).String(); !strings.Contains(got, "ReadBuffer: kernel") || !strings.Contains(got, "DrainIdle: 1s") {
		t.Errorf("String() = %q; want kernel read buffer and DrainIdle 1s", got)
	}
}

func TestFormatString(t *testing.T) {
	for f, want := range map[Format]string{FormatCEF: "cef", FormatJSON: "json", 0: "unknown"} {
		if got := f.String(); got != want {
			t.Errorf("Format(%d).String() = %q; want %q", f, got, want)
		}
	}
}

func TestTrimTrailingNewline(t *testing.T) {
	for in, want := range map[string]string{"a\n": "a", "a\r\n": "a", "a\r": "a\r", "a\n\n": "a\n", "": "", "\r\n": ""} {
		if got := string(trimTrailingNewline([]byte(in))); got != want {
			t.Errorf("trimTrailingNewline(%q) = %q; want %q", in, got, want)
		}
	}
}
