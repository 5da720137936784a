// The feed reader against a real HTTP server on loopback and an engine on an in-memory journal: an
// Atom feed with one entry linking to its CAP document and one embedding it raises two warnings; a
// second poll fetches nothing again; a later entry updating the first moves its warning; a broken
// alert is quarantined; an unreachable feed says why; fetch follows a redirect and refuses a body
// over its limit.
#include <gtest/gtest.h>

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "engine/engine.h"
#include "engine/testing/memory_journal.h"
#include "feeds/feed_reader.h"

namespace liandong::feeds {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

// Serves fixed documents by path; counts requests per path.
class Server {
 public:
  Server() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { serve(); });
  }
  ~Server() {
    stopping_ = true;
    beast::error_code ec;
    asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + path;
  }
  void put(const std::string& path, std::string body, int status = 200, std::string location = {}) {
    std::lock_guard lk(mu_);
    docs_[path] = Doc{std::move(body), status, std::move(location)};
  }
  int hits(const std::string& path) {
    std::lock_guard lk(mu_);
    return hits_[path];
  }

 private:
  struct Doc {
    std::string body;
    int status = 200;
    std::string location;
  };
  void serve() {
    while (!stopping_) {
      asio::ip::tcp::socket s(io_);
      beast::error_code ec;
      acceptor_.accept(s, ec);
      if (ec || stopping_) continue;
      beast::flat_buffer buf;
      bhttp::request<bhttp::string_body> req;
      bhttp::read(s, buf, req, ec);
      if (ec) continue;
      Doc doc{"not found", 404, {}};
      {
        std::lock_guard lk(mu_);
        std::string path(req.target());
        ++hits_[path];
        if (auto it = docs_.find(path); it != docs_.end()) doc = it->second;
      }
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(doc.status), req.version()};
      res.set(bhttp::field::content_type, "application/xml");
      if (!doc.location.empty()) res.set(bhttp::field::location, doc.location);
      res.body() = doc.body;
      res.prepare_payload();
      res.keep_alive(false);
      bhttp::write(s, res, ec);
    }
  }
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::map<std::string, Doc> docs_;
  std::map<std::string, int> hits_;
};

std::string cap(const std::string& id, const std::string& msg_type, const std::string& references,
                const std::string& severity, bool xml_declaration = true) {
  return std::string(xml_declaration ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : "") +
         R"(<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>)" + id +
         R"(</identifier><sender>met@gd.cn</sender><sent>2026-12-02T08:00:00+08:00</sent><status>Actual</status><msgType>)" +
         msg_type + "</msgType><scope>Public</scope>" +
         (references.empty() ? "" : "<references>" + references + "</references>") +
         R"(<info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Expected</urgency><severity>)" +
         severity +
         R"(</severity><certainty>Likely</certainty><headline>暴雨预警 )" + id +
         R"(</headline><area><areaDesc>惠城区</areaDesc><circle>23.1,114.4 10</circle></area></info></alert>)";
}

std::string atom(const std::string& entries) {
  return R"(<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:gd-met</id><title>广东省气象预警</title><updated>2026-12-02T08:00:00+08:00</updated>)" +
         entries + "</feed>";
}

std::string linked(const std::string& id, const std::string& url) {
  return "<entry><id>" + id + "</id><title>" + id + "</title><updated>2026-12-02T08:00:00+08:00</updated><link rel=\"alternate\" type=\"application/cap+xml\" href=\"" +
         url + "\"/></entry>";
}

std::string embedded(const std::string& id, const std::string& alert) {
  return "<entry><id>" + id + "</id><title>" + id + "</title><updated>2026-12-02T08:00:00+08:00</updated><content type=\"application/cap+xml\">" +
         alert + "</content></entry>";
}

class FeedReaderTest : public ::testing::Test {
 protected:
  FeedReaderTest() : clock_(*core::parse_rfc3339("2026-12-02T00:00:00Z", "t")) {}
  void SetUp() override {
    engine::EngineOptions o;
    o.node = "441300";
    engine_ = std::make_unique<engine::Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                               taxonomy::GradeRules::defaults());
    ASSERT_TRUE(engine_->start().is_ok());
  }
  engine::FeedRecord feed(const std::string& url) {
    engine::FeedRecord f;
    f.name = "广东省气象局";
    f.url = url;
    f.interval_s = 60;
    auto r = engine_->execute(engine::CreateFeed{f}, "admin-1");
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return *engine_->view()->find_feed(r->body["id"].get<std::string>());
  }

  core::FakeClock clock_;
  engine::testing::MemoryJournal journal_;
  std::unique_ptr<engine::Engine> engine_;
  Server server_;
};

