package html

import (
	"strings"
	"testing"
)

func TestInlineSafe(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		ok         bool
	}{
		{"plain script", `var a = "<b>" + 1 < 2;`, true},
		{"split closing tag", `"<" + "/script>"`, true},
		{"escaped closing tag", `"<\/script>"`, true},
		{"closing script", `x = "</script>"`, false},
		{"closing script, upper case", `x = "</SCRIPT >"`, false},
		{"closing style", `a { b: c } </style>`, false},
		{"comment opener", `x = "<!--"`, false},
	} {
		if err := inlineSafe(tt.text); (err == nil) != tt.ok {
			t.Errorf("%s: inlineSafe(%q) = %v; want ok %v", tt.name, tt.text, err, tt.ok)
		}
	}
}

// The vendored library must be the version the page credits (assets/README.md records it too).
func TestUPlotVersion(t *testing.T) {
	banner, _, _ := strings.Cut(uPlotJS, "\n")
	if want := "(v" + uPlotVersion + ")"; !strings.Contains(banner, want) {
		t.Errorf("uPlot banner %q does not name %s", banner, want)
	}
	for name, asset := range map[string]string{"report.js": reportJS, "report.css": reportCSS, "uPlot.min.css": uPlotCSS} {
		if strings.Contains(asset, "://") {
			t.Errorf("%s refers to a URL", name)
		}
	}
}
