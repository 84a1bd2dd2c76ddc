package framing_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nssbench/nssbench/harness/framing"
)

// A Reader detects the framing and reports an oversize record without stopping.
func ExampleReader() {
	for _, stream := range []string{
		"CEF:0|a\r\nCEF:0|this one is too long\nCEF:0|b",  // LF framing, unterminated last line
		"7 CEF:0|a26 CEF:0|this one is too long7 CEF:0|b", // octet counting
	} {
		r := framing.NewReader(strings.NewReader(stream), 10)
		for {
			rec, err := r.Next()
			if errors.Is(err, framing.ErrOversize) {
				fmt.Println(r.Framing(), "skipped:", err)
				continue
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				fmt.Println("error:", err)
				break
			}
			fmt.Printf("%s %q\n", r.Framing(), rec)
		}
	}
	// Output:
	// lf "CEF:0|a"
	// lf skipped: framing: record at offset 9 is 26 bytes, over the maximum of 10
	// lf "CEF:0|b"
	// octet "CEF:0|a"
	// octet skipped: framing: record at offset 9 is 26 bytes, over the maximum of 10
	// octet "CEF:0|b"
}

// Records are framed by appending to a reusable buffer.
func ExampleAppendOctet() {
	var buf []byte
	buf = framing.AppendOctet(buf, []byte("CEF:0|a"))
	buf = framing.AppendLF(buf, []byte("CEF:0|b"))
	fmt.Printf("%q\n", buf)
	// Output:
	// "7 CEF:0|aCEF:0|b\n"
}
