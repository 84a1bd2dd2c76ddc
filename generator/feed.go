package generator

import "github.com/nssbench/nssbench/generator/verdict"

// feedModel is the generator's part of a feed (verdict.Descriptor is its identity): the NSS fields it
// renders, how a class of it is compiled and what each of its events draws. Each feed defines its
// model in its own file, feed_NAME.go, and registers it there with registerFeed.
type feedModel struct {
	// fields returns the feed's own field specs, laid over commonFields.
	fields func() map[string]fieldSpec
	// compile fills the class's profile from the fields the class sets.
	compile func(m *model, cm *classModel, set func(string) (string, bool)) error
	// draw draws what one event of the class needs beyond the user and the time.
	draw func(e *event, r *rng)
	// newDraws, when set, returns the storage a feed's events draw into (a pointer to the feed's
	// own type): every Generator keeps one in event.ext[feed].
	newDraws func() any
}

// feedModels is the generator's feed registry, indexed by verdict.Feed and filled by registerFeed
// from each feed_NAME.go's init function (docs/ARCHITECTURE.md, "How to add a feed").
var feedModels [verdict.NumFeeds]feedModel

// registerFeed registers the model of feed. It panics when feed is out of range or already has one.
func registerFeed(feed verdict.Feed, fm feedModel) {
	if feed == verdict.FeedUnknown || feed >= verdict.NumFeeds || feedModels[feed].fields != nil {
		panic("BUG: generator: feed " + feed.String() + " registered twice or out of range")
	}
	feedModels[feed] = fm
}

// A class keeps its feed's profile, and an event its feed's draws, in one of two places: the web,
// firewall and DNS feeds in the fields below, which their code reads directly; any other feed in a
// type of its own in classModel.ext (set by its compile) and event.ext[feed] (from its newDraws),
// which it reads through a type assertion of its own (see docs/ARCHITECTURE.md).

// feedProfiles holds the web, firewall and DNS profiles in a classModel; only the class's feed's is
// filled.
type feedProfiles struct {
	web webProfile
	fw  fwProfile
	dns dnsProfile
}

// feedDraws holds the web, firewall and DNS draws in an event; only the event's feed's is meaningful.
type feedDraws struct {
	webDraw
	fwDraw
	dnsDraw
}
