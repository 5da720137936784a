#include "stats/fact_store.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>

#include "stats/internal/index.h"
#include "litedb/db.h"

namespace liandong::stats {

using litedb::Db;
using litedb::Stmt;

namespace {

constexpr int kSchemaVersion = 1;
constexpr char kSeparator = '\n';  // between agency ids in the agencies column (validated out)

constexpr const char* kColumns =
    "id, jurisdiction, category, type, grade, agencies, opened_at, closed_at, cancelled, exercise, "
    "deaths, injuries, missing, affected, direct_loss_yuan, dispatch_ms, arrival_ms, reports_due, "
    "reports_on_time, reports_late, report_delay_ms";

core::Status migrate(Db& db) {
  auto v = db.prepare("PRAGMA user_version", "reading the schema version");
  if (!v) return v.status();
  auto row = v->step("reading the schema version");
  if (!row) return row.status();
  const int64_t version = *row ? v->int64(0) : 0;
  if (version == kSchemaVersion) return core::Status::ok();
  if (version != 0)
    return {core::Code::kDataLoss, "stats store " + db.path() + " has schema version " +
                                       std::to_string(version) + ", this build knows " +
                                       std::to_string(kSchemaVersion)};
  return db.exec(
      "BEGIN IMMEDIATE;"
      "CREATE TABLE IF NOT EXISTS facts ("
      " id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL, category TEXT NOT NULL,"
      " type TEXT NOT NULL, grade TEXT NOT NULL, agencies TEXT NOT NULL,"
      " opened_at INTEGER NOT NULL, closed_at INTEGER, cancelled INTEGER NOT NULL,"
      " exercise INTEGER NOT NULL, deaths INTEGER NOT NULL, injuries INTEGER NOT NULL,"
      " missing INTEGER NOT NULL, affected INTEGER NOT NULL, direct_loss_yuan INTEGER NOT NULL,"
      " dispatch_ms INTEGER, arrival_ms INTEGER, reports_due INTEGER NOT NULL,"
      " reports_on_time INTEGER NOT NULL, reports_late INTEGER NOT NULL,"
      " report_delay_ms INTEGER NOT NULL);"
      "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
      "INSERT OR IGNORE INTO meta VALUES ('cursor', 0);"
      "PRAGMA user_version = 1;"
      "COMMIT;",
      "creating the tables");
}

std::string join_agencies(const std::vector<std::string>& agencies) {
  std::string s;
  for (size_t i = 0; i < agencies.size(); ++i) {
    if (i) s += kSeparator;
    s += agencies[i];
  }
  return s;
}

std::vector<std::string> split_agencies(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t end = s.find(kSeparator, start);
    out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

void bind_fact(Stmt& st, const Fact& f) {
  st.bind(1, f.id).bind(2, f.jurisdiction).bind(3, f.category).bind(4, f.type).bind(5, f.grade);
  st.bind(6, join_agencies(f.agencies)).bind(7, core::to_unix_millis(f.opened_at));
  if (f.closed_at) st.bind(8, core::to_unix_millis(*f.closed_at));
  else st.bind_null(8);
  st.bind(9, int64_t{f.cancelled}).bind(10, int64_t{f.exercise});
  st.bind(11, f.deaths).bind(12, f.injuries).bind(13, f.missing).bind(14, f.affected);
  st.bind(15, f.direct_loss_yuan);
  if (f.dispatch_ms) st.bind(16, *f.dispatch_ms);
  else st.bind_null(16);
  if (f.arrival_ms) st.bind(17, *f.arrival_ms);
  else st.bind_null(17);
  st.bind(18, int64_t{f.reports_due}).bind(19, int64_t{f.reports_on_time});
  st.bind(20, int64_t{f.reports_late}).bind(21, f.report_delay_ms);
}

Fact read_fact(const Stmt& st) {
  Fact f;
  f.id = st.text(0);
  f.jurisdiction = st.text(1);
  f.category = st.text(2);
  f.type = st.text(3);
  f.grade = st.text(4);
  f.agencies = split_agencies(st.text(5));
  f.opened_at = core::from_unix_millis(st.int64(6));
  if (!st.is_null(7)) f.closed_at = core::from_unix_millis(st.int64(7));
  f.cancelled = st.int64(8) != 0;
  f.exercise = st.int64(9) != 0;
  f.deaths = st.int64(10);
  f.injuries = st.int64(11);
  f.missing = st.int64(12);
  f.affected = st.int64(13);
  f.direct_loss_yuan = st.int64(14);
  if (!st.is_null(15)) f.dispatch_ms = st.int64(15);
  if (!st.is_null(16)) f.arrival_ms = st.int64(16);
  f.reports_due = static_cast<int32_t>(st.int64(17));
  f.reports_on_time = static_cast<int32_t>(st.int64(18));
  f.reports_late = static_cast<int32_t>(st.int64(19));
  f.report_delay_ms = st.int64(20);
  return f;
}

}  // namespace

struct FactStore::State {
  std::unique_ptr<Db> db;
  std::mutex write_mu;                 // one upsert at a time (the Db is not thread-safe)
  mutable std::shared_mutex index_mu;  // readers: queries; writer: applying a committed batch
  internal::Index index;
  std::atomic<uint64_t> cursor{0};
  std::optional<Stmt> upsert, set_cursor;  // prepared once at open; used under write_mu
};

FactStore::FactStore(std::unique_ptr<State> s) : s_(std::move(s)) {}
FactStore::~FactStore() = default;

core::Result<std::unique_ptr<FactStore>> FactStore::open(const std::string& path) {
  auto db = Db::open(path, "stats store");
  if (!db) return db.status();
  auto s = std::make_unique<State>();
  s->db = std::move(*db);
  // NORMAL, not FULL: the facts are derived from the journal, and the cursor is committed with them.
  // A crash may lose the last transactions but never tears one; the cursor then lags and the
  // feeder writes the incidents again from the engine's state at start. This spares an fsync per
  // committed batch of the node's (docs/STATS.md).
  LD_RETURN_IF_ERROR(s->db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                                 "setting the journal mode"));
  LD_RETURN_IF_ERROR(migrate(*s->db));
  {
    const std::string insert = std::string("INSERT INTO facts (") + kColumns +
        ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET jurisdiction=excluded.jurisdiction,"
        " category=excluded.category, type=excluded.type,"
        " grade=excluded.grade, agencies=excluded.agencies,"
        " opened_at=excluded.opened_at, closed_at=excluded.closed_at,"
        " cancelled=excluded.cancelled, exercise=excluded.exercise,"
        " deaths=excluded.deaths, injuries=excluded.injuries,"
        " missing=excluded.missing, affected=excluded.affected,"
        " direct_loss_yuan=excluded.direct_loss_yuan,"
        " dispatch_ms=excluded.dispatch_ms, arrival_ms=excluded.arrival_ms,"
        " reports_due=excluded.reports_due,"
        " reports_on_time=excluded.reports_on_time,"
        " reports_late=excluded.reports_late,"
        " report_delay_ms=excluded.report_delay_ms";
    auto ins = s->db->prepare(insert.c_str(), "preparing the fact upsert");
    if (!ins) return ins.status();
    s->upsert.emplace(std::move(*ins));
    auto cur = s->db->prepare("UPDATE meta SET value = ? WHERE key = 'cursor'", "preparing the cursor update");
    if (!cur) return cur.status();
    s->set_cursor.emplace(std::move(*cur));
  }
  {
    auto st = s->db->prepare("SELECT value FROM meta WHERE key = 'cursor'", "reading the cursor");
    if (!st) return st.status();
    auto row = st->step("reading the cursor");
    if (!row) return row.status();
    if (*row) s->cursor = static_cast<uint64_t>(st->int64(0));
  }
  const std::string select = std::string("SELECT ") + kColumns + " FROM facts ORDER BY rowid";
  auto st = s->db->prepare(select.c_str(), "loading the facts");
  if (!st) return st.status();
  for (;;) {
    auto row = st->step("loading the facts");
    if (!row) return row.status();
    if (!*row) break;
    Fact f = read_fact(*st);
    if (auto v = validate(f, "fact"); !v)
      return core::Status{core::Code::kDataLoss, "stats store " + path + ": stored fact '" +
                                                     f.id.substr(0, 64) +
                                                     "' is damaged: " + v.to_string()};
    s->index.apply(f);
  }
  return std::unique_ptr<FactStore>(new FactStore(std::move(s)));
}

core::Status FactStore::upsert(const std::vector<Fact>& facts, uint64_t cursor) {
  for (size_t i = 0; i < facts.size(); ++i)
    LD_RETURN_IF_ERROR(validate(facts[i], "facts[" + std::to_string(i) + "]"));
  std::lock_guard write(s_->write_mu);
  const uint64_t stored = s_->cursor.load();
  if (cursor < stored)
    return core::conflict("cursor " + std::to_string(cursor) + " is below the stored cursor " +
                              std::to_string(stored),
                          "cursor");
  Db& db = *s_->db;
  {
    litedb::Transaction tx(db);
    LD_RETURN_IF_ERROR(tx.begin());
    for (const Fact& f : facts) {
      bind_fact(*s_->upsert, f);
      LD_RETURN_IF_ERROR(s_->upsert->run("writing fact " + f.id.substr(0, 64)));
    }
    s_->set_cursor->bind(1, static_cast<int64_t>(cursor));
    LD_RETURN_IF_ERROR(s_->set_cursor->run("writing the cursor"));
    LD_RETURN_IF_ERROR(tx.commit());
  }
  std::unique_lock lock(s_->index_mu);
  for (const Fact& f : facts) s_->index.apply(f);
  s_->cursor = cursor;
  return core::Status::ok();
}

uint64_t FactStore::cursor() const { return s_->cursor.load(); }

size_t FactStore::size() const {
  std::shared_lock lock(s_->index_mu);
  return s_->index.size();
}

std::optional<Fact> FactStore::get(const std::string& id) const {
  std::shared_lock lock(s_->index_mu);
  return s_->index.get(id);
}

core::Result<Result> FactStore::query(const Query& q) const {
  LD_RETURN_IF_ERROR(validate(q));
  std::shared_lock lock(s_->index_mu);
  return s_->index.run(q);
}

}  // namespace liandong::stats
