package threshold_test

import (
	"fmt"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
)

func ExampleParse() {
	rec := reports.NewRecorder(reports.RecorderConfig{Classes: []string{"web"}})
	v := &verdict.Verdict{Kind: verdict.KindAlert, AlertType: []byte("Virus block")}
	for i := int64(1); i <= 100; i++ {
		rec.Offered(i * int64(time.Millisecond))
		rec.Verdict(0, v, reports.Timing{Scheduled: i * int64(time.Millisecond), Decided: i*int64(time.Millisecond) + i*10_000})
	}
	rep := rec.Report(reports.Meta{Duration: 100 * time.Millisecond})

	for _, expr := range []string{"p99<5ms", "lost==0", "achieved>=0.99*offered", "p99<<5ms"} {
		t, err := threshold.Parse(expr)
		if err != nil {
			fmt.Println(err)
			continue
		}
		res := t.Eval(rep)
		fmt.Printf("%-24s pass=%v got %s, want %s\n", res.Expr, res.Pass, res.Got, res.Want)
	}
	// Output:
	// p99<5ms                  pass=true got 990µs, want < 5.00ms
	// lost==0                  pass=true got 0, want == 0
	// achieved>=0.99*offered   pass=true got 1000.0/s, want >= 990.0/s (0.99*offered)
	// threshold "p99<<5ms": col 5: expected a number or duration
}
