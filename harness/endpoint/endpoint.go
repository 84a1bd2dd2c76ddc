// Package endpoint parses the project's one address form, scheme://host:port (with a path for http and
// https), for collector listeners, sinks and the senders' targets alike. It is a leaf: it imports nothing
// of the project.
package endpoint

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// Schemes every listener or sender of the project knows, in the order errors list them.
const (
	TCP   = "tcp"
	TLS   = "tls"
	UDP   = "udp"
	HTTP  = "http"
	HTTPS = "https"
)

// Endpoint is a parsed address.
type Endpoint struct {
	Scheme   string // one of the schemes the caller allowed
	Host     string // may be empty in a listen address (Parse); never in a target (ParseTarget)
	Port     string
	HostPort string // Host and Port joined, for net.Listen or net.Dial
	Path     string // http and https only; "" or "/" otherwise
}

// IsHTTP reports whether e is an http:// or https:// address.
func (e Endpoint) IsHTTP() bool { return e.Scheme == HTTP || e.Scheme == HTTPS }

// Loopback reports whether e's host reaches this host only: "localhost" or a loopback IP address.
func (e Endpoint) Loopback() bool {
	ip := net.ParseIP(e.Host)
	return e.Host == "localhost" || ip != nil && ip.IsLoopback()
}

// AddrLoopback reports whether a bound address (a *net.TCPAddr or *net.UDPAddr) is a loopback one; any
// other address is not.
func AddrLoopback(a net.Addr) bool {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UDPAddr:
		return a.IP.IsLoopback()
	}
	return false
}

// Exposed returns the warning that what (an address, or a flag and its address) is reachable beyond
// this host, when loopback is false (Loopback, AddrLoopback); "" when it is true.
func Exposed(what string, loopback bool) string {
	if loopback {
		return ""
	}
	return "warning: " + what + " is reachable beyond this host (not a loopback address)"
}

// Parse parses a listen address, scheme://host:port, whose scheme must be one of schemes. The host may be
// empty (the caller picks a default) and the port is required (:0 picks a free one); an http or https
// address may carry a path. Errors quote s and name the allowed schemes.
func Parse(s string, schemes ...string) (Endpoint, error) {
	e, err := parse(s, schemes, false)
	if err != nil {
		return Endpoint{}, err
	}
	if e.Port == "" {
		return Endpoint{}, fmt.Errorf("address %q: missing port (use :0 for any free port): want %s://host:port", s, e.Scheme)
	}
	return e, nil
}

// ParseTarget parses an address to connect to, scheme://host:port, whose scheme must be one of schemes.
// The host is required; an http or https target may carry a path and a query, and without a port gets 80
// or 443.
// Errors quote s and name the allowed schemes.
func ParseTarget(s string, schemes ...string) (Endpoint, error) {
	e, err := parse(s, schemes, true)
	if err != nil {
		return Endpoint{}, err
	}
	if e.Port == "" && e.IsHTTP() {
		e.Port = map[string]string{HTTP: "80", HTTPS: "443"}[e.Scheme]
		e.HostPort = net.JoinHostPort(e.Host, e.Port)
	}
	if e.Host == "" || e.Port == "" {
		return Endpoint{}, fmt.Errorf("address %q: missing host or port: want %s://host:port", s, e.Scheme)
	}
	return e, nil
}

// parse checks what listen addresses and targets share. A target may be an http(s) URL with a query.
func parse(s string, schemes []string, target bool) (Endpoint, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return Endpoint{}, fmt.Errorf("address %q: want scheme://host:port with scheme %s", s, list(schemes))
	}
	if !slices.Contains(schemes, u.Scheme) {
		return Endpoint{}, fmt.Errorf("address %q: unknown scheme %q; want %s", s, u.Scheme, list(schemes))
	}
	e := Endpoint{Scheme: u.Scheme, Host: u.Hostname(), Port: u.Port(), Path: u.Path}
	if !e.IsHTTP() && u.Path != "" && u.Path != "/" {
		return Endpoint{}, fmt.Errorf("address %q: a %s address has no path: want %s://host:port", s, u.Scheme, u.Scheme)
	}
	if u.User != nil || u.Fragment != "" || (u.RawQuery != "" && !(target && e.IsHTTP())) {
		return Endpoint{}, fmt.Errorf("address %q: unexpected user, query or fragment", s)
	}
	if e.Port != "" {
		e.HostPort = net.JoinHostPort(e.Host, e.Port)
	}
	return e, nil
}

// list names schemes as "a, b or c".
func list(schemes []string) string {
	switch n := len(schemes); n {
	case 0:
		return "(none)"
	case 1:
		return schemes[0]
	default:
		return strings.Join(schemes[:n-1], ", ") + " or " + schemes[n-1]
	}
}
