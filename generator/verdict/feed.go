package verdict

import (
	"fmt"
	"strconv"
	"strings"
)

// Feed is the NSS log type named by the CEF header's product.
type Feed uint8

// Feeds. FeedUnknown is the zero value: a record whose feed could not be told. NumFeeds is one more
// than the last feed: the length of arrays indexed by Feed.
const (
	FeedUnknown Feed = iota
	FeedWeb
	FeedFirewall
	FeedDNS
	NumFeeds
)

// Descriptor is the identity of a feed: everything about it that every layer may need to know. The
// generator's part of a feed (the values it gives its fields, how its classes and events are drawn)
// registers itself from generator/feed_NAME.go, its formats are files in generator/feeds/data.
type Descriptor struct {
	// Name is the feed's name in verdict records, scenario files ("feeds" keys, a class's "feed"),
	// rules, mappings and the command line, e.g. "firewall".
	Name string
	// Product is the CEF header product NSS writes for the feed, e.g. "NSSFWlog". The pipeline tells
	// a record's feed by it, and a user's format file by the product it names.
	Product string
	// Format is the built-in format (a generator/feeds name) a scenario renders the feed with when it
	// does not say otherwise.
	Format string
	// Cloud is the built-in Cloud NSS JSON format (a generator/feeds name) an HTTP(S) target takes.
	Cloud string
	// HeaderName is the NSS field the CEF header's name carries: the alert type the mappings look up.
	HeaderName string
	// Fields are the NSS fields the feed's formats print that generator/nssfmt's built-in field
	// table lacks; nssfmt appends them to its table, so every format can name them. Nil for a feed
	// that uses known fields only.
	Fields []NSSField
}

// NSSField declares an NSS field a feed brings (Descriptor.Fields).
type NSSField struct {
	// Name is the field's name as formats write it inside %s{…} or %d{…}, e.g. "tunneltype".
	Name string
	// Numeric is true when Zscaler's formats print the field with %d (a count, size or port).
	Numeric bool
}

// descriptors is the feed registry, indexed by Feed. Adding a feed adds a constant above and its row
// here, with the NSS fields it brings (docs/ARCHITECTURE.md, "How to add a feed").
var descriptors = [NumFeeds]Descriptor{
	FeedWeb:      {Name: "web", Product: "NSSWeblog", Format: "web", Cloud: "cloud-web", HeaderName: "reason"},
	FeedFirewall: {Name: "firewall", Product: "NSSFWlog", Format: "firewall", Cloud: "cloud-firewall", HeaderName: "rulelabel"},
	FeedDNS:      {Name: "dns", Product: "NSSDNSlog", Format: "dns", Cloud: "cloud-dns", HeaderName: "rulelabel"},
}

// Feeds lists the known feeds in a stable order.
func Feeds() []Feed {
	out := make([]Feed, 0, NumFeeds-1)
	for f := FeedWeb; f < NumFeeds; f++ {
		out = append(out, f)
	}
	return out
}

// Descriptor returns the feed's registry entry; the zero Descriptor for FeedUnknown or a value out of
// range. Its Fields are shared: do not modify them.
func (f Feed) Descriptor() Descriptor {
	if f < NumFeeds {
		return descriptors[f]
	}
	return Descriptor{}
}

// String returns the feed's name as it appears in verdict records ("web", "firewall", "dns").
func (f Feed) String() string {
	if f < NumFeeds {
		return descriptors[f].Name
	}
	return "feed(" + strconv.Itoa(int(f)) + ")"
}

// Product returns the CEF header product of the feed, e.g. "NSSFWlog".
func (f Feed) Product() string {
	if f < NumFeeds {
		return descriptors[f].Product
	}
	return ""
}

// FeedOfProduct returns the feed whose CEF product is p, or FeedUnknown. It does not allocate.
func FeedOfProduct(p []byte) Feed {
	for f := FeedWeb; f < NumFeeds; f++ {
		if string(p) == descriptors[f].Product {
			return f
		}
	}
	return FeedUnknown
}

// ParseFeed parses a feed name as String writes it.
func ParseFeed(s string) (Feed, error) {
	for f := FeedWeb; f < NumFeeds; f++ {
		if s == descriptors[f].Name {
			return f, nil
		}
	}
	return FeedUnknown, fmt.Errorf("unknown feed %q (want %s)", s, FeedChoices())
}

// FeedChoices names the known feeds for messages: "web, firewall or dns".
func FeedChoices() string {
	names := make([]string, 0, NumFeeds-1)
	for f := FeedWeb; f < NumFeeds; f++ {
		names = append(names, descriptors[f].Name)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
