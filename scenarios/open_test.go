package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
)

func TestOpen(t *testing.T) {
	if s, err := Open("smoke"); err != nil || s.Name != "smoke" {
		t.Errorf("Open(smoke) = %v, %v; want the built-in smoke", s, err)
	}
	path := filepath.Join(t.TempDir(), "smoke") // a file shadows the built-in of its name
	if err := os.WriteFile(path, []byte(`{"name": "mine", "duration": "1s", "mix": {"*": 1}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(path); err != nil || s.Name != "mine" {
		t.Errorf("Open(%s) = %v, %v; want the file's scenario", path, s, err)
	}
	if _, err := Open("no-such-scenario"); err == nil {
		t.Error("Open(no-such-scenario): no error")
	}
}

func TestOverride(t *testing.T) {
	s, err := Builtin("default")
	if err != nil {
		t.Fatal(err)
	}
	seed, conns, framing, dur, count, rate := uint64(9), 4, "octet", time.Second, uint64(7), 5000.0
	if err := s.Override(Overrides{Seed: &seed, Connections: &conns}); err != nil {
		t.Fatal(err)
	}
	if s.Seed != 9 || s.Connections != 4 || s.Duration != 10*time.Second || s.Pacer.Rate != 20000 {
		t.Errorf("seed and connections only: %+v", s)
	}
	if err := s.Override(Overrides{Framing: &framing, Duration: &dur, Count: &count, Rate: &rate}); err != nil {
		t.Fatal(err)
	}
	if s.Framing != "octet" || s.Duration != time.Second || s.Count != 7 || s.Pacer.String() != "constant 5000/s" || s.Seed != 9 {
		t.Errorf("the rest: %+v", s)
	}
	bad := "crlf"
	if err := s.Override(Overrides{Framing: &bad}); err == nil || !strings.Contains(err.Error(), `framing "crlf": want lf or octet`) {
		t.Errorf("framing crlf: %v", err)
	}
}

func TestOnlyFeed(t *testing.T) {
	s, err := Builtin("default")
	if err != nil {
		t.Fatal(err)
	}
	n := len(s.Classes)
	if err := s.OnlyFeed(verdict.FeedDNS, "cloud-dns"); err != nil {
		t.Fatal(err)
	}
	if len(s.Classes) == 0 || len(s.Classes) == n || len(s.Feeds) != 1 || s.Feeds[verdict.FeedDNS] != "cloud-dns" {
		t.Errorf("%d of %d classes, feeds %v", len(s.Classes), n, s.Feeds)
	}
	for _, c := range s.Classes {
		if c.Feed != verdict.FeedDNS {
			t.Errorf("class %s of feed %s kept", c.Name, c.Feed)
		}
	}
	if err := s.OnlyFeed(verdict.FeedWeb, "web"); err == nil || !strings.Contains(err.Error(), "has no web classes") {
		t.Errorf("no web classes left: %v", err)
	}
}
