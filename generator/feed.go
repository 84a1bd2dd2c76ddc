package generator

import "github.com/nssbench/nssbench/generator/verdict"

// feedModel is the generator's part of a feed (verdict.Descriptor is its identity): the NSS fields it
// renders, how a class of it is compiled and what each of its events draws. Each feed defines its
// model, its class profile and its draws in its own file, feed_NAME.go.
type feedModel struct {
	// fields returns the feed's own field specs, laid over commonFields.
	fields func() map[string]fieldSpec
	// compile fills the class's profile (its field of feedProfiles) from the fields the class sets.
	compile func(m *model, cm *classModel, set func(string) (string, bool)) error
	// draw draws what one event of the class needs beyond the user and the time (its field of
	// feedDraws, and the shared site and duration).
	draw func(e *event, r *rng)
}

// feedModels is the generator's feed registry, indexed by verdict.Feed. Adding a feed adds its row
// here and its profile and draws below (docs/ARCHITECTURE.md, "How to add a feed").
var feedModels = [verdict.NumFeeds]feedModel{
	verdict.FeedWeb:      {webFields, (*model).compileWeb, (*event).drawWeb},
	verdict.FeedFirewall: {fwFields, (*model).compileFW, (*event).drawFW},
	verdict.FeedDNS:      {dnsFields, (*model).compileDNS, (*event).drawDNS},
}

// feedProfiles holds one profile per feed in a classModel; only the class's feed's is filled.
type feedProfiles struct {
	web webProfile
	fw  fwProfile
	dns dnsProfile
}

// feedDraws holds one set of draws per feed in an event; only the event's feed's is meaningful.
type feedDraws struct {
	webDraw
	fwDraw
	dnsDraw
}
