#include "webhooks/delivery_store.h"

#include <algorithm>

#include "litedb/db.h"

namespace liandong::webhooks {
namespace {

using litedb::Db;
using litedb::Stmt;

constexpr int64_t kSchemaVersion = 1;
constexpr size_t kMaxBody = 10 * 1024 * 1024;

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta(key, value) VALUES ('cursor', 0);
CREATE TABLE publications(
  seq INTEGER PRIMARY KEY,
  alert_id TEXT NOT NULL,
  body BLOB NOT NULL,
  content_type TEXT NOT NULL,
  published_at INTEGER NOT NULL);
CREATE TABLE deliveries(
  delivery_id TEXT PRIMARY KEY,
  subscriber_id TEXT NOT NULL,
  seq INTEGER NOT NULL REFERENCES publications(seq),
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  delivered_at INTEGER,
  dead_reason TEXT NOT NULL DEFAULT '',
  retried_at INTEGER,
  UNIQUE(subscriber_id, seq));
CREATE INDEX deliveries_by_subscriber ON deliveries(subscriber_id, state, seq);
CREATE INDEX deliveries_by_seq ON deliveries(seq);
PRAGMA user_version = 1;
)sql";

// Columns read by read_delivery, in order; deliveries joined with publications.
#define LD_DELIVERY_COLUMNS                                                                \
  "d.delivery_id, d.subscriber_id, p.alert_id, d.seq, d.state, d.attempts, d.last_error, " \
  "d.created_at, d.next_attempt_at, d.delivered_at, d.dead_reason, p.published_at, d.retried_at"

core::Timestamp at(int64_t ms) { return core::from_unix_millis(ms); }

Delivery read_delivery(const Stmt& s) {
  Delivery d;
  d.delivery_id = s.text(0);
  d.subscriber_id = s.text(1);
  d.alert_id = s.text(2);
  d.seq = static_cast<uint64_t>(s.int64(3));
  auto state = parse_state(s.text(4));
  d.state = state ? *state : DeliveryState::kDead;
  d.attempts = static_cast<int>(s.int64(5));
  d.last_error = s.text(6);
  d.created_at = at(s.int64(7));
  d.next_attempt_at = at(s.int64(8));
  if (!s.is_null(9)) d.delivered_at = at(s.int64(9));
  d.dead_reason = s.text(10);
  d.published_at = at(s.int64(11));
  if (!s.is_null(12)) d.retried_at = at(s.int64(12));
  return d;
}

core::Status check_text(std::string_view text, size_t max, std::string_view what,
                        const std::string& field) {
  if (text.empty()) return core::invalid(std::string(what) + " is empty", field);
  if (text.size() > max)
    return core::invalid(std::string(what) + " is longer than " + std::to_string(max) + " bytes",
                         field);
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f)
      return core::invalid(std::string(what) + " holds a control character", field);
  return core::Status::ok();
}

core::Status check_publication(const Publication& p, uint64_t cursor, const std::string& at) {
  if (p.seq == 0) return core::invalid("seq must be positive", at + "seq");
  if (p.seq > cursor)
    return core::invalid("seq " + std::to_string(p.seq) + " is after the cursor " +
                             std::to_string(cursor) + " handed over with it",
                         at + "seq");
  LD_RETURN_IF_ERROR(check_text(p.alert_id, 256, "alert id", at + "alert_id"));
  LD_RETURN_IF_ERROR(check_text(p.content_type, 256, "content type", at + "content_type"));
  if (p.body.size() > kMaxBody)
    return {core::Code::kTooLarge,
            "body of alert " + p.alert_id + " is " + std::to_string(p.body.size()) +
                " bytes, over the " + std::to_string(kMaxBody) + " allowed",
            at + "body"};
  for (size_t i = 0; i < p.subscriber_ids.size(); ++i)
    LD_RETURN_IF_ERROR(
        check_subscriber_id(p.subscriber_ids[i], at + "subscriber_ids[" + std::to_string(i) + "]"));
  return core::Status::ok();
}

core::Result<int64_t> user_version(Db& db) {
  auto s = db.prepare("PRAGMA user_version", "reading the schema version");
  if (!s) return s.status();
  auto row = s->step("reading the schema version");
  if (!row) return row.status();
  return *row ? s->int64(0) : 0;
}

