package pipeline_test

import (
	"fmt"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/pipeline"
)

func ExampleDecider_Decide() {
	p := pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{})
	d := p.NewDecider() // one per goroutine
	lines := []string{
		`Jun 12 05:02:05 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow dpt=3389`,
		`Jun 12 05:02:06 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|Zscaler Proxy Traffic|3| act=Allow`,
		`Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Malware block: malicious file|3|act=Blocked externalId=7379073205867184130`,
		`Jun 11 02:52:45 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Allowed`,
	}
	var v verdict.Verdict
	for i, line := range lines {
		v.Line = uint64(i + 1)
		d.Decide([]byte(line), &v)
		fmt.Println(string(v.AppendJSON(nil)))
	}
	// Output:
	// {"line":1,"feed":"firewall","stage":"platform","verdict":"alert","alertType":"RDP Allow","mapped":true,"threatId":"T1021.001","threatName":"Remote Desktop Protocol"}
	// {"line":2,"feed":"firewall","stage":"platform","verdict":"dropped","reason":"default_allow"}
	// {"recordid":"7379073205867184130","feed":"web","stage":"platform","verdict":"alert","alertType":"Malware block: malicious file","mapped":true,"threatId":"T1204.002","threatName":"Malicious File"}
	// {"line":4,"stage":"collector","verdict":"dropped","reason":"malformed","detail":"truncated"}
}

func ExampleDecider_DecideJSON() {
	d := pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}).NewDecider()
	var v verdict.Verdict
	d.DecideJSON([]byte(`{"product":"NSSFWlog","act":"Drop","name":"Remote Backup Failed","dpt":"22"}`), &v)
	fmt.Println(string(v.AppendJSON(nil)))
	// Output:
	// {"line":0,"feed":"firewall","stage":"platform","verdict":"alert","alertType":"Remote Backup Failed","mapped":true,"threatId":"T1020","threatName":"Automated Exfiltration"}
}

func ExampleParseMappings() {
	listing := []byte(`{"alertType": "RDP Allow","threatId": "T1021.001","threatName": "Remote Desktop Protocol",}
{"alertType": "Remote Backup Failed", "threatId": "T1020","threatName": "Automated Exfiltration",},
{"alertType": "RDP Allow","threatId": "T1021.001","threatName": "Remote Desktop Protocol",}
`)
	m, warnings, err := pipeline.ParseMappings("listing.txt", listing)
	fmt.Println(m.Len(), err)
	for _, w := range warnings {
		fmt.Printf("%s:%d: %s\n", w.File, w.Line, w.Msg)
	}
	fmt.Println(m.Lookup([]byte("Remote Backup Failed")).Name)

	_, _, err = pipeline.ParseMappings("bad.txt", []byte(`{"alertType": "RDP Allow","threatId": "RDP","threatName": "Remote Desktop Protocol"}`))
	fmt.Println(err)
	// Output:
	// 2 <nil>
	// listing.txt:3: alertType "RDP Allow" repeats line 1 identically (T1021.001 Remote Desktop Protocol); the duplicate is ignored
	// Automated Exfiltration
	// bad.txt:1:39: threatId: "RDP" is not a MITRE ATT&CK technique id like T1566 or T1204.002
}

func ExampleParseRules() {
	rules, err := pipeline.ParseRules("rules.json", []byte(`{"rules": [
  {"id": "quiet-dns", "reason": "default_allow", "feed": "dns", "name": ["Unknown DNS Traffic"]},
  {"id": "tls", "reason": "ssl_handshake", "feed": "web", "name": ["Access denied due to *"]}
]}`))
	fmt.Println(rules, err)

	_, err = pipeline.ParseRules("rules.json", []byte(`{"rules": [
  {"id": "typo", "reason": "default_allow", "feed": "fw"}
]}`))
	fmt.Println(err)
	// Output:
	// rules(rules.json: quiet-dns default_allow@platform dns, tls ssl_handshake@platform web) <nil>
	// rules.json:2:53: rules[0].feed: unknown feed "fw" (want web, firewall or dns)
}
