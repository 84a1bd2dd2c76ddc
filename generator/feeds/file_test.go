package feeds_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// writeFormat writes a format file into a fresh directory and returns its path.
func writeFormat(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFromFile(t *testing.T) {
	const xsiamFW = "%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|%s{action}|%s{rulelabel}|3| act=%s{action}"
	tests := []struct {
		name     string
		file     string
		log      verdict.Feed
		wantLog  verdict.Feed
		encoding feeds.Encoding
		source   string // "" = the file's path
		format   string
	}{
		{"cef, log from product", xsiamFW + "\n", verdict.FeedUnknown, verdict.FeedFirewall, feeds.EncodingCEF, "", xsiamFW},
		{"cef, log given", xsiamFW, verdict.FeedFirewall, verdict.FeedFirewall, feeds.EncodingCEF, "", xsiamFW},
		{"source line, CRLF", "# source: my SIEM team\r\n" + xsiamFW + "\r\n\r\n", verdict.FeedUnknown, verdict.FeedFirewall, feeds.EncodingCEF, "my SIEM team", xsiamFW},
		{"json", "\\{\"act\":\"%s{action}\",\n \"req\":\"%s{req}\"\\}\n", verdict.FeedDNS, verdict.FeedDNS, feeds.EncodingJSON, "", "\\{\"act\":\"%s{action}\",\n \"req\":\"%s{req}\"\\}"},
		{"json, leading space", "  \\{\"p\":\"NSSWeblog\",\"u\":\"%s{eurl}\"\\}", verdict.FeedUnknown, verdict.FeedWeb, feeds.EncodingJSON, "", "  \\{\"p\":\"NSSWeblog\",\"u\":\"%s{eurl}\"\\}"},
		{"csv", "%s{time},%s{login},%s{url}\n", verdict.FeedWeb, verdict.FeedWeb, feeds.EncodingOther, "", "%s{time},%s{login},%s{url}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFormat(t, "my-feed.fmt", tt.file)
			f, err := feeds.FromFile(path, tt.log)
			if err != nil {
				t.Fatalf("FromFile error: %v", err)
			}
			source := tt.source
			if source == "" {
				source = path
			}
			if f.Name != "my-feed.fmt" || f.Log != tt.wantLog || f.Encoding != tt.encoding || f.Source != source || f.Format != tt.format {
				t.Errorf("FromFile = %+v; want name my-feed.fmt, log %s, encoding %s, source %q, format %q",
					*f, tt.wantLog, tt.encoding, source, tt.format)
			}
			if _, err := f.Compile(feeds.Options{}); err != nil {
				t.Errorf("Compile error: %v", err)
			}
		})
	}
}

func TestFromFileErrors(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		log       verdict.Feed
		want      string // substring of the error
		line, col int    // of the first *FileError; 0 = not a FileError
	}{
		{"unknown field", "CEF:0|Zscaler|NSSFWlog|\n act=%s{action}\n dhost=%s{hots}\n", verdict.FeedFirewall,
			`:3:11: unknown field "hots" (did you mean host, ehost?)`, 3, 11},
		{"unknown field after source line", "# source: mine\nCEF:0|x\n  %s{hots}", verdict.FeedFirewall,
			`:3:6: unknown field "hots"`, 3, 6},
		{"syntax error", "CEF:0|%s{action}|{", verdict.FeedFirewall, `:1:18: unescaped '{'`, 1, 18},
		{"empty file", "\n", verdict.FeedWeb, "empty format", 1, 1},
		{"product contradicts log", "CEF:0|Zscaler|NSSWeblog|5.7|%s{action}", verdict.FeedDNS,
			"names product NSSWeblog (web) but the feed is dns", 0, 0},
		{"no product, no log", "%s{action},%s{login}", verdict.FeedUnknown, "cannot tell the log type", 0, 0},
		{"two products, no log", "NSSWeblog NSSFWlog %s{action}", verdict.FeedUnknown, "cannot tell the log type", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFormat(t, "bad.cef", tt.file)
			f, err := feeds.FromFile(path, tt.log)
			if err == nil {
				t.Fatalf("FromFile = %+v; want an error", *f)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("FromFile error %q; want it to name %s and contain %q", err, path, tt.want)
			}
			var fe *feeds.FileError
			if tt.line == 0 {
				if errors.As(err, &fe) {
					t.Errorf("FromFile error is a FileError; want a plain error")
				}
				return
			}
			if !errors.As(err, &fe) || fe.Path != path || fe.Line != tt.line || fe.Column != tt.col {
				t.Fatalf("FromFile error %#v; want a FileError at %s:%d:%d", fe, path, tt.line, tt.col)
			}
			var ce *nssfmt.CompileError
			if !errors.As(err, &ce) || ce != fe.Err {
				t.Errorf("FileError does not unwrap to its *nssfmt.CompileError")
			}
		})
	}
}

func TestFromFileSeveralErrors(t *testing.T) {
	path := writeFormat(t, "two.cef", "CEF:0|Zscaler|NSSWeblog|\n%s{hots}\n%s{rcordid}\n")
	_, err := feeds.FromFile(path, verdict.FeedUnknown)
	for _, want := range []string{path + ":2:4: unknown field \"hots\"", path + ":3:4: unknown field \"rcordid\" (did you mean recordid?)"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("FromFile error %v; want it to contain %q", err, want)
		}
	}
}

func TestFromFileMissing(t *testing.T) {
	_, err := feeds.FromFile(filepath.Join(t.TempDir(), "nope.cef"), verdict.FeedWeb)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("FromFile(missing) error %v; want fs.ErrNotExist", err)
	}
}

func TestFromFileBuiltinsRoundTrip(t *testing.T) {
	// A built-in format saved as a user file reads back as the same feed.
	for _, name := range feeds.Names() {
		b, err := feeds.ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		path := writeFormat(t, name+".fmt", "# source: "+b.Source+"\n"+b.Format+"\n")
		f, err := feeds.FromFile(path, verdict.FeedUnknown)
		if err != nil {
			t.Fatalf("FromFile(%s) error: %v", name, err)
		}
		if f.Log != b.Log || f.Encoding != b.Encoding || f.Source != b.Source || f.Format != b.Format {
			t.Errorf("FromFile(%s) = %v; want %v with the same source and format", name, f, b)
		}
	}
}
