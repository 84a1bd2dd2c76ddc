package abtest

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestMarginsSet(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		all     float64
		per     map[string]float64
		str     string
		wantErr string
	}{
		{name: "fraction", args: []string{"0.1"}, all: 0.1, str: "10%"},
		{name: "percent", args: []string{"5%"}, all: 0.05, str: "5%"},
		{name: "spaces", args: []string{" 7 % "}, wantErr: `margin " 7 % "`},
		{name: "per metric", args: []string{"e2e.p99=10%", " loss = 0.5"}, all: DefaultMargin, per: map[string]float64{"e2e.p99": 0.1, "loss": 0.5},
			str: "5%,e2e.p99=10%,loss=50%"},
		{name: "all after per", args: []string{"loss=1%", "20%"}, all: 0.2, per: map[string]float64{"loss": 0.01}, str: "20%,loss=1%"},
		{name: "zero", args: []string{"0"}, all: 0, str: "0%"},
		{name: "negative", args: []string{"-5%"}, wantErr: `margin "-5%": want a fraction of 0 or more`},
		{name: "not a number", args: []string{"five"}, wantErr: `margin "five"`},
		{name: "infinite", args: []string{"inf"}, wantErr: `margin "inf"`},
		{name: "NaN", args: []string{"NaN"}, wantErr: `margin "NaN"`},
		{name: "no name", args: []string{" =5%"}, wantErr: `margin " =5%"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Margins{All: DefaultMargin}
			var err error
			for _, a := range tt.args {
				if err = m.Set(a); err != nil {
					break
				}
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Set(%q): %v; want an error with %q", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.All != tt.all || !maps.Equal(m.Per, tt.per) {
				t.Errorf("Set(%q) = %v, %v; want %v, %v", tt.args, m.All, m.Per, tt.all, tt.per)
			}
			if got := m.String(); got != tt.str {
				t.Errorf("String() = %q; want %q", got, tt.str)
			}
		})
	}
	if got := (*Margins)(nil).String(); got != "" {
		t.Errorf("nil String() = %q", got)
	}
}

func TestMarginsFor(t *testing.T) {
	s := &Signal{Metrics: []Metric{{Name: "achieved"}, {Name: "e2e.p99"}}, NotCompared: []NotCompared{{Name: "target.cpu", Why: "no samples"}}}
	tests := []struct {
		name    string
		per     map[string]float64
		want    map[string]float64
		unknown []string
	}{
		{name: "compared", per: map[string]float64{"e2e.p99": 0.1}, want: map[string]float64{"e2e.p99": 0.1}},
		{name: "not compared is dropped", per: map[string]float64{"target.cpu": 0.2, "achieved": 0}, want: map[string]float64{"achieved": 0}},
		{name: "unknown", per: map[string]float64{"e2e.p98": 0.1, "e2e.p99": 0.1, "acheived": 1}, unknown: []string{"acheived", "e2e.p98"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Margins{All: DefaultMargin, Per: tt.per}
			got, err := m.For(s)
			var um *UnknownMetricError
			if tt.unknown != nil {
				if !errors.As(err, &um) || !slices.Equal(um.Names, tt.unknown) {
					t.Fatalf("For: %v; want unknown %v", err, tt.unknown)
				}
				want := strings.Join(tt.unknown, ", ") + ": no such metric (want one of achieved, e2e.p99, target.cpu)"
				if err.Error() != want {
					t.Errorf("error %q; want %q", err, want)
				}
				return
			}
			if err != nil || !maps.Equal(got, tt.want) {
				t.Errorf("For = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
