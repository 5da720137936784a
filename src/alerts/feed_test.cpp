// read_feed on Atom and RSS 2.0 samples (linked and embedded CAP), and write_atom read back.
#include "alerts/feed.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alerts/internal/samples.h"
#include "alerts/reader.h"

namespace liandong::alerts {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// An Atom feed as national services publish it: one entry links its CAP by type, one by a .cap
// URL, one embeds the alert, one carries nothing usable.
const std::string kAtom = R"(<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2">
  <id>urn:example:feed</id>
  <title>Warnings</title>
  <updated>2026-11-29T13:05:00+08:00</updated>
  <entry>
    <id>urn:example:1</id>
    <title>暴雨橙色预警</title>
    <updated>2026-11-29T13:05:00+08:00</updated>
    <link href="https://example.cn/alerts/1.html"/>
    <link rel="alternate" type="application/cap+xml" href="https://example.cn/alerts/1"/>
  </entry>
  <entry>
    <id>urn:example:2</id>
    <title>Flood</title>
    <updated>2026-11-29T14:00:00+08:00</updated>
    <link rel="related" href="https://example.org/cap/2.CAP?lang=en"/>
  </entry>
  <entry>
    <id>urn:example:3</id>
    <title>Embedded</title>
    <updated>2026-11-29T15:00:00+08:00</updated>
    <content type="application/cap+xml">ALERT</content>
  </entry>
  <entry>
    <id>urn:example:4</id>
    <title>Nothing to read</title>
    <updated>2026-11-29T16:00:00+08:00</updated>
    <link href="https://example.org/page"/>
  </entry>
</feed>
)";

std::string embedded_sample() {
  // The sample alert with the cap prefix, declared on the feed's root (so the copy must carry it).
  std::string a = samples::kChineseAlert.substr(samples::kChineseAlert.find("<alert"));
  for (size_t at = 0; (at = a.find('<', at)) != std::string::npos; ++at)
    a.insert(at + (a[at + 1] == '/' ? 2 : 1), "cap:");
  const std::string decl = " xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"";
  a.erase(a.find(decl), decl.size());
  return a;
}

TEST(ReadFeed, AtomLinksAndEmbeddedAlerts) {
  std::string atom = kAtom;
  atom.replace(atom.find("ALERT"), 5, embedded_sample());
  auto entries = read_feed(atom);
  ASSERT_TRUE(entries) << entries.status().message();
  ASSERT_EQ(entries->size(), 4u);
  const auto& e = *entries;
  EXPECT_EQ(e[0].id, "urn:example:1");
  EXPECT_EQ(e[0].title, "暴雨橙色预警");
  EXPECT_EQ(e[0].updated, "2026-11-29T13:05:00+08:00");
  EXPECT_EQ(e[0].cap_url, "https://example.cn/alerts/1");
  EXPECT_EQ(e[0].link, "https://example.cn/alerts/1.html");
  EXPECT_EQ(e[1].cap_url, "https://example.org/cap/2.CAP?lang=en");
  EXPECT_THAT(e[2].cap_url, IsEmpty());
  ASSERT_FALSE(e[2].cap_xml.empty());
  const ReadOutcome in = read_cap(e[2].cap_xml);
  ASSERT_TRUE(in.accepted()) << in.report.to_string() << e[2].cap_xml;
  EXPECT_EQ(*in.alert, *read_cap(samples::kChineseAlert).alert);
  EXPECT_THAT(e[3].cap_url, IsEmpty());
  EXPECT_THAT(e[3].cap_xml, IsEmpty());
  EXPECT_EQ(e[3].link, "https://example.org/page");
}

TEST(ReadFeed, Rss2EnclosuresLinksAndEmbeddedAlerts) {
  const std::string rss = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>CAP</title>
    <item>
      <title>Red warning</title>
      <guid>rss-1</guid>
      <pubDate>Sun, 29 Nov 2026 05:05:00 GMT</pubDate>
      <link>https://example.org/warnings/1</link>
      <enclosure url="https://example.org/warnings/1/cap" type="application/cap+xml" length="2000"/>
    </item>
    <item>
      <title>No guid</title>
      <link>https://example.org/warnings/2.xml</link>
    </item>
    <item>
      <title>Inline</title>
      <guid>rss-3</guid>
      )" + samples::kChineseAlert.substr(samples::kChineseAlert.find("<alert")) +
                          R"(
    </item>
  </channel>
