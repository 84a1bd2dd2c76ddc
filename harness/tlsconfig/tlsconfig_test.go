package tlsconfig_test

import (
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/tlsconfig"
)

// files writes a self-signed server certificate, its key, a CA and a non-PEM file to a temp dir.
func files(t *testing.T) (cert, key, ca, junk string) {
	dir := t.TempDir()
	server, _ := collectortest.SelfSigned(t)
	c := server.Certificates[0]
	keyDER, err := x509.MarshalECPrivateKey(c.PrivateKey.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write("server.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Certificate[0]})),
		write("server.key", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})),
		write("ca.pem", collectortest.NewCA(t).PEM()), write("junk.pem", []byte("not a certificate\n"))
}

func TestClient(t *testing.T) {
	_, _, ca, junk := files(t)
	if tc, err := tlsconfig.Client("", false); tc != nil || err != nil {
		t.Errorf("Client(none) = %v, %v; want nil, nil", tc, err)
	}
	tc, err := tlsconfig.Client(ca, false)
	if err != nil || tc.RootCAs == nil || tc.InsecureSkipVerify {
		t.Errorf("Client(ca) = %+v, %v; want the CA as roots", tc, err)
	}
	if tc, err := tlsconfig.Client("", true); err != nil || !tc.InsecureSkipVerify {
		t.Errorf("Client(insecure) = %+v, %v", tc, err)
	}
	for _, tt := range []struct{ file, want string }{{junk, "no PEM certificate"}, {"no-such.pem", "no-such.pem"}} {
		if _, err := tlsconfig.Client(tt.file, false); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Client(%s) error = %v; want %q", tt.file, err, tt.want)
		}
	}
}

func TestServer(t *testing.T) {
	cert, key, ca, junk := files(t)
	if tc, err := tlsconfig.Server("", "", ""); tc != nil || err != nil {
		t.Errorf("Server(none) = %v, %v; want nil, nil", tc, err)
	}
	if _, err := tlsconfig.Server("", "", ca); !errors.Is(err, tlsconfig.ErrClientCAAlone) {
		t.Errorf("Server(client CA alone) = %v; want ErrClientCAAlone", err)
	}
	tc, err := tlsconfig.Server(cert, key, "")
	if err != nil || len(tc.Certificates) != 1 || tc.MinVersion != tls.VersionTLS12 || tc.ClientAuth != tls.NoClientCert {
		t.Fatalf("Server(cert, key) = %+v, %v", tc, err)
	}
	tc, err = tlsconfig.Server(cert, key, ca)
	if err != nil || tc.ClientCAs == nil || tc.ClientAuth != tls.RequireAndVerifyClientCert {
		t.Errorf("Server(cert, key, ca) = %+v, %v; want mutual TLS", tc, err)
	}
	for _, tt := range []struct{ cert, key, ca, want string }{
		{"", "", ca, "needs the server's certificate"},
		{cert, "", "", "load TLS certificate"},
		{cert, key, junk, "no PEM certificate"},
	} {
		if _, err := tlsconfig.Server(tt.cert, tt.key, tt.ca); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Server(%q, %q, %q) error = %v; want %q", tt.cert, tt.key, tt.ca, err, tt.want)
		}
	}
}

func TestWithClientCert(t *testing.T) {
	cert, key, _, junk := files(t)
	if tc, err := tlsconfig.WithClientCert(nil, "", ""); tc != nil || err != nil {
		t.Errorf("WithClientCert(nil, none) = %v, %v; want nil, nil", tc, err)
	}
	tc, err := tlsconfig.WithClientCert(nil, cert, key)
	if err != nil || tc == nil || len(tc.Certificates) != 1 {
		t.Fatalf("WithClientCert(nil, cert, key) = %+v, %v; want one certificate", tc, err)
	}
	base := &tls.Config{InsecureSkipVerify: true}
	if tc, err := tlsconfig.WithClientCert(base, cert, key); err != nil || tc != base || len(tc.Certificates) != 1 {
		t.Errorf("WithClientCert(base, cert, key) = %+v, %v; want base with the certificate", tc, err)
	}
	for _, tt := range []struct{ cert, key, want string }{
		{cert, "", "go together"},
		{"", key, "go together"},
		{junk, key, "load client certificate"},
	} {
		if _, err := tlsconfig.WithClientCert(nil, tt.cert, tt.key); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("WithClientCert(%q, %q) error = %v; want %q", tt.cert, tt.key, err, tt.want)
		}
	}
}