core::Status create_or_check_schema(Db& db) {
  auto version = user_version(db);
  if (!version) return version.status();
  if (*version == kSchemaVersion) return core::Status::ok();
  if (*version > kSchemaVersion)
    return core::conflict("delivery store " + db.path() + " has schema version " +
                          std::to_string(*version) + ", newer than this program's " +
                          std::to_string(kSchemaVersion));
  {
    auto tables = db.prepare("SELECT count(*) FROM sqlite_master", "reading the schema");
    if (!tables) return tables.status();
    auto row = tables->step("reading the schema");
    if (!row) return row.status();
    if (tables->int64(0) != 0)
      return {core::Code::kDataLoss,
              "file " + db.path() + " is a SQLite database but not a delivery store"};
  }
  litedb::Transaction tx(db);
  LD_RETURN_IF_ERROR(tx.begin());
  LD_RETURN_IF_ERROR(db.exec(kSchema, "creating the schema"));
  return tx.commit();
}

}  // namespace

DeliveryStore::DeliveryStore(std::unique_ptr<litedb::Db> db, const core::Clock& clock)
    : db_(std::move(db)), clock_(clock) {}
DeliveryStore::~DeliveryStore() = default;

const std::string& DeliveryStore::path() const { return db_->path(); }

core::Result<std::unique_ptr<DeliveryStore>> DeliveryStore::open(const std::string& path,
                                                                 const core::Clock& clock) {
  auto db = Db::open(path, "delivery store");
  if (!db) return db.status();
  {
    auto mode = (*db)->prepare("PRAGMA journal_mode=WAL", "switching to WAL");
    if (!mode) return mode.status();
    auto row = mode->step("switching to WAL");
    if (!row) return row.status();
    if (!*row || mode->text(0) != "wal")
      return core::unavailable("delivery store " + path + ": cannot use WAL mode");
  }
  LD_RETURN_IF_ERROR(
      (*db)->exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", "setting pragmas"));
  LD_RETURN_IF_ERROR(create_or_check_schema(**db));
  return std::unique_ptr<DeliveryStore>(new DeliveryStore(std::move(*db), clock));
}

core::Status DeliveryStore::enqueue(const std::vector<Publication>& publications, uint64_t cursor) {
  if (cursor > static_cast<uint64_t>(INT64_MAX))
    return core::invalid("cursor is too large", "cursor");
  for (size_t i = 0; i < publications.size(); ++i)
    LD_RETURN_IF_ERROR(
        check_publication(publications[i], cursor, "publications[" + std::to_string(i) + "]."));
  std::lock_guard lock(mu_);
  const int64_t now = core::to_unix_millis(clock_.now());
  litedb::Transaction tx(*db_);
  LD_RETURN_IF_ERROR(tx.begin());
  auto add_pub = db_->prepare(
      "INSERT OR IGNORE INTO publications(seq, alert_id, body, content_type, published_at) "
      "VALUES (?, ?, CAST(? AS BLOB), ?, ?)",
      "adding a publication");
  if (!add_pub) return add_pub.status();
  auto find_pub =
      db_->prepare("SELECT alert_id FROM publications WHERE seq = ?", "reading a publication");
  if (!find_pub) return find_pub.status();
  auto add_delivery = db_->prepare(
      "INSERT OR IGNORE INTO deliveries(delivery_id, subscriber_id, seq, state, created_at, "
      "next_attempt_at) VALUES (?, ?, ?, 'pending', ?, ?)",
      "adding a delivery");
  if (!add_delivery) return add_delivery.status();
  for (size_t i = 0; i < publications.size(); ++i) {
    const Publication& p = publications[i];
    if (p.subscriber_ids.empty()) continue;
    const auto seq = static_cast<int64_t>(p.seq);
    add_pub->bind(1, seq).bind(2, p.alert_id).bind(3, p.body).bind(4, p.content_type);
    add_pub->bind(5, core::to_unix_millis(p.published_at));
    LD_RETURN_IF_ERROR(add_pub->run("adding a publication"));
    find_pub->bind(1, seq);
    auto found = find_pub->step("reading a publication");
    if (!found) return found.status();
    std::string stored = *found ? find_pub->text(0) : std::string();
    find_pub->reset();
    if (stored != p.alert_id)
      return core::invalid("seq " + std::to_string(p.seq) + " was enqueued for alert " + stored +
                               ", not " + p.alert_id,
                           "publications[" + std::to_string(i) + "].alert_id");
    for (const std::string& sub : p.subscriber_ids) {
      add_delivery->bind(1, delivery_id_for(sub, p.seq)).bind(2, sub).bind(3, seq);
      add_delivery->bind(4, now).bind(5, now);
      LD_RETURN_IF_ERROR(add_delivery->run("adding a delivery"));
    }
  }
  auto set_cursor = db_->prepare("UPDATE meta SET value = max(value, ?) WHERE key = 'cursor'",
                                 "writing the cursor");
  if (!set_cursor) return set_cursor.status();
  set_cursor->bind(1, static_cast<int64_t>(cursor));
  LD_RETURN_IF_ERROR(set_cursor->run("writing the cursor"));
  return tx.commit();
}

core::Result<uint64_t> DeliveryStore::cursor() const {
  std::lock_guard lock(mu_);
  auto s = db_->prepare("SELECT value FROM meta WHERE key = 'cursor'", "reading the cursor");
  if (!s) return s.status();
  auto row = s->step("reading the cursor");
  if (!row) return row.status();
  if (!*row)
    return core::Status{core::Code::kDataLoss,
                        "delivery store " + db_->path() + " has lost its cursor row"};
  return static_cast<uint64_t>(s->int64(0));
}

core::Result<std::optional<Outgoing>> DeliveryStore::oldest_pending(
    const std::string& subscriber_id) const {
  std::lock_guard lock(mu_);
  auto s = db_->prepare("SELECT " LD_DELIVERY_COLUMNS
                        ", p.body, p.content_type FROM deliveries d JOIN publications p "
                        "ON p.seq = d.seq WHERE d.subscriber_id = ? AND d.state = 'pending' "
                        "ORDER BY d.seq LIMIT 1",
                        "reading the next delivery");
  if (!s) return s.status();
  s->bind(1, subscriber_id);
  auto row = s->step("reading the next delivery");
  if (!row) return row.status();
  if (!*row) return std::optional<Outgoing>();
  Outgoing out;
  out.delivery = read_delivery(*s);
  out.body = s->text(13);
  out.content_type = s->text(14);
  return std::optional<Outgoing>(std::move(out));
}

namespace {

core::Result<std::optional<Delivery>> find(const Db& db, const std::string& delivery_id) {
  auto s = db.prepare("SELECT " LD_DELIVERY_COLUMNS
                      " FROM deliveries d JOIN publications p ON p.seq = d.seq "
                      "WHERE d.delivery_id = ?",
                      "reading a delivery");
  if (!s) return s.status();
  s->bind(1, delivery_id);
  auto row = s->step("reading a delivery");
  if (!row) return row.status();
  if (!*row) return std::optional<Delivery>();
  return std::optional<Delivery>(read_delivery(*s));
}

// After an UPDATE ... WHERE state = `wanted` changed nothing: why.
core::Status explain_no_change(const Db& db, const std::string& delivery_id, const char* wanted) {
  auto d = find(db, delivery_id);
  if (!d) return d.status();
  if (!*d) return core::not_found("no delivery " + delivery_id);
  return core::conflict(
      "delivery " + delivery_id + " is " + state_name((*d)->state) + ", not " + wanted,
      "delivery_id");
}

}  // namespace

core::Result<Delivery> DeliveryStore::get(const std::string& delivery_id) const {
  std::lock_guard lock(mu_);
  auto d = find(*db_, delivery_id);
  if (!d) return d.status();
  if (!*d) return core::not_found("no delivery " + delivery_id);
  return std::move(**d);
}

core::Status DeliveryStore::finish_pending(const std::string& delivery_id, const char* sql,
                                           const std::string& text, int64_t time,
                                           std::string_view what) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare(sql, what);
  if (!s) return s.status();
  s->bind(1, text).bind(2, time).bind(3, delivery_id);
  LD_RETURN_IF_ERROR(s->run(what));
  if (db_->changes() == 0) return explain_no_change(*db_, delivery_id, "pending");
  return core::Status::ok();
}

