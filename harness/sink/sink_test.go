package sink

import (
	"bytes"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/framing"
)

// TestSinkLoopback sends generated records to a sink over each transport and checks they are matched.
func TestSinkLoopback(t *testing.T) {
	for _, tc := range []struct {
		scheme  string
		framing framing.Framing
		cloud   bool
	}{
		{"tcp", framing.FramingLF, false},
		{"tcp", framing.FramingOctet, false},
		{"udp", framing.FramingLF, false},
		{"http", 0, true},
	} {
		t.Run(tc.scheme+" "+tc.framing.String(), func(t *testing.T) {
			sch := testSchedule(t, tc.cloud)
			sch.Start = time.Now()
			sch.Pacer = pacer.Constant{Rate: 1e9, Limit: pacer.Limit{Count: 1000}} // all due at once
			tr, err := NewTracker(sch, Options{Expect: ExpectAll})
			if err != nil {
				t.Fatal(err)
			}
			sk, err := Listen(tc.scheme+"://127.0.0.1:0", tr)
			if err != nil {
				t.Fatal(err)
			}
			defer sk.Close()
			addr := strings.TrimPrefix(sk.URL(), tc.scheme+"://")
			var n uint64 // records sent
			var batch []byte
			for seq := uint64(0); seq < 200; seq++ {
				line, _ := sch.Generator.Append(nil, seq)
				n++
				switch tc.scheme {
				case "udp":
					if len(line) > 65507 {
						n-- // the oversize malformed records do not fit a datagram
						continue
					}
					c, err := net.Dial("udp", addr)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := c.Write(line); err != nil {
						t.Fatal(err)
					}
					c.Close()
				case "tcp":
					batch = tc.framing.Append(batch, line)
				case "http":
					if len(batch) > 0 {
						batch = append(batch, ',')
					}
					batch = append(batch, line...)
				}
			}
			switch tc.scheme {
			case "tcp":
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				if !sk.WaitConnected(time.Second) {
					t.Fatal("WaitConnected: the sender's connection was not seen")
				}
				if _, err := c.Write(batch); err != nil {
					t.Fatal(err)
				}
				c.Close()
			case "http":
				resp, err := http.Post(sk.URL(), "application/json", bytes.NewReader(append(append([]byte("["), batch...), ']')))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("POST: %s", resp.Status)
				}
			}
			deadline := time.Now().Add(5 * time.Second)
			for tr.Stats().Arrivals < n && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if err := sk.Close(); err != nil {
				t.Fatal(err)
			}
			st := tr.Stats()
			if st.Arrivals != n || st.Delivered+st.Unattributed() != n || st.Duplicates != 0 || st.Foreign != 0 {
				t.Fatalf("Stats() = %+v; want %d arrivals, each delivered or unattributed", st, n)
			}
			if tc.cloud && st.Delivered != n {
				t.Fatalf("Stats() = %+v; every Cloud NSS record has its id", st)
			}
		})
	}
}

func TestListenErrors(t *testing.T) {
	tr, err := NewTracker(testSchedule(t, false), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"tls://127.0.0.1:0", "https://127.0.0.1:0", "ftp://127.0.0.1:0", "tcp://127.0.0.1"} {
		if sk, err := Listen(addr, tr); err == nil {
			sk.Close()
			t.Errorf("Listen(%q) succeeded", addr)
		}
	}
	sk, err := Listen("udp://127.0.0.1:0", tr)
	if err != nil {
		t.Fatal(err)
	}
	defer sk.Close()
	if sk.WaitConnected(time.Hour) {
		t.Error("WaitConnected on a UDP sink = true")
	}
}

// TestWaitForArrivalsLate: a sink whose whole window (schedule and drain) had passed before it began to
// wait still says what it drained, once, and ends at once.
func TestWaitForArrivalsLate(t *testing.T) {
	tr, err := NewTracker(testSchedule(t, false), Options{Expect: ExpectAll})
	if err != nil {
		t.Fatal(err)
	}
	var calls []uint64
	began := time.Now()
	start := began.Add(-time.Second) // the schedule's 100 ms and the 100 ms drain ended long ago
	interrupted := waitForArrivals(t.Context(), tr, start, 100*time.Millisecond, 100*time.Millisecond, 100,
		func(n uint64) { calls = append(calls, n) })
	if interrupted || len(calls) != 1 || calls[0] != 100 || time.Since(began) > time.Second {
		t.Errorf("interrupted %v, draining called with %v, after %v; want not interrupted, once with 100, at once", interrupted, calls, time.Since(began))
	}
}
