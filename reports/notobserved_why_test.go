package reports

import "testing"

func TestNotObservedWhy(t *testing.T) {
	tests := []struct {
		name string
		t    ThresholdResult
		want string
	}{
		{"observed", ThresholdResult{Expr: "lost==0", Got: "0", Want: "== 0", Pass: true}, ""},
		{"failed, observed", ThresholdResult{Expr: "lost==0", Got: "3", Want: "== 0"}, ""},
		{"metric not observed", ThresholdResult{Expr: "delivery.p99<1s", Got: "not observed: no sink", Want: "< 1s", NotObserved: true}, "not observed: no sink"},
		{"right-hand side not observed", ThresholdResult{Expr: "achieved>=offered", Got: "5000/s", Want: ">= not observed: no schedule", NotObserved: true},
			"right-hand side >= not observed: no schedule"},
	}
	for _, tt := range tests {
		if got := tt.t.NotObservedWhy(); got != tt.want {
			t.Errorf("%s: NotObservedWhy = %q; want %q", tt.name, got, tt.want)
		}
	}
}
