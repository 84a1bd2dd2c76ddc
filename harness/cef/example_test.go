package cef_test

import (
	"fmt"

	"github.com/nssbench/nssbench/harness/cef"
)

func ExampleParser_Parse() {
	var p cef.Parser // one per goroutine; reuse it for every line
	line := []byte(`Jun 12 05:02:05 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow src=10.1.2.3 dpt=3389 request=h/?a\=b`)
	r, err := p.Parse(line)
	if err != nil {
		fmt.Println(err)
		return
	}
	dpt, _ := r.Get("dpt") // lazy: scans the extension only for this key
	req, _ := r.Get("request")
	fmt.Printf("prefix=%q product=%s action=%s name=%q dpt=%s request=%s\n", r.Prefix, r.Product, r.SignatureID, r.Name, dpt, req)

	pairs, _ := p.Extensions(r) // the full split, when every pair is needed
	fmt.Println(len(pairs), "pairs")

	_, err = p.Parse([]byte("CEF:0|Zscaler|NSSFWlog|5.7|Allow"))
	fmt.Println(err)
	// Output:
	// prefix="Jun 12 05:02:05 zscaler-nss-fw" product=NSSFWlog action=Allow name="RDP Allow" dpt=3389 request=h/?a=b
	// 4 pairs
	// cef: truncated header: line ends in the signature id field [col 33]
}
