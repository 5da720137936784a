#include "webhooks/delivery_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "litedb/db.h"
#include "litedb/testing/temp_dir.h"

namespace liandong::webhooks {
namespace {

using std::chrono::seconds;

const core::Timestamp kT0 = core::from_unix_millis(1'800'000'000'000);

Publication pub(uint64_t seq, std::vector<std::string> subs) {
  Publication p;
  p.seq = seq;
  p.alert_id = "441200-ALR-" + std::to_string(seq);
  p.body = "<alert>" + std::to_string(seq) + " 黄色预警</alert>";
  p.published_at = kT0 - seconds(1);
  p.subscriber_ids = std::move(subs);
  return p;
}

class DeliveryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    store_.reset();
    auto s = DeliveryStore::open(dir_.file("deliveries.db"), clock_);
    ASSERT_TRUE(s) << s.status().to_string();
    store_ = std::move(*s);
  }
  std::vector<Delivery> all(const std::string& sub = "",
                            std::optional<DeliveryState> state = std::nullopt) {
    auto l = store_->list(sub, state, 10000);
    EXPECT_TRUE(l) << l.status().to_string();
    return l ? *l : std::vector<Delivery>{};
  }
  uint64_t cursor() {
    auto c = store_->cursor();
    EXPECT_TRUE(c) << c.status().to_string();
    return c ? *c : 0;
  }
  std::optional<Outgoing> next(const std::string& sub) {
    auto n = store_->oldest_pending(sub);
    EXPECT_TRUE(n) << n.status().to_string();
    return n ? *n : std::nullopt;
  }

  litedb::testing::TempDir dir_;
  core::FakeClock clock_{kT0};
  std::unique_ptr<DeliveryStore> store_;
};

TEST_F(DeliveryStoreTest, EnqueueWritesDeliveriesAndCursor) {
  EXPECT_EQ(cursor(), 0u);
  ASSERT_TRUE(store_->enqueue({pub(3, {"a", "b"}), pub(5, {"a"})}, 6).is_ok());
  EXPECT_EQ(cursor(), 6u);
  auto ds = all();
  ASSERT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds[0].delivery_id, "a.3");
  EXPECT_EQ(ds[1].delivery_id, "b.3");
  EXPECT_EQ(ds[2].delivery_id, "a.5");
  const Delivery& d = ds[2];
  EXPECT_EQ(d.subscriber_id, "a");
  EXPECT_EQ(d.alert_id, "441200-ALR-5");
  EXPECT_EQ(d.seq, 5u);
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.attempts, 0);
  EXPECT_EQ(d.created_at, kT0);
  EXPECT_EQ(d.next_attempt_at, kT0);
  EXPECT_EQ(d.published_at, kT0 - seconds(1));
  EXPECT_FALSE(d.delivered_at);
  auto n = next("b");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->body, "<alert>3 黄色预警</alert>");
  EXPECT_EQ(n->content_type, "application/cap+xml");
}

TEST_F(DeliveryStoreTest, EnqueueIsAllOrNothingWithTheCursor) {
  ASSERT_TRUE(store_->enqueue({pub(1, {"a"})}, 1).is_ok());
  // The second publication reuses seq 1 for another alert: found inside the transaction, after
  // the first publication's rows were written; none of them may stay, nor the cursor move.
  Publication clash = pub(1, {"b"});
  clash.alert_id = "441200-ALR-99";
  auto s = store_->enqueue({pub(2, {"a", "b"}), clash}, 2);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.field(), "publications[1].alert_id");
  EXPECT_NE(s.message().find("441200-ALR-1"), std::string::npos) << s.message();
  EXPECT_EQ(cursor(), 1u);
  EXPECT_EQ(all().size(), 1u);
}

