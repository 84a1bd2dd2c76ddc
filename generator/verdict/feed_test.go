package verdict

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestFeedRegistry checks every registered feed: a complete descriptor, names and products that tell
// feeds apart, and the lookups that go by them.
func TestFeedRegistry(t *testing.T) {
	var want []Feed
	for f := FeedWeb; f < NumFeeds; f++ {
		want = append(want, f)
	}
	if got := Feeds(); !slices.Equal(got, want) || !slices.Contains(got, FeedDNS) {
		t.Fatalf("Feeds() = %v; want %v, with web, firewall and dns", got, want)
	}
	names, products := map[string]Feed{}, map[string]Feed{}
	for _, f := range Feeds() {
		d := f.Descriptor()
		if d.Name == "" || d.Product == "" || d.Format == "" || d.Cloud == "" || d.HeaderName == "" {
			t.Errorf("feed %d: incomplete descriptor %+v", f, d)
		}
		if g, dup := names[d.Name]; dup {
			t.Errorf("feeds %d and %d are both called %q", g, f, d.Name)
		}
		if g, dup := products[d.Product]; dup {
			t.Errorf("feeds %d and %d both have product %q", g, f, d.Product)
		}
		names[d.Name], products[d.Product] = f, f
		for _, nf := range d.Fields {
			if nf.Name == "" {
				t.Errorf("feed %s: a field without a name in %+v", d.Name, d.Fields)
			}
		}
		if got, err := ParseFeed(d.Name); err != nil || got != f {
			t.Errorf("ParseFeed(%q) = %v, %v; want %v", d.Name, got, err, f)
		}
		if got := FeedOfProduct([]byte(d.Product)); got != f {
			t.Errorf("FeedOfProduct(%q) = %v; want %v", d.Product, got, f)
		}
		if f.String() != d.Name || f.Product() != d.Product {
			t.Errorf("feed %d: String() %q, Product() %q; want %q, %q", f, f.String(), f.Product(), d.Name, d.Product)
		}
	}
	if got := FeedOfProduct([]byte("NSSAlertlog")); got != FeedUnknown {
		t.Errorf("FeedOfProduct(NSSAlertlog) = %v; want FeedUnknown", got)
	}
	if !strings.HasPrefix(FeedChoices(), "web, firewall") || !strings.HasSuffix(FeedChoices(), " or "+(NumFeeds-1).String()) {
		t.Errorf("FeedChoices() = %q; want web, firewall, …, or the last feed", FeedChoices())
	}
	if _, err := ParseFeed("alert"); err == nil || err.Error() != `unknown feed "alert" (want `+FeedChoices()+`)` {
		t.Errorf("ParseFeed(alert) error = %v", err)
	}
	if got := (NumFeeds + 1).Descriptor(); !reflect.DeepEqual(got, Descriptor{}) {
		t.Errorf("out of range Descriptor() = %+v; want zero", got)
	}
}
