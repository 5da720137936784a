#include "routing_measure.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <span>
#include <string>

#include "node_process.h"
#include "pgrouting.h"
#include "routing/ch_query.h"
#include "routing/dijkstra.h"
#include "routing/place.h"
#include "routing/source_index.h"

namespace liandong::bench {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
using routing::ContractionHierarchy;
using routing::Dijkstra;
using routing::Graph;
using routing::kInfinity;
using routing::NodeId;
using routing::Place;
using routing::ReverseIndex;
using routing::Seed;
using routing::SourceIndex;
using routing::SourceTime;
using Answer = std::vector<SourceTime>;

double us_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

// Runs f(i) for i < n and times each call. The first `warm` calls of the list's end run once
// untimed first (caches, page faults of the scratch arrays); they come round again only after
// n - warm other queries.
template <typename F>
Samples time_each(uint32_t n, uint32_t warm, F&& f) {
  warm = std::min(warm, n);
  for (uint32_t i = n - warm; i < n; ++i) f(i);
  Samples s;
  s.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    f(i);
    s.add(us_since(t0));
  }
  return s;
}

// time_each over `passes` passes of the same list (see Timing).
template <typename F>
Timing time_passes(uint32_t n, uint32_t warm, uint32_t passes, F&& f) {
  Timing t;
  t.passes = std::max(passes, 1u);
  t.first = time_each(n, warm, f);
  std::vector<double> best(n);
  for (uint32_t i = 0; i < n; ++i) best[i] = t.first[i];
  for (uint32_t p = 1; p < t.passes; ++p) {
    const Samples s = time_each(n, 0, f);
    for (uint32_t i = 0; i < n; ++i) best[i] = std::min(best[i], s[i]);
  }
  t.best.reserve(n);
  for (double v : best) t.best.add(v);
  return t;
}

// Baseline time / ours on the same first n queries.
json ratio(const Samples& baseline, const Samples& ours) {
  const Samples o = ours.first(baseline.size());
  return {{"p50", baseline.percentile(0.5) / o.percentile(0.5)},
          {"p99", baseline.percentile(0.99) / o.percentile(0.99)},
          {"mean", baseline.mean() / o.mean()},
          {"n", baseline.size()}};
}

// Random source nodes; 1% of the ids (at random) are "ladders", group 1 in the index.
struct SourceSet {
  std::vector<NodeId> node;     // by source id
  std::vector<uint8_t> ladder;  // by source id
  std::vector<uint32_t> first;  // CSR by node: the sources at each node (Dijkstra::nearest)
  std::vector<uint32_t> at;
  uint32_t size() const { return uint32_t(node.size()); }
};

SourceSet make_sources(uint32_t nodes, uint32_t count, std::mt19937_64& rng) {
  SourceSet s;
  s.node.resize(count);
  for (auto& v : s.node) v = NodeId(rng() % nodes);
  s.ladder.assign(count, 0);
  std::vector<uint32_t> ids(count);
  std::iota(ids.begin(), ids.end(), 0u);
  for (uint32_t i = 0; i < count / 100; ++i) {
    std::swap(ids[i], ids[i + rng() % (count - i)]);
    s.ladder[ids[i]] = 1;
  }
  s.first.assign(size_t(nodes) + 1, 0);
  for (NodeId v : s.node) ++s.first[v + 1];
  std::partial_sum(s.first.begin(), s.first.end(), s.first.begin());
  std::vector<uint32_t> pos(s.first.begin(), s.first.end() - 1);
  s.at.resize(count);
  for (uint32_t id = 0; id < count; ++id) s.at[pos[s.node[id]]++] = id;
  return s;
}