TEST_F(DeliveryStoreTest, EnqueueRefusesBadInputNamingTheField) {
  struct Case {
    Publication p;
    uint64_t cursor;
    std::string field;
  };
  Publication zero = pub(0, {"a"});
  Publication after = pub(9, {"a"});
  Publication no_alert = pub(1, {"a"});
  no_alert.alert_id.clear();
  Publication newline = pub(1, {"a"});
  newline.alert_id = "x\r\nX-Evil: 1";
  Publication bad_sub = pub(1, {"a", "b c"});
  Publication no_type = pub(1, {"a"});
  no_type.content_type.clear();
  for (const auto& c :
       {Case{zero, 5, "publications[1].seq"}, Case{after, 5, "publications[1].seq"},
        Case{no_alert, 5, "publications[1].alert_id"}, Case{newline, 5, "publications[1].alert_id"},
        Case{bad_sub, 5, "publications[1].subscriber_ids[1]"},
        Case{no_type, 5, "publications[1].content_type"}}) {
    auto s = store_->enqueue({pub(1, {"a"}), c.p}, c.cursor);
    EXPECT_EQ(s.code(), core::Code::kInvalidArgument) << c.field;
    EXPECT_EQ(s.field(), c.field) << s.to_string();
  }
  EXPECT_TRUE(all().empty());
  EXPECT_EQ(cursor(), 0u);
}

TEST_F(DeliveryStoreTest, EnqueueIsIdempotentAndTheCursorNeverMovesBack) {
  ASSERT_TRUE(store_->enqueue({pub(1, {"a", "b"}), pub(2, {"a"})}, 4).is_ok());
  ASSERT_TRUE(store_->mark_delivered("a.1").is_ok());
  clock_.advance(seconds(10));
  // The same hand-over again, with an older cursor, and a new subscriber for seq 2.
  ASSERT_TRUE(store_->enqueue({pub(1, {"a", "b"}), pub(2, {"a", "c"})}, 2).is_ok());
  EXPECT_EQ(cursor(), 4u);
  auto ds = all();
  ASSERT_EQ(ds.size(), 4u);
  auto a1 = store_->get("a.1");
  ASSERT_TRUE(a1);
  EXPECT_EQ(a1->state, DeliveryState::kDelivered);
  auto b1 = store_->get("b.1");
  ASSERT_TRUE(b1);
  EXPECT_EQ(b1->created_at, kT0);  // untouched
  auto c2 = store_->get("c.2");
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->created_at, kT0 + seconds(10));
  // A hand-over with no matching subscriber still moves the cursor.
  ASSERT_TRUE(store_->enqueue({pub(7, {})}, 8).is_ok());
  EXPECT_EQ(cursor(), 8u);
  EXPECT_EQ(all().size(), 4u);
}

TEST_F(DeliveryStoreTest, OldestPendingFollowsSeqNotArrival) {
  ASSERT_TRUE(store_->enqueue({pub(7, {"a"})}, 7).is_ok());
  ASSERT_TRUE(store_->enqueue({pub(3, {"a"}), pub(5, {"a"})}, 7).is_ok());
  std::vector<uint64_t> order;
  while (auto n = next("a")) {
    order.push_back(n->delivery.seq);
    ASSERT_TRUE(store_->mark_delivered(n->delivery.delivery_id).is_ok());
  }
  EXPECT_EQ(order, (std::vector<uint64_t>{3, 5, 7}));
  EXPECT_FALSE(next("nobody"));
}

TEST_F(DeliveryStoreTest, OutcomesMoveOnlyPendingDeliveries) {
  ASSERT_TRUE(store_->enqueue({pub(1, {"a"}), pub(2, {"a"})}, 2).is_ok());
  ASSERT_TRUE(store_->record_failure("a.1", "connect: refused", kT0 + seconds(2)).is_ok());
  ASSERT_TRUE(store_->record_failure("a.1", "timeout", kT0 + seconds(4)).is_ok());
  auto d = store_->get("a.1");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->attempts, 2);
  EXPECT_EQ(d->last_error, "timeout");
  EXPECT_EQ(d->next_attempt_at, kT0 + seconds(4));
  clock_.advance(seconds(5));
  ASSERT_TRUE(store_->mark_delivered("a.1").is_ok());
  d = store_->get("a.1");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state, DeliveryState::kDelivered);
  EXPECT_EQ(d->attempts, 3);
  EXPECT_EQ(d->delivered_at, kT0 + seconds(5));
  EXPECT_EQ(d->last_error, "timeout");  // kept: how it went before it got through

  EXPECT_EQ(store_->mark_delivered("a.1").code(), core::Code::kConflict);
  EXPECT_EQ(store_->record_failure("a.1", "x", kT0).code(), core::Code::kConflict);
  EXPECT_EQ(store_->mark_dead("a.1", "x", true).code(), core::Code::kConflict);
  EXPECT_EQ(store_->mark_delivered("a.9").code(), core::Code::kNotFound);
  EXPECT_EQ(store_->get("a.9").status().code(), core::Code::kNotFound);

  ASSERT_TRUE(store_->mark_dead("a.2", "too old", false).is_ok());
  d = store_->get("a.2");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state, DeliveryState::kDead);
  EXPECT_EQ(d->attempts, 0);
  EXPECT_EQ(d->dead_reason, "too old");
}

