package server

import (
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// TestUDPDropsReported: datagrams the kernel drops on a flooded UDP listener with a minimal receive
// buffer show in the stats line and in nssbench_collector_udp_drops_total, labelled by listener; where
// the kernel gives no counter the line says so and the series is absent. Listeners other than UDP add
// nothing.
func TestUDPDropsReported(t *testing.T) {
	pl := pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{})
	tcpOnly, err := Start(Config{Listen: []string{"tcp://127.0.0.1:0"}, Pipeline: pl})
	if err != nil {
		t.Fatal(err)
	}
	if got := tcpOnly.String(); strings.Contains(got, "udp") {
		t.Errorf("String() of a TCP-only server = %q; want no udp field", got)
	}
	if err := tcpOnly.Close(); err != nil {
		t.Fatal(err)
	}

	srv, err := Start(Config{
		Listen:    []string{"tcp://127.0.0.1:0", "udp://127.0.0.1:0"},
		Collector: collector.Config{ReadBuffer: 1}, // the kernel raises it to its minimum: a few datagrams
		Pipeline:  pl,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	udp := srv.Listeners()[1]
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewPrometheusCollector(srv))
	if runtime.GOOS != "linux" {
		if got := srv.String(); !strings.HasSuffix(got, "; udp drops unavailable") {
			t.Errorf("String() = %q; want it to end \"; udp drops unavailable\"", got)
		}
		if n, err := testutil.GatherAndCount(reg, "nssbench_collector_udp_drops_total"); err != nil || n != 0 {
			t.Errorf("nssbench_collector_udp_drops_total has %d series (%v); want none without a kernel counter", n, err)
		}
		return
	}

	// Flood from a few senders until the kernel reports drops, at most maxSent datagrams or 10 s.
	const senders, maxSent = 4, 400_000
	var sent atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range senders {
		c, err := net.Dial("udp", udp.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		wg.Go(func() {
			prefix := []byte(strings.TrimSuffix(lines[0], "1")) // "… externalId=": each datagram its own id
			var msg []byte
			for !stop.Load() {
				n := sent.Add(1)
				if n > maxSent {
					return
				}
				msg = strconv.AppendInt(append(msg[:0], prefix...), n, 10)
				if _, err := c.Write(msg); err != nil {
					return // ECONNREFUSED and the like: the flood is best effort
				}
			}
		})
	}
	for deadline := time.Now().Add(10 * time.Second); udp.Stats().UDPDrops == 0 && sent.Load() < maxSent && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	// Quiescence: everything the socket received has been decided.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if srv.Counters().Received.Load() == uint64(udp.Stats().UDPDatagrams) {
			break
		}
	}
	st := udp.Stats()
	if st.UDPDrops <= 0 {
		t.Fatalf("UDPDrops = %d after %d datagrams into a minimal buffer; want > 0", st.UDPDrops, min(sent.Load(), maxSent))
	}
	if total := min(sent.Load(), maxSent); st.UDPDatagrams+st.UDPDrops > total {
		t.Errorf("%d datagrams received + %d dropped > %d sent", st.UDPDatagrams, st.UDPDrops, total)
	}
	// The ids missing from the span received are dropped datagrams too, not all of them: the ones dropped
	// after the last one received fall outside the span.
	gaps, ok := srv.udpIDs.gaps()
	if !ok || gaps > uint64(st.UDPDrops) {
		t.Errorf("record-id gaps %d (known %v); want at most the %d kernel drops", gaps, ok, st.UDPDrops)
	}
	if got, want := srv.String(), fmt.Sprintf("; udp drops %d (record-id gaps %d)", st.UDPDrops, gaps); !strings.HasSuffix(got, want) {
		t.Errorf("String() = %q; want it to end %q", got, want)
	}
	exp := fmt.Sprintf(`
# HELP nssbench_collector_udp_drops_total Datagrams the kernel dropped on a UDP listener's socket, mostly for a full receive buffer.
# TYPE nssbench_collector_udp_drops_total counter
nssbench_collector_udp_drops_total{listener=%q} %d
`, udp.URL(), st.UDPDrops)
	if err := testutil.GatherAndCompare(reg, strings.NewReader(exp), "nssbench_collector_udp_drops_total"); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(reg, "nssbench_collector_udp_record_id_gaps"); err != nil || n != 1 {
		t.Errorf("nssbench_collector_udp_record_id_gaps has %d series (%v); want 1 once UDP records carried ids", n, err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	// The count outlives the socket, for the final summary.
	if got, want := srv.String(), fmt.Sprintf("; udp drops %d (record-id gaps %d)", st.UDPDrops, gaps); !strings.HasSuffix(got, want) {
		t.Errorf("String() after Close = %q; want it to end %q", got, want)
	}
	t.Logf("%d sent, %d received, %d dropped by the kernel, %d record-id gaps", min(sent.Load(), maxSent), st.UDPDatagrams, st.UDPDrops, gaps)
}
