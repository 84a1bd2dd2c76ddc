package main

import (
	"strconv"

	"github.com/nssbench/nssbench/generator"
)

// appendLabel appends one ground-truth line: the event's sequence number, record id and class, then the
// verdict the class expects, in the verdict-record shape.
func appendLabel(dst []byte, l generator.Label, c *generator.Class) []byte {
	dst = append(dst, `{"seq":`...)
	dst = strconv.AppendUint(dst, l.Seq, 10)
	dst = append(dst, `,"recordid":"`...)
	dst = strconv.AppendUint(dst, l.RecordID, 10)
	dst = append(dst, `","class":`...)
	dst = strconv.AppendQuote(dst, c.Name)
	dst = append(dst, ',')
	dst = c.Expect.AppendJSON(dst)
	return append(dst, "}\n"...)
}
