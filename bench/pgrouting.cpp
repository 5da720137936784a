#include "pgrouting.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace liandong::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string field(const std::string& line, const std::string& name) {
  const auto at = line.find(name + "=");
  if (at == std::string::npos) return {};
  const auto from = at + name.size() + 1;
  // conninfo= is last on the line and holds spaces; dir= is one word.
  if (name == "conninfo") return line.substr(from);
  return line.substr(from, line.find(' ', from) - from);
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

}  // namespace

PgServer::PgServer(const std::string& script) : script_(script) {
  const std::string cmd = script + " start --owner-pid " + std::to_string(::getpid());
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + script);
  std::string out;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) out += buf.data();
  const int status = ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  dir_ = field(out, "dir");
  conninfo_ = field(out, "conninfo");
  if (status != 0 || dir_.empty() || conninfo_.empty())
    throw std::runtime_error(script + " start failed (status " + std::to_string(status) + ")");
}

PgServer::~PgServer() {
  const std::string cmd = script_ + " stop '" + dir_ + "'";
  if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "warning: %s failed\n", cmd.c_str());
}

PgRouting::PgRouting(const std::string& conninfo) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw std::runtime_error("PostgreSQL: " + message);
  }
  exec("SET client_min_messages = warning");
}

PgRouting::~PgRouting() {
  if (conn_ != nullptr) PQfinish(conn_);
}

void PgRouting::exec(const std::string& sql) {
  Result r(PQexec(conn_, sql.c_str()));
  const auto st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    throw std::runtime_error("PostgreSQL: " + sql.substr(0, 80) + ": " + PQerrorMessage(conn_));
}

std::string PgRouting::version() {
  Result r(PQexec(conn_, "SELECT pgr_version()"));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) != 1)
    throw std::runtime_error(std::string("PostgreSQL: pgr_version(): ") + PQerrorMessage(conn_));
  return PQgetvalue(r.get(), 0, 0);
}

double PgRouting::load_edges(const routing::Graph& graph) {
  const auto t0 = Clock::now();
  exec("DROP TABLE IF EXISTS edges");
  exec("CREATE UNLOGGED TABLE edges (id bigint, source bigint, target bigint, cost float8)");
  {
    Result r(PQexec(conn_, "COPY edges (id, source, target, cost) FROM STDIN"));
    if (PQresultStatus(r.get()) != PGRES_COPY_IN)
      throw std::runtime_error(std::string("PostgreSQL: COPY: ") + PQerrorMessage(conn_));
  }
  std::string chunk;
  char line[96];
  auto flush = [&] {
    if (PQputCopyData(conn_, chunk.data(), static_cast<int>(chunk.size())) != 1)
      throw std::runtime_error(std::string("PostgreSQL: COPY data: ") + PQerrorMessage(conn_));
    chunk.clear();
  };
  for (routing::NodeId u = 0; u < graph.node_count(); ++u) {
    for (uint32_t a = graph.first_out[u]; a < graph.first_out[u + 1]; ++a) {
      const int n = std::snprintf(line, sizeof line, "%u\t%u\t%u\t%u\n", a + 1, u + 1,
                                  graph.head[a] + 1, graph.time_ms[a]);
      chunk.append(line, static_cast<size_t>(n));
      if (chunk.size() > (1u << 20)) flush();
    }
  }
  if (!chunk.empty()) flush();
  if (PQputCopyEnd(conn_, nullptr) != 1)
    throw std::runtime_error(std::string("PostgreSQL: COPY end: ") + PQerrorMessage(conn_));
  Result end(PQgetResult(conn_));
  if (PQresultStatus(end.get()) != PGRES_COMMAND_OK)
    throw std::runtime_error(std::string("PostgreSQL: COPY: ") + PQerrorMessage(conn_));
  while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
  exec("CREATE INDEX ON edges (source)");
  exec("CREATE INDEX ON edges (target)");
  exec("ANALYZE edges");
  return seconds_since(t0);
}

uint32_t PgRouting::per_source(routing::NodeId source, routing::NodeId target, double* seconds) {
  static const char* kSql =
      "SELECT agg_cost FROM pgr_dijkstraCost('SELECT id, source, target, cost FROM edges', "
      "$1::bigint, $2::bigint, directed := true)";
  const std::string s = std::to_string(uint64_t{source} + 1),
                    t = std::to_string(uint64_t{target} + 1);
  const char* params[2] = {s.c_str(), t.c_str()};
  const auto t0 = Clock::now();
  Result r(PQexecParams(conn_, kSql, 2, nullptr, params, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK)
    throw std::runtime_error(std::string("PostgreSQL: pgr_dijkstraCost: ") + PQerrorMessage(conn_));
  uint32_t cost = routing::kInfinity;
  if (PQntuples(r.get()) == 1)
    cost = static_cast<uint32_t>(std::llround(std::strtod(PQgetvalue(r.get(), 0, 0), nullptr)));
  *seconds = seconds_since(t0);
  if (source == target) cost = 0;  // pgRouting returns no row for a path from a vertex to itself
  return cost;
}

double PgRouting::one_to_many(routing::NodeId target, const std::vector<routing::NodeId>& sources,
                              std::vector<std::pair<routing::NodeId, uint32_t>>& out) {
  static const char* kSql =
      "SELECT end_vid, agg_cost FROM pgr_dijkstraCost("
      "'SELECT id, target AS source, source AS target, cost FROM edges', "
      "$1::bigint, $2::bigint[], directed := true)";
  const std::string t = std::to_string(uint64_t{target} + 1);
  std::string array = "{";
  for (size_t i = 0; i < sources.size(); ++i) {
    if (i > 0) array += ',';
    array += std::to_string(uint64_t{sources[i]} + 1);
  }
  array += '}';
  const char* params[2] = {t.c_str(), array.c_str()};
  out.clear();
  const auto t0 = Clock::now();
  Result r(PQexecParams(conn_, kSql, 2, nullptr, params, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK)
    throw std::runtime_error(std::string("PostgreSQL: pgr_dijkstraCost: ") + PQerrorMessage(conn_));
  const int rows = PQntuples(r.get());
  out.reserve(static_cast<size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    const auto node =
        static_cast<routing::NodeId>(std::strtoull(PQgetvalue(r.get(), i, 0), nullptr, 10) - 1);
    const auto cost =
        static_cast<uint32_t>(std::llround(std::strtod(PQgetvalue(r.get(), i, 1), nullptr)));
    out.emplace_back(node, cost);
  }
  return seconds_since(t0);
}

}  // namespace liandong::bench