// The k least (time, id) among `times` (by source id), only ladders when `only` is set.
void pick(const std::vector<uint32_t>& times, const std::vector<uint8_t>* only, uint32_t k,
          Answer& out) {
  out.clear();
  for (uint32_t id = 0; id < times.size(); ++id) {
    if (times[id] != kInfinity && (only == nullptr || (*only)[id] != 0))
      out.push_back({id, times[id]});
  }
  const auto less = [](const SourceTime& a, const SourceTime& b) {
    return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.source < b.source;
  };
  const size_t keep = std::min<size_t>(k, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(), less);
  out.resize(keep);
}

// Writes a buffer larger than the caches, so what was just used is evicted. The buffer is freed
// again (a large block goes back to the system), so later RSS figures do not carry it.
void flush_caches() {
  std::vector<uint8_t> buffer(size_t{128} << 20, 1);
  volatile uint8_t sink = 0;
  for (size_t i = 0; i < buffer.size(); i += 4096) sink = sink + buffer[i];
}

void note(const std::string& what) {
  std::fprintf(stderr, "  %s\n", what.c_str());
  std::fflush(stderr);
}

uint64_t status_kb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string name;
  uint64_t value = 0;
  while (in >> name) {
    if (name == key) {
      in >> value;
      return value * 1024;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}

}  // namespace

