package generator_test

import (
	"bytes"
	"fmt"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// A generator renders each event number through a compiled NSS format; the label beside the line
// names its class, whose Expect is the verdict the pipeline should give it.
func ExampleGenerator_Append() {
	f, _ := feeds.ByName("firewall")
	prog, _ := f.Compile(feeds.Options{RecordTracking: true})
	var progs [verdict.NumFeeds]*nssfmt.Program
	progs[verdict.FeedFirewall] = prog
	g, err := generator.New(generator.Config{
		Seed:     1,
		Programs: progs,
		Classes: []generator.Class{
			{Name: "alert.rdp_allow", Feed: verdict.FeedFirewall, Weight: 1,
				Set:    map[string]string{"action": "Allow", "rulelabel": "RDP Allow", "nwsvc": "RDP"},
				Expect: verdict.Expectation{Feed: verdict.FeedFirewall, Stage: verdict.StagePlatform, Kind: verdict.KindAlert, AlertType: "RDP Allow", ThreatID: "T1021.001"}},
			{Name: "malformed.truncated", Feed: verdict.FeedFirewall, Weight: 1, Malform: generator.MalformTruncated,
				Expect: verdict.Expectation{Stage: verdict.StageCollector, Kind: verdict.KindDropped, Reason: verdict.ReasonMalformed, Detail: generator.MalformTruncated.Detail()}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	buf := make([]byte, 0, 4096)
	for seq := uint64(0); seq < 6; seq++ {
		var l generator.Label
		buf, l = g.Append(buf[:0], seq)
		c := g.Classes()[l.Class]
		head, _, _ := bytes.Cut(buf, []byte("|3|"))
		fmt.Printf("%d %s %s: %s\n", l.Seq, c.Name, c.Expect.Kind, head)
	}
	// Output:
	// 0 alert.rdp_allow alert: Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow
	// 1 alert.rdp_allow alert: Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow
	// 2 alert.rdp_allow alert: Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow
	// 3 malformed.truncated dropped: Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5
	// 4 alert.rdp_allow alert: Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow
	// 5 alert.rdp_allow alert: Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow
}
