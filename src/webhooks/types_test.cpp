#include "webhooks/types.h"

#include <gtest/gtest.h>

#include "webhooks/internal/url.h"

namespace liandong::webhooks {
namespace {

using internal::parse_url;

TEST(Url, ParsesHttpAndHttps) {
  auto a = parse_url("http://127.0.0.1:8080/hooks/cap?x=1");
  ASSERT_TRUE(a) << a.status().to_string();
  EXPECT_FALSE(a->tls);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  EXPECT_EQ(a->target, "/hooks/cap?x=1");
  EXPECT_EQ(a->host_header, "127.0.0.1:8080");

  auto b = parse_url("https://alerts.example.org");
  ASSERT_TRUE(b) << b.status().to_string();
  EXPECT_TRUE(b->tls);
  EXPECT_EQ(b->port, 443);
  EXPECT_EQ(b->target, "/");
  EXPECT_EQ(b->host_header, "alerts.example.org");

  auto c = parse_url("http://[::1]:9000?q");
  ASSERT_TRUE(c) << c.status().to_string();
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->target, "/?q");
  EXPECT_EQ(c->host_header, "[::1]:9000");
}

TEST(Url, RefusesWhatItCannotUseSayingWhy) {
  struct Case {
    const char* url;
    const char* why;
  };
  for (auto [url, why] :
       {Case{"", "empty"}, Case{"ftp://h/x", "scheme"}, Case{"http:///x", "host is empty"},
        Case{"http://h:0/", "port"}, Case{"http://h:70000/", "port"},
        Case{"http://h:/", "port is empty"}, Case{"http://h:8a/", "port"},
        Case{"http://u:p@h/", "user info"}, Case{"http://h/x#frag", "fragment"},
        Case{"http://h/a b", "space"}, Case{"http://[::1/", "closing ]"}}) {
    auto r = parse_url(url, "subscribers[0].url");
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
    EXPECT_EQ(r.status().field(), "subscribers[0].url");
    EXPECT_NE(r.status().message().find(why), std::string::npos)
        << url << ": " << r.status().message();
  }
}

TEST(Subscriber, ChecksEachField) {
  Subscriber ok{"county-441202", "http://127.0.0.1:1/x", "k"};
  EXPECT_TRUE(check_subscriber(ok).is_ok());

  Subscriber bad_id = ok;
  bad_id.id = "has space";
  EXPECT_EQ(check_subscriber(bad_id, "subscribers[1].").field(), "subscribers[1].id");
  bad_id.id = "";
  EXPECT_EQ(check_subscriber(bad_id).field(), "id");
  bad_id.id = std::string(129, 'a');
  EXPECT_EQ(check_subscriber(bad_id).field(), "id");

  Subscriber bad_url = ok;
  bad_url.url = "mailto:x@y";
  EXPECT_EQ(check_subscriber(bad_url).field(), "url");

  Subscriber no_secret = ok;
  no_secret.secret.clear();
  EXPECT_EQ(check_subscriber(no_secret).field(), "secret");

  Subscriber zero_age = ok;
  zero_age.max_age = core::Millis(0);
  EXPECT_EQ(check_subscriber(zero_age).field(), "max_age");
}

TEST(DeliveryState, NamesRoundTrip) {
  for (auto s : {DeliveryState::kPending, DeliveryState::kDelivered, DeliveryState::kDead}) {
    auto back = parse_state(state_name(s));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, s);
  }
  auto bad = parse_state("gone", "query.state");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().field(), "query.state");
  EXPECT_EQ(delivery_id_for("a.b", 42), "a.b.42");
}

}  // namespace
}  // namespace liandong::webhooks
