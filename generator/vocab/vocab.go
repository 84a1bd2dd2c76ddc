// Package vocab holds Zscaler's published value lists for NSS fields, embedded from data/: URL
// categories with their super categories, web policy reasons, predefined firewall network services
// with their ports, IPS threat categories, and the values observed in public NSS samples.
//
// Every data file keeps its "# source:" first line, so provenance travels with the data. The lists
// are parsed once, on first use, and returned as shared read-only slices: callers must not modify
// them. All functions are safe for concurrent use.
package vocab

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/*.tsv data/*.txt
var files embed.FS

// URLCategory is one URL category (%s{urlcat}) and the super category it belongs to (%s{urlsupercat}).
type URLCategory struct {
	Super string // e.g. "Information Technology"
	Name  string // e.g. "Web Search"
}

// PolicyReason is one web policy reason (%s{reason}, the NSSWeblog CEF header name) and the ZIA
// feature that produces it.
type PolicyReason struct {
	Reason  string // e.g. "Malware block: malicious file"
	Feature string // e.g. "Malware Protection"
}

// PortRange is an inclusive range of destination ports.
type PortRange struct{ Lo, Hi uint16 }

// NetworkService is a predefined firewall network service (%s{nwsvc}) and its destination ports.
type NetworkService struct {
	Name string      // e.g. "HTTPS"
	TCP  []PortRange // empty when the service has no TCP ports
	UDP  []PortRange // empty when the service has no UDP ports
}

// Ports returns the service's port ranges for ipproto "TCP" or "UDP" (any case); nil for others.
func (s *NetworkService) Ports(ipproto string) []PortRange {
	switch {
	case strings.EqualFold(ipproto, "tcp"):
		return s.TCP
	case strings.EqualFold(ipproto, "udp"):
		return s.UDP
	}
	return nil
}

// HasPort reports whether port is one of the service's destination ports for ipproto.
func (s *NetworkService) HasPort(ipproto string, port uint16) bool {
	for _, r := range s.Ports(ipproto) {
		if port >= r.Lo && port <= r.Hi {
			return true
		}
	}
	return false
}

// vocabulary is the parsed content of every data file.
type vocabulary struct {
	urlCats  []URLCategory
	superOf  map[string]string
	reasons  []PolicyReason
	services []NetworkService
	svcIndex map[string]int
	threats  []string
	observed map[string][]string
	fields   []string
}

var load = sync.OnceValue(func() *vocabulary {
	v, err := parseAll()
	if err != nil {
		panic("BUG: vocab: embedded data: " + err.Error())
	}
	return v
})

// URLCategories returns every URL category with its super category, in the file's order.
func URLCategories() []URLCategory { return load().urlCats }

// SuperCategory returns the super category of URL category name, and whether name is known.
func SuperCategory(name string) (string, bool) {
	s, ok := load().superOf[name]
	return s, ok
}

// PolicyReasons returns every web policy reason Zscaler documents, in the file's order. A reason the
// documentation lists twice appears once.
func PolicyReasons() []PolicyReason { return load().reasons }

// NetworkServices returns the predefined firewall network services, in the file's order.
func NetworkServices() []NetworkService { return load().services }

// LookupNetworkService returns the predefined network service called name.
func LookupNetworkService(name string) (NetworkService, bool) {
	v := load()
	i, ok := v.svcIndex[name]
	if !ok {
		return NetworkService{}, false
	}
	return v.services[i], true
}

// ThreatCategories returns the IPS threat categories (%s{threatcat} of firewall records).
func ThreatCategories() []string { return load().threats }

// Observed returns the values seen for field in public samples and field descriptions, as listed in
// data/observed.tsv. Field names are NSS names, qualified by feed where feeds disagree ("fw.action",
// "dns.reqaction", "web.action"). The result is nil for a field the file does not list.
func Observed(field string) []string { return load().observed[field] }

// ObservedFields returns the field names Observed knows, in the file's order.
func ObservedFields() []string { return load().fields }

// Source returns the "# source:" line of the embedded data file name (e.g. "url-categories.tsv").
func Source(name string) (string, error) {
	data, err := files.ReadFile("data/" + name)
	if err != nil {
		return "", err
	}
	line, _, _ := bytes.Cut(data, []byte{'\n'})
	if !bytes.HasPrefix(line, []byte("# source:")) {
		return "", fmt.Errorf("vocab: data/%s: first line is not a \"# source:\" line", name)
	}
	return string(line), nil
}

func parseAll() (*vocabulary, error) {
	v := &vocabulary{superOf: map[string]string{}, svcIndex: map[string]int{}, observed: map[string][]string{}}
	err := eachRow("url-categories.tsv", 2, func(line int, f []string) error {
		if _, dup := v.superOf[f[1]]; dup {
			return fmt.Errorf("duplicate URL category %q", f[1])
		}
		v.superOf[f[1]] = f[0]
		v.urlCats = append(v.urlCats, URLCategory{Super: f[0], Name: f[1]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	err = eachRow("web-policy-reasons.tsv", 2, func(line int, f []string) error {
		if !seen[f[0]] {
			seen[f[0]] = true
			v.reasons = append(v.reasons, PolicyReason{Reason: f[0], Feature: f[1]})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow("fw-network-services.tsv", 3, func(line int, f []string) error {
		tcp, err := parsePorts(f[1])
		if err != nil {
			return fmt.Errorf("tcp ports: %w", err)
		}
		udp, err := parsePorts(f[2])
		if err != nil {
			return fmt.Errorf("udp ports: %w", err)
		}
		v.svcIndex[f[0]] = len(v.services)
		v.services = append(v.services, NetworkService{Name: f[0], TCP: tcp, UDP: udp})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow("ips-threat-categories.txt", 1, func(line int, f []string) error {
		v.threats = append(v.threats, f[0])
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow("observed.tsv", 3, func(line int, f []string) error {
		if _, ok := v.observed[f[0]]; !ok {
			v.fields = append(v.fields, f[0])
		}
		v.observed[f[0]] = append(v.observed[f[0]], f[1])
		return nil
	})
	return v, err
}

// eachRow calls fn for every data row of file name (comment lines start with '#'), split on tabs into
// exactly n non-empty fields.
func eachRow(name string, n int, fn func(line int, fields []string) error) error {
	data, err := files.ReadFile("data/" + name)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != n {
			return fmt.Errorf("data/%s:%d: %d tab-separated fields, want %d", name, line, len(f), n)
		}
		for i := range f {
			if f[i] = strings.TrimSpace(f[i]); f[i] == "" {
				return fmt.Errorf("data/%s:%d: field %d is empty", name, line, i+1)
			}
		}
		if err := fn(line, f); err != nil {
			return fmt.Errorf("data/%s:%d: %w", name, line, err)
		}
	}
	return sc.Err()
}

// parsePorts parses "-" (none), "443", "3128, 8080" or "6346-6347".
func parsePorts(s string) ([]PortRange, error) {
	if s == "-" {
		return nil, nil
	}
	var out []PortRange
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		l, err := strconv.ParseUint(lo, 10, 16)
		if err != nil {
			return nil, fmt.Errorf("port %q: %w", part, err)
		}
		h := l
		if isRange {
			if h, err = strconv.ParseUint(hi, 10, 16); err != nil || h < l {
				return nil, fmt.Errorf("port range %q: bad upper bound", part)
			}
		}
		out = append(out, PortRange{Lo: uint16(l), Hi: uint16(h)})
	}
	return out, nil
}