TEST_F(DeliveryStoreTest, RetryPutsADeadDeliveryNext) {
  ASSERT_TRUE(
      store_->enqueue({pub(1, {"a"}), pub(2, {"a"}), pub(3, {"a"}), pub(4, {"a"})}, 4).is_ok());
  ASSERT_TRUE(store_->mark_delivered("a.1").is_ok());
  ASSERT_TRUE(store_->mark_dead("a.2", "HTTP 410 Gone: alert withdrawn", true).is_ok());
  ASSERT_TRUE(store_->mark_delivered("a.3").is_ok());
  ASSERT_TRUE(store_->record_failure("a.4", "HTTP 503", kT0 + seconds(30)).is_ok());
  EXPECT_EQ(next("a")->delivery.seq, 4u);

  clock_.advance(seconds(60));
  ASSERT_TRUE(store_->retry("a.2").is_ok());
  auto n = next("a");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->delivery.delivery_id, "a.2");
  EXPECT_EQ(n->delivery.state, DeliveryState::kPending);
  EXPECT_EQ(n->delivery.attempts, 0);
  EXPECT_EQ(n->delivery.next_attempt_at, kT0 + seconds(60));
  EXPECT_EQ(n->delivery.retried_at, kT0 + seconds(60));
  EXPECT_EQ(n->delivery.dead_reason, "");
  EXPECT_NE(n->delivery.last_error.find("HTTP 410 Gone"), std::string::npos);
  EXPECT_EQ(n->body, "<alert>2 黄色预警</alert>");

  EXPECT_EQ(store_->retry("a.2").code(), core::Code::kConflict);  // pending now
  EXPECT_EQ(store_->retry("a.1").code(), core::Code::kConflict);  // delivered
  EXPECT_EQ(store_->retry("zz.1").code(), core::Code::kNotFound);
}

TEST_F(DeliveryStoreTest, ReopenKeepsEverything) {
  ASSERT_TRUE(store_->enqueue({pub(1, {"a", "b"}), pub(2, {"a", "b"})}, 3).is_ok());
  ASSERT_TRUE(store_->mark_delivered("a.1").is_ok());
  ASSERT_TRUE(store_->mark_dead("b.1", "HTTP 404", true).is_ok());
  ASSERT_TRUE(store_->record_failure("b.2", "timeout", kT0 + seconds(8)).is_ok());
  auto before = all();
  reopen();
  EXPECT_EQ(cursor(), 3u);
  auto after = all();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].delivery_id, before[i].delivery_id);
    EXPECT_EQ(after[i].state, before[i].state);
    EXPECT_EQ(after[i].attempts, before[i].attempts);
    EXPECT_EQ(after[i].last_error, before[i].last_error);
    EXPECT_EQ(after[i].next_attempt_at, before[i].next_attempt_at);
    EXPECT_EQ(after[i].delivered_at, before[i].delivered_at);
    EXPECT_EQ(after[i].dead_reason, before[i].dead_reason);
  }
  EXPECT_EQ(next("a")->body, "<alert>2 黄色预警</alert>");
}

