// Package tlsconfig builds the TLS settings a command line names by file: the CAs a client trusts, a
// client's certificate and key, a server's certificate and key, and the client CAs of mutual TLS. It is a leaf: it imports nothing of
// the project, so that senders, listeners and commands share one way to load PEM files.
package tlsconfig

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// Pool reads the PEM certificates of file into a pool; a file without one is an error.
func Pool(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no PEM certificate in it", file)
	}
	return pool, nil
}

// Client returns the configuration of a TLS client that trusts the CA certificates in caFile ("": the
// system roots) and, when insecure, does not verify the server at all. It returns nil (the defaults)
// when neither is given.
func Client(caFile string, insecure bool) (*tls.Config, error) {
	if caFile == "" && !insecure {
		return nil, nil
	}
	tc := &tls.Config{InsecureSkipVerify: insecure}
	if caFile != "" {
		pool, err := Pool(caFile)
		if err != nil {
			return nil, err
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

// WithClientCert returns tc (a new configuration when tc is nil) presenting the client certificate and
// private key of certFile and keyFile (PEM), for servers that require one. It returns tc unchanged when
// neither file is given; one without the other is an error.
func WithClientCert(tc *tls.Config, certFile, keyFile string) (*tls.Config, error) {
	switch {
	case certFile == "" && keyFile == "":
		return tc, nil
	case certFile == "" || keyFile == "":
		return tc, errors.New("a client certificate and its private key go together")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return tc, fmt.Errorf("load client certificate: %w", err)
	}
	if tc == nil {
		tc = &tls.Config{}
	}
	tc.Certificates = []tls.Certificate{cert}
	return tc, nil
}

// ErrClientCAAlone is Server's error for a client CA given without the server's certificate and key.
var ErrClientCAAlone = errors.New("a client CA needs the server's certificate and key")

// Server returns the configuration of a TLS server with the certificate and key of certFile and keyFile
// (PEM), TLS 1.2 or later, requiring and verifying a client certificate issued by a CA of clientCAFile
// when that is given (mutual TLS). It returns nil when no file is given, and ErrClientCAAlone for a
// client CA alone.
func Server(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		if clientCAFile != "" {
			return nil, ErrClientCAAlone
		}
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificate: %w", err)
	}
	tc := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCAFile != "" {
		if tc.ClientCAs, err = Pool(clientCAFile); err != nil {
			return nil, fmt.Errorf("client CA: %w", err)
		}
		tc.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return tc, nil
}