core::Status DeliveryStore::mark_delivered(const std::string& delivery_id) {
  return finish_pending(delivery_id,
                        "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, "
                        "delivered_at = ?2 WHERE delivery_id = ?3 AND state = 'pending'",
                        "", core::to_unix_millis(clock_.now()), "marking a delivery delivered");
}

core::Status DeliveryStore::record_failure(const std::string& delivery_id, const std::string& error,
                                           core::Timestamp next_attempt_at) {
  return finish_pending(delivery_id,
                        "UPDATE deliveries SET attempts = attempts + 1, last_error = ?1, "
                        "next_attempt_at = ?2 WHERE delivery_id = ?3 AND state = 'pending'",
                        error, core::to_unix_millis(next_attempt_at), "recording a failed attempt");
}

core::Status DeliveryStore::mark_dead(const std::string& delivery_id, const std::string& reason,
                                      bool attempted) {
  return finish_pending(
      delivery_id,
      attempted ? "UPDATE deliveries SET state = 'dead', attempts = attempts + 1, "
                  "dead_reason = ?1, last_error = ?1, next_attempt_at = ?2 "
                  "WHERE delivery_id = ?3 AND state = 'pending'"
                : "UPDATE deliveries SET state = 'dead', dead_reason = ?1, next_attempt_at = ?2 "
                  "WHERE delivery_id = ?3 AND state = 'pending'",
      reason, core::to_unix_millis(clock_.now()), "marking a delivery dead");
}

