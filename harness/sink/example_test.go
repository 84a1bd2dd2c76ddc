package sink_test

import (
	"fmt"

	"github.com/nssbench/nssbench/harness/sink"
)

// A collector forwarded an NSS firewall record with the technique it mapped it to; the sink reads the
// record id nssbench put in it (externalId), the alert type and the technique.
func ExampleExtractor_Extract() {
	x := sink.NewExtractor(sink.Options{ThreatField: "threatId"})
	line := []byte("Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow externalId=7379073205867184130 threatId=T1021.001")
	f, err := x.Extract(line, sink.FormatCEF)
	fmt.Println(f.ID, string(f.AlertType), string(f.Threat), err)

	_, err = x.Extract([]byte(`{"name":"RDP Allow"}`), sink.FormatJSON)
	fmt.Println(err)
	// Output:
	// 7379073205867184130 RDP Allow T1021.001 <nil>
	// sink: record has no record id field
}

func ExampleParseExpect() {
	for _, s := range []string{"verdicts", "all", "some"} {
		e, err := sink.ParseExpect(s)
		fmt.Println(e, err)
	}
	// Output:
	// verdicts <nil>
	// all <nil>
	// verdicts expect-forward "some": want verdicts or all
}

// Options print what a sink will do, defaults filled in.
func ExampleOptions_String() {
	fmt.Println(sink.Options{Format: sink.FormatJSON, ThreatField: "alert.threatId", Expect: sink.ExpectAll})
	// Output:
	// Options{Format: json, IDField: externalId, AlertField: name, ThreatField: alert.threatId, Expect: all, MaxLine: 1048576}
}

// A command line's sink options become Options, every problem reported at once.
func ExampleFlags_Options() {
	o, err := sink.Flags{Format: "json", IDField: "event.id", AlertField: "name", Expect: "all"}.Options()
	fmt.Println(o, err)
	_, err = sink.Flags{Format: "xml", Expect: "some"}.Options()
	fmt.Println(err)
	// Output:
	// Options{Format: json, IDField: event.id, AlertField: name, ThreatField: unchecked, Expect: all, MaxLine: 1048576} <nil>
	// sink format "xml": want cef or json
	// expect-forward "some": want verdicts or all
}
