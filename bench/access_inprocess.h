// The in-process half of bench_access: the API's router, handlers and Auth on an engine over an
// in-memory journal, requests dispatched directly (no sockets), so that the cost of
// authentication and permission checks can be told apart from the rest of a list request.
//
// Two routers are built from the same handlers (api::add_routes): one behind Auth's guard (the
// real path: token parsing, keyed hash, session or key lookup, principal cache, CSRF check,
// per-principal rate limiter, route permission) and one whose guard only sets a pre-built
// principal ("no authentication"). Both keep the handlers' per-record permission filter, which is
// timed on its own (Principal::may per record x records scanned).
//
// Benchmark harness code: failures throw std::runtime_error. Single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace liandong::bench {

struct InProcessOptions {
  int incidents = 300;        // seeded, spread over the node's five counties
  int limit = 50;             // GET /api/v1/incidents?limit=N
  int requests = 1500;        // per variant per round, interleaved request by request
  int rounds = 7;             // figures are medians over rounds
};

struct InProcessVariant {
  std::string name;         // e.g. "list, session token"
  std::string reference;    // name of its no-authentication twin ("" for a reference itself)
  double mean_us = 0;       // CPU time per request (this thread), median over rounds
  double per_s = 0;         // 1e6 / mean_us: requests per second one core would serve
  double p50_us = 0, p99_us = 0;  // wall time, over every request of every round
  double overhead = 0;      // vs the reference: (with - without) / with, median of per-round pairs
  uint64_t requests = 0;
  size_t body_bytes = 0;    // of one answer
  size_t items = 0;         // in one answer
  size_t scanned = 0;       // records the list looked at (each one Principal::may)
  double may_ns = 0;        // one Principal::may("incident.read", record) for this caller
  double filter_us = 0;     // may_ns x scanned: the per-record permission filter of one request
};

struct InProcessResult {
  std::vector<InProcessVariant> variants;
  // CPU times:
  double guard_session_us = 0;  // Auth::guard alone on the list route, Bearer session token
  double guard_key_us = 0;      // same with an API key
  double keyed_hash_ns = 0;     // one access::keyed_hash of a token's secret part
  int incidents = 0;
  int rounds = 0;
};

InProcessResult run_in_process(const InProcessOptions& options);

}  // namespace liandong::bench
