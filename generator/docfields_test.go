package generator_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// TestDocumentedFieldsConsistent renders fields of Zscaler's field tables that no published format
// uses and checks they agree with the event: istcp with protocol, ecs_prefix the client's public
// /24, restype the response, srv_dport the protocol, threat_severity the threat score.
func TestDocumentedFieldsConsistent(t *testing.T) {
	tests := []struct {
		feed   verdict.Feed
		format string
		check  func(v []string) string
	}{
		{verdict.FeedDNS, "%s{protocol}|%d{istcp}|%s{ecs_prefix}|%s{cpubip}|%s{res}|%s{restype}|%d{srv_dport}", func(v []string) string {
			if (v[0] == "TCP") != (v[1] == "1") || (v[1] != "0" && v[1] != "1") {
				return "istcp disagrees with protocol"
			}
			if v[3] == "None" || v[2] != v[3][:strings.LastIndexByte(v[3], '.')+1]+"0" {
				return "ecs_prefix is not the client's public /24"
			}
			want := map[bool]string{true: "IPv6", false: "IPv4"}[strings.Contains(v[4], ":")]
			if !strings.ContainsAny(v[4], ".:") || v[4][0] < '0' || v[4][0] > '9' && !strings.Contains(v[4], ":") {
				want = "None"
			}
			if v[5] != want || v[6] != "53" {
				return "restype or srv_dport disagree with the response"
			}
			return ""
		}},
		{verdict.FeedWeb, "%s{proto}|%d{srv_dport}|%d{stime}|%d{ctime}|%s{action}", func(v []string) string {
			if (v[0] == "HTTP") != (v[1] == "80") {
				return "srv_dport disagrees with proto"
			}
			stime, _ := strconv.Atoi(v[2])
			ctime, _ := strconv.Atoi(v[3])
			if v[4] == "Blocked" && (stime != 0 || ctime != 0) || v[4] == "Allowed" && (stime <= 0 || ctime < stime) {
				return "stime/ctime disagree with the action"
			}
			return ""
		}},
		{verdict.FeedFirewall, "%d{threat_score}|%s{threat_severity}|%s{threatcat}|%s{ipsrulelabel}|%d{duration}|%d{durationms}", func(v []string) string {
			sev := map[string]bool{"0|None": true}
			if v[2] == "None" != sev[v[0]+"|"+v[1]] {
				return "threat_score/threat_severity disagree with threatcat"
			}
			if v[2] != "None" && v[1] != "High" && v[1] != "Critical" || (v[3] == "None") != (v[2] == "None") {
				return "IPS fields disagree"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.feed.String(), func(t *testing.T) {
			prog, err := nssfmt.Compile(tt.format, nssfmt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var progs [verdict.NumFeeds]*nssfmt.Program
			progs[tt.feed] = prog
			classes := library(t, func(c *generator.Class) bool { return c.Feed == tt.feed && wellFormed(c) })
			g, err := generator.New(generator.Config{Seed: 3, Classes: classes, Programs: progs})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for seq := range uint64(3000) {
				line, _ := g.Append(nil, seq)
				v := strings.Split(string(line), "|")
				if msg := tt.check(v); msg != "" {
					t.Fatalf("seq %d: %s: %q", seq, msg, line)
				}
				seen[v[0]] = true
			}
			if len(seen) < 2 {
				t.Errorf("the first field took only the values %v in 3000 events; the check saw one case", seen)
			}
		})
	}
}