TEST_F(DeliveryStoreTest, ListFiltersAndPages) {
  ASSERT_TRUE(store_->enqueue({pub(1, {"a", "b"}), pub(2, {"a", "b"}), pub(3, {"a"})}, 3).is_ok());
  ASSERT_TRUE(store_->mark_dead("a.2", "HTTP 400", true).is_ok());
  EXPECT_EQ(all("a").size(), 3u);
  EXPECT_EQ(all("b").size(), 2u);
  auto dead = all("", DeliveryState::kDead);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].delivery_id, "a.2");
  auto page = store_->list("a", std::nullopt, 1, 1);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].seq, 2u);
  EXPECT_EQ(store_->list("a", std::nullopt, 0).status().field(), "limit");
  EXPECT_EQ(store_->list("a", std::nullopt, 10001).status().field(), "limit");
}

TEST_F(DeliveryStoreTest, CountsByStatePerSubscriber) {
  ASSERT_TRUE(store_->enqueue({pub(1, {"a", "b"}), pub(2, {"a", "b"}), pub(3, {"a"})}, 3).is_ok());
  ASSERT_TRUE(store_->mark_delivered("a.1").is_ok());
  ASSERT_TRUE(store_->mark_dead("a.2", "HTTP 400", true).is_ok());
  ASSERT_TRUE(store_->mark_delivered("b.1").is_ok());
  ASSERT_TRUE(store_->mark_delivered("b.2").is_ok());
  auto c = store_->counts();
  ASSERT_TRUE(c) << c.status().to_string();
  ASSERT_EQ(c->size(), 2u);
  const auto& a = c->at("a");
  EXPECT_EQ(a.pending, 1);
  EXPECT_EQ(a.delivered, 1);
  EXPECT_EQ(a.dead, 1);
  ASSERT_TRUE(a.oldest_pending);
  EXPECT_EQ(a.oldest_pending->delivery_id, "a.3");
  const auto& b = c->at("b");
  EXPECT_EQ(b.pending, 0);
  EXPECT_EQ(b.delivered, 2);
  EXPECT_FALSE(b.oldest_pending);
}

TEST_F(DeliveryStoreTest, PruneDropsOldDeliveredAndTheirBodies) {
  ASSERT_TRUE(store_->enqueue({pub(1, {"a"}), pub(2, {"a", "b"}), pub(3, {"a"})}, 3).is_ok());
  ASSERT_TRUE(store_->mark_delivered("a.1").is_ok());
  ASSERT_TRUE(store_->mark_delivered("a.2").is_ok());
  clock_.advance(seconds(100));
  ASSERT_TRUE(store_->mark_delivered("a.3").is_ok());
  auto pruned = store_->prune_delivered(kT0 + seconds(50));
  ASSERT_TRUE(pruned) << pruned.status().to_string();
  EXPECT_EQ(*pruned, 2);
  auto left = all();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].delivery_id, "b.2");  // its publication stays for b
  EXPECT_EQ(left[1].delivery_id, "a.3");
  EXPECT_EQ(next("b")->body, "<alert>2 黄色预警</alert>");
  // The pruned publication may be handed over again (a replay) without harm.
  ASSERT_TRUE(store_->enqueue({pub(1, {"a"})}, 3).is_ok());
}

TEST(DeliveryStoreOpen, RefusesFilesThatAreNotDeliveryStores) {
  litedb::testing::TempDir dir;
  core::FakeClock clock{kT0};
  { std::ofstream(dir.file("garbage.db")) << std::string(4096, 'x'); }
  auto g = DeliveryStore::open(dir.file("garbage.db"), clock);
  ASSERT_FALSE(g);
  EXPECT_EQ(g.status().code(), core::Code::kDataLoss) << g.status().to_string();
  EXPECT_NE(g.status().message().find("garbage.db"), std::string::npos);

  {
    auto other = litedb::Db::open(dir.file("other.db"));
    ASSERT_TRUE(other);
    ASSERT_TRUE((*other)->exec("CREATE TABLE t(x)", "creating a table").is_ok());
  }
  auto o = DeliveryStore::open(dir.file("other.db"), clock);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.status().code(), core::Code::kDataLoss) << o.status().to_string();
  EXPECT_NE(o.status().message().find("not a delivery store"), std::string::npos);

  auto missing_dir = DeliveryStore::open(dir.file("no/such/dir/deliveries.db"), clock);
  ASSERT_FALSE(missing_dir);
  EXPECT_EQ(missing_dir.status().code(), core::Code::kUnavailable);
}

}  // namespace
}  // namespace liandong::webhooks
