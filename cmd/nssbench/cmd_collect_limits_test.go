package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector/collectortest"
)

func TestCollectLimitFlagErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	badAuth := filepath.Join(dir, "auth")
	os.WriteFile(badAuth, []byte("# keys\nAuthorization Bearer x\n"), 0o600)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"client-ca without cert", []string{"-client-ca", "ca.pem"}, "-client-ca needs -cert and -key"},
		{"missing auth file", []string{"-http-auth-file", filepath.Join(dir, "none")}, "-http-auth-file"},
		{"bad auth file", []string{"-http-auth-file", badAuth}, badAuth + ":2: want"},
		{"negative max-connections", []string{"-max-connections", "-1"}, "-max-connections must be 0 or more"},
		{"zero budget", []string{"-http-budget", "0"}, "-http-budget"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", append([]string{"collect", "-listen", "tcp://127.0.0.1:0"}, tc.args...)...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tc.want)
			}
		})
	}
}

// TestCollectOutWriteError: a write error on -out stops collect at once with the error, not at shutdown.
func TestCollectOutWriteError(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("uses /dev/full")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, ctx: ctx}
	code := make(chan int, 1)
	go func() {
		code <- mainArgs(e, []string{"collect", "-listen", "tcp://127.0.0.1:0", "-out", "/dev/full", "-stats-every", "0"})
	}()
	target := waitFor(t, &stderr, regexp.MustCompile(`listening on tcp://(\S+)`))
	c, err := net.DialTimeout("tcp", target, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow\n")
	select {
	case got := <-code:
		if got != exitFailure || !strings.Contains(stderr.String(), "stopping: verdict sink: write /dev/full: no space left on device") {
			t.Errorf("exit %d; stderr:\n%s\nwant %d and the write error", got, stderr.String(), exitFailure)
		}
	case <-ctx.Done():
		t.Fatalf("collect still running after the -out write failed; stderr:\n%s", stderr.String())
	}
}

// TestCollectClientCA: with -client-ca, a tls:// listener serves a client whose certificate the CA
// issued and refuses one without a certificate.
func TestCollectClientCA(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	server, client := collectortest.SelfSigned(t)
	ca := collectortest.NewCA(t)
	cert := server.Certificates[0]
	keyDER, err := x509.MarshalECPrivateKey(cert.PrivateKey.(*ecdsa.PrivateKey))
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
	certFile := write("server.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}))
	keyFile := write("server.key", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	caFile := write("ca.pem", ca.PEM())

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, ctx: ctx}
	code := make(chan int, 1)
	go func() {
		code <- mainArgs(e, []string{"collect", "-listen", "tls://127.0.0.1:0", "-cert", certFile, "-key", keyFile, "-client-ca", caFile, "-stats-every", "20ms"})
	}()
	target := waitFor(t, &stderr, regexp.MustCompile(`listening on tls://(\S+)`))
	send := func(cfg *tls.Config) error {
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", target, cfg)
		if err != nil {
			return err
		}
		defer c.Close()
		io.WriteString(c, "Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow\n")
		c.CloseWrite()
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
			return err
		}
		return nil
	}
	if err := send(client); err == nil {
		t.Error("a client without a certificate was served")
	}
	issued := client.Clone()
	issued.Certificates = []tls.Certificate{ca.ClientCert(t, "nss")}
	if err := send(issued); err != nil {
		t.Errorf("the issued client was refused: %v", err)
	}
	waitFor(t, &stderr, regexp.MustCompile(`(received 1): alerts 1`))
	cancel()
	if c := <-code; c != exitOK {
		t.Errorf("collect exit %d; stderr:\n%s", c, stderr.String())
	}
}
