package corpus

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/nssbench/nssbench/harness/pipeline"
)

func TestSeverity(t *testing.T) {
	ok, bad := &Result{Records: 3}, &Result{Records: 3, Mismatched: 1}
	tests := []struct {
		name string
		out  Outcome
		want Severity
	}{
		{"matched", Outcome{Result: ok}, Verified},
		{"mismatched", Outcome{Result: bad}, Mismatched},
		{"interrupted", Outcome{Result: bad, Err: fmt.Errorf("verify: %w", context.Canceled)}, Interrupted},
		{"bad corpus.json", Outcome{Err: fmt.Errorf("x: %w", ErrManifest)}, BadInput},
		{"bad rules file", Outcome{Err: fmt.Errorf("x: %w", &pipeline.FileError{File: "rules.txt", Line: 3, Msg: "unknown field"})}, BadInput},
		{"unreadable", Outcome{Err: errors.New("open input: permission denied")}, Failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.out.Severity(); got != tt.want {
				t.Errorf("Severity = %d; want %d", got, tt.want)
			}
		})
	}
	worst := []struct {
		outs []Outcome
		want Severity
	}{
		{nil, Verified},
		{[]Outcome{{Result: ok}, {Result: bad}, {Result: ok}}, Mismatched},
		{[]Outcome{{Err: context.Canceled}, {Err: ErrManifest}, {Result: bad}}, Interrupted},
		{[]Outcome{{Err: ErrManifest}, {Err: errors.New("io")}}, Failed},
	}
	for i, tt := range worst {
		if got := Worst(tt.outs); got != tt.want {
			t.Errorf("%d: Worst = %d; want %d", i, got, tt.want)
		}
	}
}
