package vocab

import (
	"strings"
	"testing"
)

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  int
		want int
	}{
		{"URLCategories", len(URLCategories()), 112},
		{"PolicyReasons", len(PolicyReasons()), 120}, // 121 rows, one listed twice by Zscaler
		{"NetworkServices", len(NetworkServices()), 61},
		{"ThreatCategories", len(ThreatCategories()), 24},
	} {
		if tc.got != tc.want {
			t.Errorf("len(%s()) = %d; want %d", tc.name, tc.got, tc.want)
		}
	}
}

func TestSuperCategory(t *testing.T) {
	for _, tc := range []struct{ cat, super string }{
		{"Web Search", "Information Technology"},
		{"Corporate Marketing", "Business and Economy"},
		{"Online Shopping", "Shopping and Auctions"},
		{"Social Networking", "Society and Lifestyle"},
		{"Webmail", "Internet Communication"},
	} {
		if got, ok := SuperCategory(tc.cat); !ok || got != tc.super {
			t.Errorf("SuperCategory(%q) = %q, %v; want %q, true", tc.cat, got, ok, tc.super)
		}
	}
	if got, ok := SuperCategory("No Such Category"); ok {
		t.Errorf("SuperCategory(unknown) = %q, true; want false", got)
	}
}

func TestNetworkServicePorts(t *testing.T) {
	for _, tc := range []struct {
		svc, proto string
		port       uint16
		want       bool
	}{
		{"HTTPS", "TCP", 443, true},
		{"HTTPS", "UDP", 443, false},
		{"QUIC", "UDP", 443, true},
		{"HTTP Proxy", "TCP", 8080, true},
		{"HTTP Proxy", "TCP", 3128, true},
		{"HTTP Proxy", "TCP", 80, false},
		{"Gnutella", "tcp", 6347, true},
		{"Gnutella", "tcp", 6348, false},
		{"Traceroute", "UDP", 33999, true},
		{"DNS", "udp", 53, true},
		{"ICMP", "TCP", 0, false},
	} {
		s, ok := LookupNetworkService(tc.svc)
		if !ok {
			t.Fatalf("LookupNetworkService(%q) not found", tc.svc)
		}
		if got := s.HasPort(tc.proto, tc.port); got != tc.want {
			t.Errorf("%s.HasPort(%s, %d) = %v; want %v", tc.svc, tc.proto, tc.port, got, tc.want)
		}
	}
	if _, ok := LookupNetworkService("RDP"); ok {
		t.Error("LookupNetworkService(RDP) found; Zscaler has no predefined RDP service")
	}
}

func TestSources(t *testing.T) {
	for _, name := range []string{"url-categories.tsv", "web-policy-reasons.tsv", "fw-network-services.tsv", "ips-threat-categories.txt", "observed.tsv"} {
		src, err := Source(name)
		if err != nil {
			t.Errorf("Source(%q): %v", name, err)
			continue
		}
		if !strings.HasPrefix(src, "# source: ") || len(src) < 20 {
			t.Errorf("Source(%q) = %q; want a # source: line", name, src)
		}
	}
	if _, err := Source("missing.tsv"); err == nil {
		t.Error("Source(missing.tsv) = nil error")
	}
}

func TestObserved(t *testing.T) {
	want := map[string]string{
		"fw.action":     "Allow due to insufficient app data",
		"dns.action":    "Req(allow),Res(allow)",
		"nwsvc":         "ZSCALER_PROXY_NW_SERVICES",
		"reason":        "Reputation block outbound request: malicious URL",
		"fw.rulelabel":  "RDP Allow",
		"dns.reqaction": "REQ_ALLOW",
	}
	for field, v := range want {
		if !contains(Observed(field), v) {
			t.Errorf("Observed(%q) lacks %q", field, v)
		}
	}
	if Observed("no-such-field") != nil {
		t.Error("Observed(unknown) != nil")
	}
	if len(ObservedFields()) < 20 {
		t.Errorf("ObservedFields() = %d fields; want ≥ 20", len(ObservedFields()))
	}
}

func TestParsePorts(t *testing.T) {
	for _, bad := range []string{"x", "10-5", "70000", "1-"} {
		if _, err := parsePorts(bad); err == nil {
			t.Errorf("parsePorts(%q) = nil error", bad)
		}
	}
	got, err := parsePorts("1503, 1720-1731")
	if err != nil || len(got) != 2 || got[1] != (PortRange{1720, 1731}) {
		t.Errorf("parsePorts = %v, %v", got, err)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
