// Feeds of CAP alerts (docs/CAP.md "Feeds"): reading outside Atom 1.0 and RSS 2.0 feeds, and
// writing our public Atom feed.
//
// read_feed gives one FeedEntry per Atom <entry> or RSS <item>, in feed order. Where the alert is:
// cap_url is the href of a link typed application/cap+xml (Atom <link>, RSS <enclosure>), else of
// a link whose path ends in .cap or .xml; cap_xml is an alert embedded in the entry (Atom
// <content> or the entry itself, RSS <item>), re-serialised as a standalone document for
// read_cap. An entry with neither is still listed (both empty) so the caller can say so. URLs are
// given as written (a relative one is not resolved). Same hostile-XML guards as read_cap.
//
// write_atom writes a valid Atom 1.0 document (RFC 4287), UTF-8: the caller gives RFC 3339
// times and absolute URLs. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "alerts/reader.h"
#include "core/status.h"

namespace liandong::alerts {

inline constexpr std::string_view kAtomNamespace = "http://www.w3.org/2005/Atom";
inline constexpr std::string_view kCapMediaType = "application/cap+xml";

struct FeedEntry {
  std::string id;  // Atom <id>; RSS <guid>, else its <link>
  std::string title;
  std::string updated;  // Atom <updated> (RFC 3339); RSS <pubDate> (RFC 822), as written
  std::string cap_url;  // where the CAP alert is, when linked
  std::string cap_xml;  // the CAP alert, when embedded
  std::string link;     // the entry's page (Atom alternate link not of the CAP type; RSS <link>)
  bool operator==(const FeedEntry&) const = default;
};

// kInvalidArgument (kTooLarge over limits.max_bytes) naming what is wrong: not XML or hostile XML
// (the xml.* reason), a root that is neither an Atom <feed> nor an RSS 2.0 <rss> with a <channel>.
core::Result<std::vector<FeedEntry>> read_feed(std::string_view xml, const ReadLimits& limits = {});

struct AtomEntry {
  std::string id;  // an IRI, e.g. "urn:liandong:alert:441300-ALR-7"
  std::string title;
  std::string updated;    // RFC 3339
  std::string summary;    // plain text; omitted when empty
  std::string link;       // the alert's page (rel=alternate, text/html); omitted when empty
  std::string cap_link;   // the alert's CAP XML (rel=alternate, application/cap+xml)
  std::string published;  // RFC 3339; omitted when empty
  bool operator==(const AtomEntry&) const = default;
};

struct AtomFeed {
  std::string id;
  std::string title;
  std::string updated;    // RFC 3339: the latest change
  std::string self_link;  // the feed's own URL (rel=self)
  std::string author;     // the feed's author name; the title when empty (Atom requires one)
  std::vector<AtomEntry> entries;
};

std::string write_atom(const AtomFeed& feed);

}  // namespace liandong::alerts