</rss>
)";
  auto entries = read_feed(rss);
  ASSERT_TRUE(entries) << entries.status().message();
  ASSERT_EQ(entries->size(), 3u);
  const auto& e = *entries;
  EXPECT_EQ(e[0].id, "rss-1");
  EXPECT_EQ(e[0].updated, "Sun, 29 Nov 2026 05:05:00 GMT");
  EXPECT_EQ(e[0].cap_url, "https://example.org/warnings/1/cap");
  EXPECT_EQ(e[0].link, "https://example.org/warnings/1");
  EXPECT_EQ(e[1].id, "https://example.org/warnings/2.xml");
  EXPECT_EQ(e[1].cap_url, "https://example.org/warnings/2.xml");
  EXPECT_TRUE(read_cap(e[2].cap_xml).accepted());
}

TEST(ReadFeed, RefusesWhatIsNotAFeed) {
  auto r = read_feed(samples::kChineseAlert);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.status().message(), HasSubstr("not an Atom <feed>"));
  r = read_feed("<rss version=\"2.0\"/>");
  ASSERT_FALSE(r);
  EXPECT_THAT(r.status().message(), HasSubstr("no <channel>"));
  r = read_feed("<feed xmlns=\"urn:not-atom\"/>");
  ASSERT_FALSE(r);
  r = read_feed(
      "<!DOCTYPE feed [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><feed "
      "xmlns=\"http://www.w3.org/2005/Atom\"><title>&x;</title></feed>");
  ASSERT_FALSE(r);
  EXPECT_THAT(r.status().message(), HasSubstr("xml.doctype"));
  auto empty = read_feed("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>");
  ASSERT_TRUE(empty);
  EXPECT_THAT(*empty, IsEmpty());
}

TEST(WriteAtom, ReadsBackAndIsAtom) {
  AtomFeed feed;
  feed.id = "urn:liandong:441300:alerts";
  feed.title = "惠州市 公开预警 <CAP>";
  feed.updated = "2026-11-29T13:05:00+08:00";
  feed.self_link = "https://node.example.cn/api/v1/alerts/feed.atom";
  feed.entries.push_back(
      {"urn:liandong:alert:441300-ALR-7", "暴雨橙色预警 & 雷电", "2026-11-29T13:05:00+08:00",
       "惠城区 3 小时降雨 50 mm 以上", "https://node.example.cn/alerts/441300-ALR-7",
       "https://node.example.cn/api/v1/alerts/441300-ALR-7.cap", "2026-11-29T13:00:00+08:00"});
  feed.entries.push_back({"urn:liandong:alert:441300-ALR-8", "Cancel", "2026-11-29T14:00:00+08:00",
                          "", "", "https://node.example.cn/api/v1/alerts/441300-ALR-8.cap", ""});
  const std::string xml = write_atom(feed);
  EXPECT_THAT(xml, HasSubstr("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  EXPECT_THAT(xml, HasSubstr("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
  EXPECT_THAT(xml, HasSubstr("<title>惠州市 公开预警 &lt;CAP&gt;</title>"));
  EXPECT_THAT(xml, HasSubstr("<author>"));  // required by RFC 4287 when entries have none
  EXPECT_THAT(xml, HasSubstr("<link rel=\"self\" type=\"application/atom+xml\" "
                             "href=\"https://node.example.cn/api/v1/alerts/feed.atom\" />"));
  auto back = read_feed(xml);
  ASSERT_TRUE(back) << back.status().message();
  ASSERT_EQ(back->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const AtomEntry& w = feed.entries[i];
    const FeedEntry& r = (*back)[i];
    EXPECT_EQ(r.id, w.id);
    EXPECT_EQ(r.title, w.title);
    EXPECT_EQ(r.updated, w.updated);
    EXPECT_EQ(r.cap_url, w.cap_link);
    EXPECT_EQ(r.link, w.link);
  }
}

}  // namespace
}  // namespace liandong::alerts
