#include "feeds/feed_reader.h"

#include "alerts/edxl.h"
#include "alerts/feed.h"
#include "core/log.h"
#include "engine/alert_cap.h"

namespace liandong::feeds {

using nlohmann::json;

namespace {

constexpr size_t kSeenKeep = 5000;  // entries remembered a feed

json opt_time(const std::optional<core::Timestamp>& t) { return t ? json(core::format_utc(*t)) : json(nullptr); }

// What the document is, from its first element's name.
enum class Kind { kFeed, kEdxl, kCap };
Kind kind_of(const std::string& xml) {
  size_t at = 0;
  while ((at = xml.find('<', at)) != std::string::npos) {
    if (at + 1 < xml.size() && (xml[at + 1] == '?' || xml[at + 1] == '!')) {
      ++at;
      continue;
    }
    size_t end = xml.find_first_of(" \t\r\n/>", at + 1);
    std::string name = xml.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
    if (auto colon = name.find(':'); colon != std::string::npos) name = name.substr(colon + 1);
    if (name == "feed" || name == "rss") return Kind::kFeed;
    if (name == "EDXLDistribution") return Kind::kEdxl;
    return Kind::kCap;
  }
  return Kind::kCap;
}

}  // namespace

json to_json(const FeedStatus& s) {
  return {{"last_polled_at", opt_time(s.last_polled_at)},
          {"last_ok_at", opt_time(s.last_ok_at)},
          {"error", s.error},
          {"entries", s.entries},
          {"received", s.received},
          {"duplicates", s.duplicates},
          {"quarantined", s.quarantined}};
}

FeedReader::FeedReader(engine::Engine& engine, const core::Clock& clock, Options options)
    : engine_(engine), clock_(clock), options_(std::move(options)) {}

FeedReader::~FeedReader() { stop(); }

void FeedReader::start() {
  std::lock_guard lk(mu_);
  if (running_) return;
  running_ = true;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void FeedReader::stop() {
  {
    std::lock_guard lk(mu_);
    if (!running_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lk(mu_);
  running_ = false;
}

void FeedReader::run() {
  for (;;) {
    {
      std::unique_lock lk(mu_);
      if (cv_.wait_for(lk, options_.tick, [&] { return stopping_; })) return;
    }
    poll_due();
  }
}

FeedStatus FeedReader::status(const std::string& feed_id) const {
  std::lock_guard lk(mu_);
  auto it = status_.find(feed_id);
  return it == status_.end() ? FeedStatus{} : it->second;
}

void FeedReader::poll_due() {
  auto view = engine_.view();
  core::Timestamp now = clock_.now();
  for (size_t i = 0; i < view->feeds.size(); ++i) {
    const engine::FeedRecord& f = view->feeds[i];
    if (f.deleted || !f.enabled) continue;
    FeedStatus st = status(f.id);
    if (st.last_polled_at && now - *st.last_polled_at < core::Millis(f.interval_s * 1000)) continue;
    {
      std::lock_guard lk(mu_);
      if (stopping_ && running_) return;
    }
    poll(f);
  }
}

void FeedReader::take(const engine::FeedRecord& feed, const std::string& xml, FeedStatus& st) {
  auto r = engine::read_received(xml);
  engine::ReceiveAlert c;
  c.source = feed.id;
  c.xml = xml;
  c.accepted = r.accepted;
  c.parsed = std::move(r.record);
  c.report = std::move(r.report);
  c.open_incidents = feed.open_incidents;
  auto out = engine_.execute(std::move(c), engine::Actor("feed:" + feed.id, feed.url.substr(0, 200)));
  if (!out) {
    st.error = "the engine refused an alert: " + out.status().message();
    return;
  }
  if (out->body.value("duplicate", false)) ++st.duplicates;
  else if (out->body.value("state", "") == "quarantined") ++st.quarantined;
  else ++st.received;
}

FeedStatus FeedReader::poll(const engine::FeedRecord& feed) {
  FeedStatus st = status(feed.id);
  st.last_polled_at = clock_.now();
  st.error.clear();
  st.entries = 0;
  auto got = fetch(feed.url, options_.fetch);
  if (!got) {
    st.error = got.status().message();
  } else if (got->status < 200 || got->status > 299) {
    st.error = "the feed answered HTTP " + std::to_string(got->status);
  } else {
    switch (kind_of(got->body)) {
      case Kind::kCap:
        st.entries = 1;
        take(feed, got->body, st);
        break;
      case Kind::kEdxl: {
        auto env = alerts::read_edxl_de(got->body);
        if (!env) {
          st.error = "the EDXL-DE envelope cannot be read: " + env.status().message();
          break;
        }
        st.entries = env->cap_documents.size();
        for (const auto& doc : env->cap_documents) take(feed, doc, st);
        break;
      }
      case Kind::kFeed: {
        auto entries = alerts::read_feed(got->body);
        if (!entries) {
          st.error = "the feed cannot be read: " + entries.status().message();
          break;
        }
        st.entries = entries->size();
        std::set<std::string> seen;
        {
          std::lock_guard lk(mu_);
          seen = seen_[feed.id];
        }
        for (const auto& e : *entries) {
          std::string key = e.id + "|" + e.updated;
          if (seen.count(key)) continue;
          if (!e.cap_xml.empty()) {
            take(feed, e.cap_xml, st);
          } else if (!e.cap_url.empty()) {
            auto doc = fetch(e.cap_url, options_.fetch);
            if (!doc || doc->status < 200 || doc->status > 299) {
              st.error = "entry " + e.id.substr(0, 200) + ": " +
                         (doc ? "HTTP " + std::to_string(doc->status) : doc.status().message());
              continue;  // tried again at the next poll
            }
            take(feed, doc->body, st);
          } else {
            continue;  // an entry without an alert (a plain news item)
          }
          seen.insert(key);
        }
        if (seen.size() > kSeenKeep) seen.clear();  // the engine still drops duplicates
        std::lock_guard lk(mu_);
        seen_[feed.id] = std::move(seen);
        break;
      }
    }
  }
  if (st.error.empty()) st.last_ok_at = st.last_polled_at;
  else core::log::warn("outside feed failed", {{"feed", feed.id}, {"error", st.error}});
  std::lock_guard lk(mu_);
  status_[feed.id] = st;
  return st;
}

}  // namespace liandong::feeds