core::Status DeliveryStore::retry(const std::string& delivery_id) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare(
      "UPDATE deliveries SET state = 'pending', attempts = 0, "
      "last_error = 'retried by an operator; was dead: ' || dead_reason, dead_reason = '', "
      "next_attempt_at = ?1, retried_at = ?1 WHERE delivery_id = ?2 AND state = 'dead'",
      "retrying a delivery");
  if (!s) return s.status();
  s->bind(1, core::to_unix_millis(clock_.now())).bind(2, delivery_id);
  LD_RETURN_IF_ERROR(s->run("retrying a delivery"));
  if (db_->changes() == 0) return explain_no_change(*db_, delivery_id, "dead");
  return core::Status::ok();
}

core::Result<std::vector<Delivery>> DeliveryStore::list(const std::string& subscriber_id,
                                                        std::optional<DeliveryState> state,
                                                        size_t limit, uint64_t after_seq) const {
  if (limit < 1 || limit > 10000)
    return core::invalid("limit " + std::to_string(limit) + " is not from 1 to 10000", "limit");
  if (after_seq > static_cast<uint64_t>(INT64_MAX))
    return core::invalid("after_seq is too large", "after_seq");
  std::lock_guard lock(mu_);
  auto s = db_->prepare("SELECT " LD_DELIVERY_COLUMNS
                        " FROM deliveries d JOIN publications p ON p.seq = d.seq "
                        "WHERE (?1 = '' OR d.subscriber_id = ?1) AND (?2 = '' OR d.state = ?2) "
                        "AND d.seq > ?3 ORDER BY d.seq, d.subscriber_id LIMIT ?4",
                        "listing deliveries");
  if (!s) return s.status();
  s->bind(1, subscriber_id).bind(2, state ? state_name(*state) : "");
  s->bind(3, static_cast<int64_t>(after_seq)).bind(4, static_cast<int64_t>(limit));
  std::vector<Delivery> out;
  for (;;) {
    auto row = s->step("listing deliveries");
    if (!row) return row.status();
    if (!*row) break;
    out.push_back(read_delivery(*s));
  }
  return out;
}

core::Result<std::map<std::string, SubscriberCounts>> DeliveryStore::counts() const {
  std::map<std::string, SubscriberCounts> out;
  {
    std::lock_guard lock(mu_);
    auto s = db_->prepare(
        "SELECT subscriber_id, state, count(*) FROM deliveries GROUP BY subscriber_id, state",
        "counting deliveries");
    if (!s) return s.status();
    for (;;) {
      auto row = s->step("counting deliveries");
      if (!row) return row.status();
      if (!*row) break;
      SubscriberCounts& c = out[s->text(0)];
      std::string state = s->text(1);
      int64_t n = s->int64(2);
      if (state == "pending")
        c.pending = n;
      else if (state == "delivered")
        c.delivered = n;
      else
        c.dead = n;
    }
  }
  for (auto& [id, c] : out) {
    if (c.pending == 0) continue;
    auto next = oldest_pending(id);
    if (!next) return next.status();
    if (*next) c.oldest_pending = std::move((*next)->delivery);
  }
  return out;
}

core::Result<int64_t> DeliveryStore::prune_delivered(core::Timestamp before) {
  std::lock_guard lock(mu_);
  litedb::Transaction tx(*db_);
  LD_RETURN_IF_ERROR(tx.begin());
  auto s = db_->prepare("DELETE FROM deliveries WHERE state = 'delivered' AND delivered_at < ?",
                        "pruning deliveries");
  if (!s) return s.status();
  s->bind(1, core::to_unix_millis(before));
  LD_RETURN_IF_ERROR(s->run("pruning deliveries"));
  int64_t pruned = db_->changes();
  LD_RETURN_IF_ERROR(
      db_->exec("DELETE FROM publications WHERE seq NOT IN (SELECT seq FROM deliveries)",
                "pruning publications"));
  LD_RETURN_IF_ERROR(tx.commit());
  return pruned;
}

}  // namespace liandong::webhooks
