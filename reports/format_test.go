package reports

import (
	"testing"
	"time"
)

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0"},
		{850, "850ns"},
		{1000, "1.00µs"},
		{12_345, "12.3µs"},
		{123_456, "123µs"},
		{4_210_000, "4.21ms"},
		{1_500_000_000, "1.50s"},
		{75 * time.Second, "75.0s"},
		{2 * time.Hour, "7200s"},
		{-3 * time.Millisecond, "-3.00ms"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%d) = %q; want %q", tt.d, got, tt.want)
		}
	}
}

func TestFormatRatio(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0, "0%"},
		{1, "100%"},
		{0.5, "50%"},
		{0.00012, "0.012%"},
		{0.123456, "12.346%"},
	}
	for _, tt := range tests {
		if got := FormatRatio(tt.f); got != tt.want {
			t.Errorf("FormatRatio(%v) = %q; want %q", tt.f, got, tt.want)
		}
	}
	if got := FormatRate(4998.24); got != "4998.2/s" {
		t.Errorf("FormatRate(4998.24) = %q", got)
	}
}

func TestMarkdownEscapes(t *testing.T) {
	tests := []struct {
		in, cell, code string
	}{
		{"plain", "plain", "`plain`"},
		{"a|b", `a\|b`, "`a\\|b`"},
		{"x\ny", "x y", "`x y`"},
		{"<b>_", `\<b\>\_`, "`<b>_`"},
		{"a`b", "a\\`b", "``a`b``"},
		{"`", "\\`", "`` ` ``"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := mdCell(tt.in); got != tt.cell {
			t.Errorf("mdCell(%q) = %q; want %q", tt.in, got, tt.cell)
		}
		if got := mdCode(tt.in); got != tt.code {
			t.Errorf("mdCode(%q) = %q; want %q", tt.in, got, tt.code)
		}
	}
}
