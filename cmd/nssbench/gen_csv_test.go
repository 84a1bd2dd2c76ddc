package main

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

// TestGenZscalerFirewallCSV renders Zscaler's own default firewall CSV format end to end: every
// record has the 36 columns of Zscaler's sample, numbers where the page prints %d, and the
// session fields agree (duration is durationms in seconds; an IPS rule exactly when a threat is).
func TestGenZscalerFirewallCSV(t *testing.T) {
	t.Parallel()
	const file = "testdata/zscaler-firewall-csv.fmt"
	code, stdout, stderr := runCLI(t, "", "gen", "-feed", "firewall", "-format-file", file, "-count", "300", "-seed", "7")
	if code != exitOK {
		t.Fatalf("gen -format-file %s: exit %d\nstderr: %s", file, code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	if len(recs) != 300 {
		t.Fatalf("%d records; want 300", len(recs))
	}
	col := map[string]int{}
	for i, n := range strings.Split("time,login,dept,location,cdport,csport,sdport,ssport,csip,cdip,ssip,sdip,tsip,tsport,ttype,action,dnat,stateful,aggregate,nwsvc,nwapp,ipproto,ipcat,destcountry,avgduration,rulelabel,inbytes,outbytes,duration,durationms,numsessions,ipsrulelabel,threatcat,threatname,deviceowner,devicehostname", ",") {
		col[n] = i
	}
	threats := 0
	for i, r := range recs {
		if len(r) != len(col) {
			t.Fatalf("record %d has %d columns; want %d: %q", i+1, len(r), len(col), r)
		}
		num := func(name string) int64 {
			v, err := strconv.ParseInt(r[col[name]], 10, 64)
			if err != nil {
				t.Fatalf("record %d: %s = %q is not a number", i+1, name, r[col[name]])
			}
			return v
		}
		for _, n := range []string{"cdport", "csport", "sdport", "ssport", "tsport", "avgduration", "inbytes", "outbytes", "numsessions"} {
			num(n)
		}
		if d, ms := num("duration"), num("durationms"); d != ms/1000 {
			t.Errorf("record %d: duration %d s, durationms %d", i+1, d, ms)
		}
		if hasIPS, hasThreat := r[col["ipsrulelabel"]] != "None", r[col["threatcat"]] != "None"; hasIPS != hasThreat {
			t.Errorf("record %d: ipsrulelabel %q with threatcat %q", i+1, r[col["ipsrulelabel"]], r[col["threatcat"]])
		} else if hasThreat {
			threats++
		}
		for c, v := range r {
			if v == "" {
				t.Errorf("record %d: column %d is empty", i+1, c+1)
			}
		}
	}
	if threats == 0 {
		t.Error("no record carries an IPS threat; the check of ipsrulelabel saw none")
	}
}