double Samples::percentile(double q) const {
  if (us_.empty()) return 0;
  std::vector<double> sorted = us_;
  std::sort(sorted.begin(), sorted.end());
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

double Samples::mean() const {
  return us_.empty()
             ? 0
             : std::accumulate(us_.begin(), us_.end(), 0.0) / static_cast<double>(us_.size());
}

Samples Samples::first(size_t n) const {
  Samples s;
  s.us_.assign(us_.begin(), us_.begin() + static_cast<std::ptrdiff_t>(std::min(n, us_.size())));
  return s;
}

json Samples::summary() const {
  return {{"p50_us", percentile(0.5)},
          {"p99_us", percentile(0.99)},
          {"mean_us", mean()},
          {"n", size()}};
}

json Timing::summary() const {
  json j = first.summary();
  j["best_p50_us"] = best.percentile(0.5);
  j["best_p99_us"] = best.percentile(0.99);
  j["passes"] = passes;
  return j;
}

uint64_t rss_bytes() { return status_kb("VmRSS:"); }
uint64_t rss_peak_bytes() { return status_kb("VmHWM:"); }
bool reset_rss_peak() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

json measure_queries(const Graph& graph, const ContractionHierarchy& ch, const MeasureOptions& o) {
  json fig;
  // Other processes' CPU while our queries run (the pgRouting phase, whose server is another
  // process, is left out): machine busy cores minus this process's.
  struct Mark {
    MachineCpu machine;
    double cpu;
    Clock::time_point wall;
  };
  auto mark = [] { return Mark{machine_cpu(), process_cpu_seconds(), Clock::now()}; };
  const Mark m0 = mark();
  Mark m1{}, m2{};
  uint64_t mismatches = 0;
  json checks;
  const uint32_t n = graph.node_count();
  const uint32_t q = o.queries;
  const uint32_t slow = std::min(o.slow_queries, q);
  const uint32_t base = std::min(o.baseline_queries, q);
  std::mt19937_64 rng(o.seed);

  std::vector<NodeId> targets(q), from(q);
  for (auto& t : targets) t = NodeId(rng() % n);
  for (auto& s : from) s = NodeId(rng() % n);
  std::map<uint32_t, SourceSet> sets;
  for (uint32_t size : o.many_to_one_sizes) sets.try_emplace(size);
  for (uint32_t size : o.nearest_sizes) sets.try_emplace(size);
  if (o.pg != nullptr) sets.try_emplace(o.pg_sources);
  for (auto& [size, set] : sets) set = make_sources(n, size, rng);

  // ---- point to point: the hierarchy against a plain Dijkstra that stops at the target.
  note("point-to-point");
  routing::ChQuery chq(graph, ch);
  std::vector<uint32_t> ch_time(q), dij_time(slow);
  Timing p2p = time_passes(q, 200, o.passes,
                           [&](uint32_t i) { ch_time[i] = chq.distance(from[i], targets[i]); });
  uint64_t ch_settled = 0, dij_settled = 0;
  for (uint32_t i = 0; i < slow; ++i)
    ch_settled += (chq.distance(from[i], targets[i]), chq.settled());
  Dijkstra forward(graph);
  Samples p2p_dij = time_each(slow, 1, [&](uint32_t i) {
    dij_time[i] = forward.distance(from[i], targets[i]);
    dij_settled += forward.settled();
  });
  uint64_t p2p_bad = 0;
  for (uint32_t i = 0; i < slow; ++i) p2p_bad += ch_time[i] != dij_time[i];
  mismatches += p2p_bad;
  checks["p2p_vs_dijkstra"] = {{"compared", slow}, {"mismatches", p2p_bad}};
  fig["p2p"] = {{"ch", p2p.summary()},
                {"ch_settled_mean", double(ch_settled) / std::max(slow, 1u)},
                {"dijkstra", p2p_dij.summary()},
                {"dijkstra_settled_mean", double(dij_settled) / std::max(slow, 1u)},
                {"ratio", ratio(p2p_dij, p2p.first)}};

  // ---- full one-to-all Dijkstra on the reversed graph from the first `slow` targets: the
  // simplest many-to-one and k-nearest, and the reference the other answers are checked against.
  note("full one-to-all reverse Dijkstra");
  const ReverseIndex reverse = ReverseIndex::build(graph);
  Dijkstra backward(graph, &reverse);
  std::map<uint32_t, std::vector<std::vector<uint32_t>>> full_at;  // size → target → time by id
  Samples full = time_each(slow, 1, [&](uint32_t i) {
    const Seed seed{targets[i], 0};
    backward.all(std::span<const Seed>(&seed, 1), true);
  });
  uint64_t full_settled = 0;
  for (uint32_t i = 0; i < slow; ++i) {
    const Seed seed{targets[i], 0};
    const auto& dist = backward.all(std::span<const Seed>(&seed, 1), true);
    full_settled += backward.settled();
    for (auto& [size, set] : sets) {
      auto& row = full_at[size].emplace_back(size);
      for (uint32_t id = 0; id < size; ++id) row[id] = dist[set.node[id]];
    }
  }
  fig["full_dijkstra"] = full.summary();
  fig["full_dijkstra"]["settled_mean"] = double(full_settled) / std::max(slow, 1u);

  // ---- source indexes: every source set, ladders in group 1.
  std::map<uint32_t, std::unique_ptr<SourceIndex>> index;
  for (auto& [size, set] : sets) {
    note("index of " + std::to_string(size) + " sources");
    const uint64_t rss0 = rss_bytes();
    auto idx = std::make_unique<SourceIndex>(graph, ch);
    const auto t0 = Clock::now();
    for (uint32_t id = 0; id < size; ++id)
      idx->set(id, Place::at_node(set.node[id]), set.ladder[id]);
    const double us = us_since(t0);
    fig["index_" + std::to_string(size)] = {
        {"build_s", us / 1e6},
        {"set_mean_us", us / size},
        {"entries", idx->entry_count()},
        {"entries_per_source", double(idx->entry_count()) / size},
        {"rss_growth_mb", (double(rss_bytes()) - double(rss0)) / 1e6}};
    index[size] = std::move(idx);
  }

  // ---- many-to-one: every source's time to the target.
  std::vector<SourceTime> times;
  for (uint32_t size : o.many_to_one_sizes) {
    note("many-to-one, " + std::to_string(size) + " sources");
    SourceIndex& idx = *index[size];
    Timing s = time_passes(q, 200, o.passes,
                           [&](uint32_t i) { idx.times_to(Place::at_node(targets[i]), times); });
    uint64_t bad = 0;
    for (uint32_t i = 0; i < slow; ++i) {
      idx.times_to(Place::at_node(targets[i]), times);
      std::vector<uint32_t> got(size, kInfinity);
      for (const SourceTime& st : times) got[st.source] = st.time_ms;
      bad += got != full_at[size][i];
    }
    mismatches += bad;
    checks["many_to_one_" + std::to_string(size) + "_vs_full_dijkstra"] = {{"compared", slow},
                                                                           {"mismatches", bad}};
    fig["many_to_one_" + std::to_string(size)] = {{"ours", s.summary()},
                                                  {"full_dijkstra_ratio", ratio(full, s.first)}};
  }

  // ---- k nearest: every source qualifies; 1% as a predicate; 1% as their own group.
  const uint32_t keep = std::max(base, slow);
  std::map<uint32_t, std::map<std::string, std::vector<Answer>>> ours_answers;
  for (uint32_t size : o.nearest_sizes) {
    note("k nearest among " + std::to_string(size) + " sources");
    const SourceSet& set = sets[size];
    SourceIndex& idx = *index[size];
    const std::function<bool(uint32_t)> accept = [&set](uint32_t id) {
      return set.ladder[id] != 0;
    };
    const SourceIndex::Groups ladders{{1}};
    auto& answers = ours_answers[size];
    for (const char* form : {"all", "predicate", "group"}) answers[form].assign(keep, {});
    Answer out;
    auto run = [&](const std::string& form) {
      return time_passes(q, 200, o.passes, [&](uint32_t i) {
        const Place target = Place::at_node(targets[i]);
        if (form == "all")
          idx.nearest(target, o.k, out);
        else if (form == "predicate")
          idx.nearest(target, o.k, out, &accept);
        else
          idx.nearest(target, o.k, out, nullptr, ladders);
        if (i < keep) answers[form][i] = out;
      });
    };
    const Timing all_t = run("all"), predicate_t = run("predicate"), group_t = run("group");
    const Samples &all = all_t.first, &predicate = predicate_t.first, &group = group_t.first;
    uint64_t settled_all = 0, settled_pred = 0;
    std::vector<Answer> stop_all(base), stop_pred(base);
    Samples dij_all = time_each(base, 20, [&](uint32_t i) {
      backward.nearest(Place::at_node(targets[i]), o.k, set.first, set.at, nullptr, stop_all[i]);
      settled_all += backward.settled();
    });
    Samples dij_pred = time_each(base, 5, [&](uint32_t i) {
      backward.nearest(Place::at_node(targets[i]), o.k, set.first, set.at, &accept, stop_pred[i]);
      settled_pred += backward.settled();
    });
    // Full one-to-all + picking the k: the all() time of that target (`full`) plus the pick.
    Samples full_all, full_ladder;
    uint64_t bad_stop = 0, bad_full = 0;
    for (uint32_t i = 0; i < slow; ++i) {
      Answer a;
      auto t0 = Clock::now();
      pick(full_at[size][i], nullptr, o.k, a);
      full_all.add(full[i] + us_since(t0));
      bad_full += a != answers["all"][i];
      t0 = Clock::now();
      pick(full_at[size][i], &set.ladder, o.k, a);
      full_ladder.add(full[i] + us_since(t0));
      bad_full += (a != answers["predicate"][i]) + (a != answers["group"][i]);
    }
    for (uint32_t i = 0; i < base; ++i) {
      bad_stop += stop_all[i] != answers["all"][i];
      bad_stop += (stop_pred[i] != answers["predicate"][i]) + (stop_pred[i] != answers["group"][i]);
    }
    mismatches += bad_stop + bad_full;
    const std::string key = "nearest_" + std::to_string(size);
    checks[key + "_vs_stopping_dijkstra"] = {{"compared", 3 * base}, {"mismatches", bad_stop}};
    checks[key + "_vs_full_dijkstra"] = {{"compared", 3 * slow}, {"mismatches", bad_full}};
    fig[key] = {
        {"all", all_t.summary()},
        {"predicate", predicate_t.summary()},
        {"group", group_t.summary()},
        {"stopping_dijkstra_all", dij_all.summary()},
        {"stopping_dijkstra_all_settled_mean", double(settled_all) / std::max(base, 1u)},
        {"stopping_dijkstra_predicate", dij_pred.summary()},
        {"stopping_dijkstra_predicate_settled_mean", double(settled_pred) / std::max(base, 1u)},
        {"full_dijkstra_pick", full_all.summary()},
        {"full_dijkstra_pick_1pct", full_ladder.summary()},
        {"ratio_stopping_all", ratio(dij_all, all)},
        {"ratio_stopping_predicate_vs_predicate", ratio(dij_pred, predicate)},
        {"ratio_stopping_predicate_vs_group", ratio(dij_pred, group)},
        {"ratio_full_vs_all", ratio(full_all, all)},
        {"ratio_full_vs_group", ratio(full_ladder, group)}};
  }

  // ---- pgRouting: the same k-nearest question answered with pgr_dijkstraCost.
  m1 = mark();
  if (o.pg != nullptr) {
    note("pgRouting");
    PgRouting& pg = *o.pg;
    const SourceSet& set = sets[o.pg_sources];
    json p;
    p["version"] = pg.version();
    p["load_s"] = pg.load_edges(graph);
    double sec = 0;
    (void)pg.per_source(set.node[0], targets[0], &sec);  // warm-up: library load, plan
    p["first_call_s"] = sec;
    Samples per_source;
    uint64_t bad = 0;
    const uint32_t calls = std::min(o.pg_per_source, o.pg_sources);
    for (uint32_t j = 0; j < calls; ++j) {
      const uint32_t cost = pg.per_source(set.node[j], targets[0], &sec);
      per_source.add(sec * 1e6);
      bad += cost != chq.distance(set.node[j], targets[0]);
    }
    Samples one_to_many, one_to_many_1pct;
    std::vector<std::pair<NodeId, uint32_t>> rows;
    std::vector<NodeId> ladder_nodes;
    for (uint32_t id = 0; id < set.size(); ++id)
      if (set.ladder[id]) ladder_nodes.push_back(set.node[id]);
    const uint32_t calls_many = std::min(o.pg_one_to_many, slow);
    uint64_t bad_many = 0, bad_answers = 0;
    for (uint32_t i = 0; i < calls_many; ++i) {
      one_to_many.add(pg.one_to_many(targets[i], set.node, rows) * 1e6);
      std::vector<uint32_t> by_node_time(n, kInfinity);
      for (const auto& [v, c] : rows) by_node_time[v] = c;
      by_node_time[targets[i]] = 0;
      std::vector<uint32_t> got(set.size());
      for (uint32_t id = 0; id < set.size(); ++id) got[id] = by_node_time[set.node[id]];
      for (uint32_t id = 0; id < set.size(); ++id)
        bad_many += got[id] != full_at[o.pg_sources][i][id];
      Answer a;
      pick(got, nullptr, o.k, a);
      auto it = ours_answers.find(o.pg_sources);
      if (it != ours_answers.end()) bad_answers += a != it->second["all"][i];
      one_to_many_1pct.add(pg.one_to_many(targets[i], ladder_nodes, rows) * 1e6);
    }
    mismatches += bad + bad_many + bad_answers;
    checks["pgrouting_per_source_vs_ch"] = {{"compared", calls}, {"mismatches", bad}};
    checks["pgrouting_one_to_many_vs_full_dijkstra"] = {
        {"compared", uint64_t{calls_many} * set.size()}, {"mismatches", bad_many}};
    checks["pgrouting_nearest_vs_ours"] = {{"compared", calls_many}, {"mismatches", bad_answers}};
    const double per_answer_per_source_us = per_source.mean() * o.pg_sources;
    const double best_us = std::min(per_answer_per_source_us, one_to_many.mean());
    p["per_source_call"] = per_source.summary();
    p["per_source_answer_s"] = per_answer_per_source_us / 1e6;
    p["one_to_many"] = one_to_many.summary();
    p["one_to_many_1pct"] = one_to_many_1pct.summary();
    p["sources"] = o.pg_sources;
    p["best_form"] = best_us == one_to_many.mean() ? "one_to_many" : "per_source";
    p["best_answer_s"] = best_us / 1e6;
    const std::string key = "nearest_" + std::to_string(o.pg_sources);
    if (fig.contains(key))
      p["ratio_vs_ours_mean"] = best_us / fig[key]["all"]["mean_us"].get<double>();
    fig["pgrouting"] = p;
  }

  m2 = mark();

  // ---- moves: one source to another node (its group kept).
  for (uint32_t size : o.nearest_sizes) {
    note("moves among " + std::to_string(size) + " sources");
    const SourceSet& set = sets[size];
    SourceIndex& idx = *index[size];
    std::vector<std::pair<uint32_t, NodeId>> moves(o.moves + 100);
    for (auto& [id, v] : moves) {
      id = uint32_t(rng() % size);
      v = NodeId(rng() % n);
    }
    std::vector<NodeId> where = set.node;
    for (uint32_t i = 0; i < 100; ++i) {  // warm-up
      const auto& [id, v] = moves[i];
      idx.set(id, Place::at_node(v), set.ladder[id]);
      where[id] = v;
    }
    // The sequence of moves is timed `passes` times from the same state: after a pass, the
    // moves are undone in reverse order (untimed), which restores every source's place, and
    // the caches are flushed (the last undone are the first replayed).
    Timing m;
    m.passes = std::max(o.passes, 1u);
    std::vector<NodeId> before(o.moves);
    std::vector<double> best(o.moves);
    for (uint32_t p = 0; p < m.passes; ++p) {
      if (p > 0) {
        for (uint32_t i = o.moves; i-- > 0;) {
          const uint32_t id = moves[100 + i].first;
          idx.set(id, Place::at_node(before[i]), set.ladder[id]);
        }
        flush_caches();
      }
      for (uint32_t i = 0; i < o.moves; ++i) {
        const auto& [id, v] = moves[100 + i];
        if (p == 0) before[i] = where[id];
        where[id] = v;
        const auto t0 = Clock::now();
        idx.set(id, Place::at_node(v), set.ladder[id]);
        const double us = us_since(t0);
        if (p == 0) m.first.add(us);
        best[i] = p == 0 ? us : std::min(best[i], us);
      }
    }
    for (double us : best) m.best.add(us);
    fig["move_" + std::to_string(size)] = m.summary();
  }

  const Mark m3 = mark();
  {
    const double busy =
        double(m1.machine.busy - m0.machine.busy + m3.machine.busy - m2.machine.busy);
    const double total =
        double(m1.machine.total - m0.machine.total + m3.machine.total - m2.machine.total);
    const double wall =
        std::chrono::duration<double>((m1.wall - m0.wall) + (m3.wall - m2.wall)).count();
    const double own = (m1.cpu - m0.cpu + m3.cpu - m2.cpu) / wall;
    const double cores = total > 0 ? busy / total * double(::sysconf(_SC_NPROCESSORS_ONLN)) : 0;
    fig["machine"] = {{"busy_cores", cores},
                      {"own_cores", own},
                      {"other_cores", std::max(0.0, cores - own)},
                      {"seconds", wall}};
  }
  fig["checks"] = checks;
  fig["mismatches"] = mismatches;
  fig["queries"] = {
      {"ours", q}, {"stopping_dijkstra", base}, {"slow", slow}, {"moves", o.moves}, {"k", o.k}};
  return fig;
}

}  // namespace liandong::bench