TEST_F(FeedReaderTest, AnAtomFeedOfCapBecomesWarningsOnceAndUpdatesApply) {
  server_.put("/a1.xml", cap("GD-1", "Alert", "", "Moderate"));
  server_.put("/feed.atom", atom(linked("e1", server_.url("/a1.xml")) +
                                 embedded("e2", cap("GD-2", "Alert", "", "Severe", false))));
  engine::FeedRecord f = feed(server_.url("/feed.atom"));
  FeedReader reader(*engine_, clock_);
  FeedStatus st = reader.poll(f);
  EXPECT_EQ(st.error, "");
  EXPECT_EQ(st.entries, 2u);
  EXPECT_EQ(st.received, 2u);
  auto view = engine_->view();
  ASSERT_EQ(view->warnings.size(), 2u);
  EXPECT_EQ(view->warnings[0].level, "yellow");
  EXPECT_EQ(view->warnings[1].level, "orange");
  EXPECT_EQ(view->alerts[0].source, f.id);

  // Not due yet; then due, but nothing new is fetched or taken.
  reader.poll_due();
  EXPECT_EQ(server_.hits("/feed.atom"), 1);
  clock_.advance(std::chrono::seconds(61));
  reader.poll_due();
  EXPECT_EQ(server_.hits("/feed.atom"), 2);
  EXPECT_EQ(server_.hits("/a1.xml"), 1);
  EXPECT_EQ(engine_->view()->alerts.size(), 2u);

  // An update of GD-1 and a broken alert arrive.
  server_.put("/feed.atom",
              atom(linked("e1", server_.url("/a1.xml")) + embedded("e3", cap("GD-3", "Update", "met@gd.cn,GD-1,2026-12-02T08:00:00+08:00", "Extreme", false)) +
                   embedded("e4", cap("GD 4", "Alert", "", "Severe", false))));
  st = reader.poll(f);
  EXPECT_EQ(st.received, 3u);
  EXPECT_EQ(st.quarantined, 1u);
  view = engine_->view();
  EXPECT_EQ(view->warnings[0].level, "red");
  EXPECT_EQ(view->alerts[0].state, "superseded");
  EXPECT_EQ(reader.status(f.id).last_ok_at, reader.status(f.id).last_polled_at);
}

TEST_F(FeedReaderTest, ASingleCapDocumentAndFailuresSayWhy) {
  server_.put("/one.cap", cap("GD-9", "Alert", "", "Minor"));
  engine::FeedRecord one = feed(server_.url("/one.cap"));
  FeedReader reader(*engine_, clock_);
  EXPECT_EQ(reader.poll(one).received, 1u);

  engine::FeedRecord gone = feed(server_.url("/missing"));
  FeedStatus st = reader.poll(gone);
  EXPECT_EQ(st.error, "the feed answered HTTP 404");
  EXPECT_FALSE(st.last_ok_at.has_value());

  engine::FeedRecord closed = feed("http://127.0.0.1:1/feed");
  st = reader.poll(closed);
  EXPECT_NE(st.error.find("cannot connect"), std::string::npos) << st.error;
}

TEST_F(FeedReaderTest, FetchFollowsRedirectsAndBoundsTheBody) {
  server_.put("/old", "", 301, server_.url("/new"));
  server_.put("/new", "<x/>");
  auto r = fetch(server_.url("/old"));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "<x/>");
  server_.put("/big", std::string(5000, 'x'));
  FetchOptions small;
  small.max_body = 1000;
  auto big = fetch(server_.url("/big"), small);
  EXPECT_EQ(big.status().code(), core::Code::kTooLarge) << (big ? std::to_string(big->status) + " " + std::to_string(big->body.size()) : big.status().to_string());
  EXPECT_EQ(fetch("ftp://example.org/x").status().code(), core::Code::kInvalidArgument);
}

}  // namespace
}  // namespace liandong::feeds
