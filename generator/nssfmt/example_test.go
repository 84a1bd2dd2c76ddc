package nssfmt_test

import (
	"fmt"
	"strconv"

	"github.com/nssbench/nssbench/generator/nssfmt"
)

// record is a toy value model: one web transaction, looked up by field name.
type record map[string]string

func (r record) AppendText(dst []byte, f nssfmt.Field) []byte {
	if s, ok := r[f.Name()]; ok {
		return append(dst, s...)
	}
	return append(dst, "None"...)
}

func (r record) Number(f nssfmt.Field) int64 {
	n, _ := strconv.ParseInt(r[f.Name()], 10, 64)
	return n
}

func ExampleCompile() {
	// A format spread over two lines for readability: the raw line break is not output.
	p, err := nssfmt.Compile(`%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|%s{action}|%s{reason}|3|
act=%s{action} dhost=%s{ehost} suser=%s{ologin} spriv=%s{elocation} reason=%s{reason}`, nssfmt.Options{Escape: "="})
	if err != nil {
		fmt.Println(err)
		return
	}
	rec := record{
		"mon": "Jun", "dd": "1", "hh": "2", "mm": "52", "ss": "44",
		"action": "Blocked", "reason": "Not allowed to browse this category",
		"host": "www.example.com", "login": "jdoe@safemarch.com", "location": "Road Warrior",
	}
	var line []byte
	line = p.Append(line[:0], rec)
	fmt.Printf("%s\n", line)
	fmt.Println(p.Fields())

	// Unknown fields are located and get suggestions.
	_, err = nssfmt.Compile("act=%s{action}\n dhost=%s{hots}", nssfmt.Options{})
	fmt.Println(err)
	// Output:
	// Jun 01 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Not allowed to browse this category|3|act=Blocked dhost=www.example.com suser=4386973150 spriv=Road%20Warrior reason=Not allowed to browse this category
	// [mon dd hh mm ss action reason host login location]
	// nssfmt: line 2 col 11: unknown field "hots" (did you mean host, ehost?)
}
