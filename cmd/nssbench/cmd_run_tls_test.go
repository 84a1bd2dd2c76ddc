package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/reports"
)

// writePair writes cert's certificate and ECDSA key as PEM files in dir and returns their paths.
func writePair(t *testing.T, dir, name string, cert tls.Certificate) (certFile, keyFile string) {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(cert.PrivateKey.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestRunClientCertificate: run -cert/-key presents a client certificate to a collector that requires
// one (collect -client-ca), over tls:// and https://; without it the collector refuses the run's
// connections and decides none of its records.
func TestRunClientCertificate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	server, _ := collectortest.SelfSigned(t)
	ca := collectortest.NewCA(t)
	serverCert, serverKey := writePair(t, dir, "server", server.Certificates[0])
	clientCert, clientKey := writePair(t, dir, "client", ca.ClientCert(t, "nss"))
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, ca.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, scheme := range []string{"tls", "https"} {
		t.Run(scheme, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			var stdout, stderr syncBuffer
			e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, ctx: ctx}
			code := make(chan int, 1)
			go func() {
				code <- mainArgs(e, []string{"collect", "-listen", scheme + "://127.0.0.1:0", "-cert", serverCert, "-key", serverKey,
					"-client-ca", caFile, "-stats-every", "20ms"})
			}()
			addr := waitFor(t, &stderr, regexp.MustCompile(`listening on `+scheme+`://(\S+)`))
			target := scheme + "://" + addr
			if scheme == "https" {
				target += "/nss"
			}
			run := func(want []int, extra ...string) *reports.Report {
				t.Helper()
				out := filepath.Join(t.TempDir(), "report.json")
				args := append([]string{"run", "-quiet", "-scenario", "smoke", "-rate", "2000/s", "-count", "300", "-drain", "2s",
					"-retry-window", "500ms", "-target", target, "-ca", serverCert, "-out", out}, extra...)
				if c, _, errOut := runCLI(t, "", args...); !slices.Contains(want, c) {
					t.Fatalf("run %v: exit %d\n%s", extra, c, errOut)
				}
				f, err := os.Open(out)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				rep, err := reports.Decode(f)
				if err != nil {
					t.Fatal(err)
				}
				return rep
			}
			// Refused: the collector decides nothing. Over https the sender sees every request fail.
			// Over tls:// TLS 1.3 tells the client of the refusal only by breaking the connection, which a
			// run may or may not see before its records are in the socket buffers; over https:// every
			// request fails, and the smoke scenario's lost==0 gate with it.
			refused := []int{exitOK, exitConformance}
			if scheme == "https" {
				refused = []int{exitConformance}
			}
			rep := run(refused)
			time.Sleep(100 * time.Millisecond) // a stats line after the refusals
			if got := lastReceived(&stderr); got != "0" {
				t.Errorf("the collector decided %s records of a run without a client certificate", got)
			}
			if scheme == "https" && rep.Counts.Lost != rep.Counts.Offered {
				t.Errorf("https without a client certificate: lost %d of %d (%+v); want all", rep.Counts.Lost, rep.Counts.Offered, rep.Lost)
			}
			// Accepted: every record is sent and decided (-deliver-all: however late a loaded machine
			// makes the handshakes, the test is about the certificate, not the schedule).
			rep = run([]int{exitOK}, "-cert", clientCert, "-key", clientKey, "-deliver-all")
			if rep.Counts.Lost != 0 || rep.Counts.Sent != 300 {
				t.Errorf("with the client certificate: counts %+v lost %+v; want 300 sent, none lost", rep.Counts, rep.Lost)
			}
			want := "300"
			if scheme == "https" {
				want = "" // Cloud NSS leaves the malformed classes out: fewer, all of them
			}
			deadline := time.Now().Add(10 * time.Second)
			for got := lastReceived(&stderr); got == "0" || (want != "" && got != want); got = lastReceived(&stderr) {
				if time.Now().After(deadline) {
					t.Fatalf("the collector decided %s records; want %s\n%s", got, want, stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			cancel()
			if c := <-code; c != exitOK {
				t.Errorf("collect exit %d; stderr:\n%s", c, stderr.String())
			}
		})
	}
	if c, _, errOut := runCLI(t, "", "run", "-target", "tls://127.0.0.1:1", "-cert", clientCert, "-count", "1"); c != exitUsage || !strings.Contains(errOut, "-cert and -key go together") {
		t.Errorf("-cert without -key: exit %d\n%s", c, errOut)
	}
}

// lastReceived returns the count of collect's last "received N" stats line.
func lastReceived(buf *syncBuffer) string {
	m := regexp.MustCompile(`received (\d+):`).FindAllStringSubmatch(buf.String(), -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1][1]
}
