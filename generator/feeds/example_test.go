package feeds_test

import (
	"fmt"
	"strings"

	"github.com/nssbench/nssbench/generator/feeds"
)

func ExampleByName() {
	f, err := feeds.ByName("firewall")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f)
	p, err := f.Compile(feeds.Options{RecordTracking: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	line := string(p.Append(nil, fakeValues{}))
	fmt.Println(line[:strings.Index(line, " Severity")])
	fmt.Println(line[strings.LastIndex(line, "avgduration"):])

	_, err = feeds.ByName("fw")
	fmt.Println(err)
	// Output:
	// firewall (firewall, cef)
	// Jun 02 03:04:05 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|action-value|rulelabel-value|3|
	// avgduration=6 externalId=7379073205867184130
	// feeds: unknown feed "fw" (want one of web, web-short, firewall, dns, cloud-web, cloud-firewall, cloud-dns)
}
