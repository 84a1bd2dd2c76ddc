package pipeline

import (
	"errors"
	"testing"

	"github.com/nssbench/nssbench/generator/verdict"
)

// FuzzDecide checks that every input, in both parsing modes, yields exactly one complete verdict:
// kind and stage set, a reason exactly when dropped, a detail exactly when malformed.
func FuzzDecide(f *testing.F) {
	for _, l := range readLines(f, "derived-cef-from-zscaler-samples.log") { // NSS web, fw, dns
		f.Add(l)
	}
	f.Add([]byte(fw("Allow", "RDP Allow")))                                                  // mapped firewall alert
	f.Add([]byte(dns("Req(allow),Res(none)", "Default Firewall DNS Rule", "Allow", "None"))) // P2 dns
	f.Add([]byte(web("Blocked", `Not allowed to browse this category`)))                     // P1
	f.Add([]byte("CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed"))                             // truncated
	f.Add([]byte("CEF:0|Zscaler|NSSTunnel|5.7|a|b|3|externalId=1"))                          // unknown feed
	f.Add([]byte(""))                                                                        // empty
	lenient := New(DefaultRules(), DefaultMappings(), Options{MaxLine: 4096}).NewDecider()
	strict := New(DefaultRules(), DefaultMappings(), Options{MaxLine: 4096, Strict: true}).NewDecider()
	f.Fuzz(func(t *testing.T, line []byte) {
		for _, d := range []*Decider{lenient, strict} {
			v := verdict.Verdict{Line: 3}
			d.Decide(line, &v)
			checkComplete(t, string(line), &v)
			if v.Line != 3 {
				t.Fatalf("Decide(%q) changed Line", line)
			}
		}
	})
}

// FuzzDecideJSON checks the same for Cloud NSS JSON objects.
func FuzzDecideJSON(f *testing.F) {
	for _, feed := range []string{"web", "fw", "dns"} {
		f.Add(readLines(f, "cloud-nss-sample-"+feed+".jsonl")[0]) // Zscaler's own samples
	}
	f.Add([]byte(`{"product":"NSSFWlog","act":"Allow","name":"RDP Allow"}`)) // mapped
	f.Add([]byte(`{"product":"NSSWeblog","name":"a|b\\c","x":"y=z\n"}`))     // CEF specials
	f.Add([]byte(`[1,2]`))                                                   // not an object
	f.Add([]byte(`{"product":`))                                             // not JSON
	d := New(DefaultRules(), DefaultMappings(), Options{MaxLine: 4096, Strict: true}).NewDecider()
	f.Fuzz(func(t *testing.T, obj []byte) {
		var v verdict.Verdict
		d.DecideJSON(obj, &v)
		checkComplete(t, string(obj), &v)
	})
}

// FuzzParseRules checks that a rules file either loads or fails with positioned *FileErrors, never
// panicking.
func FuzzParseRules(f *testing.F) {
	f.Add(defaultRules)
	f.Add([]byte(`{"rules": [{"reason": "policy_access", "anyOf": [{"fields": {"cs2": ["a*"]}}], "unless": [{}]}]}`))
	f.Add([]byte(`{"rules": [{"reason": "x",, }]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ParseRules("f", data)
		checkFuzzFileError(t, data, err)
		if err == nil {
			New(rs, nil, Options{}).NewDecider().Decide([]byte(fw("Allow", "x")), &verdict.Verdict{})
		}
	})
}

// FuzzParseMappings does the same for mapping files in both formats.
func FuzzParseMappings(f *testing.F) {
	f.Add(defaultMappings)
	f.Add(readLinesRaw(f, "sophos-integration-mappings.txt"))
	f.Add([]byte("{\"alertType\": \"A\", \"threatId\": \"T1000\",\"threatName\": \"X\",},\n{\"alertType\": \"A\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, err := ParseMappings("f", data)
		checkFuzzFileError(t, data, err)
		if err == nil {
			for _, r := range m.Rows() {
				if m.Lookup([]byte(r.AlertType)) != r.Threat {
					t.Fatalf("Lookup(%q) disagrees with Rows", r.AlertType)
				}
			}
		}
	})
}

func checkFuzzFileError(t *testing.T, data []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var fe *FileError
		if !errors.As(e, &fe) {
			t.Fatalf("error %v is a %T; want *FileError", e, e)
		}
		if fe.Line < 1 || fe.Column < 1 || fe.Column > len(data)+1 {
			t.Fatalf("error %v: position outside the file", e)
		}
	}
}
