#include "routing/scc.h"

#include <algorithm>

namespace liandong::routing {

// Tarjan's algorithm with an explicit call stack: a recursive version overflows the thread's stack
// on the long chains of a road graph (a 200 000-node path is depth 200 000).
Components strongly_connected_components(const Graph& graph) {
  const uint32_t n = graph.node_count();
  Components result;
  result.component.assign(n, kInvalid);
  constexpr uint32_t kUnvisited = kInvalid;
  std::vector<uint32_t> index(n, kUnvisited);
  std::vector<uint32_t> low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<NodeId> stack;  // Tarjan's node stack
  struct Frame {
    NodeId node;
    uint32_t next_arc;
  };
  std::vector<Frame> calls;
  uint32_t next_index = 0;

  for (NodeId root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) continue;
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    calls.push_back({root, graph.first_out[root]});
    while (!calls.empty()) {
      Frame& frame = calls.back();
      const NodeId v = frame.node;
      if (frame.next_arc < graph.first_out[v + 1]) {
        const NodeId w = graph.head[frame.next_arc++];
        if (index[w] == kUnvisited) {
          index[w] = low[w] = next_index++;
          stack.push_back(w);
          on_stack[w] = true;
          calls.push_back({w, graph.first_out[w]});  // invalidates `frame`
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      // All arcs of v done: v roots a component, or passes its low link to its caller.
      if (low[v] == index[v]) {
        NodeId w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          result.component[w] = result.count;
        } while (w != v);
        ++result.count;
      }
      calls.pop_back();
      if (!calls.empty()) {
        const NodeId parent = calls.back().node;
        low[parent] = std::min(low[parent], low[v]);
      }
    }
  }
  return result;
}

namespace {

Graph empty_graph() {
  Graph g;
  g.first_out = {0};
  g.shape_first = {0};
  return g;
}

}  // namespace

Graph largest_strongly_connected(const Graph& graph, SccReport* report) {
  const uint32_t n = graph.node_count();
  const uint32_t m = graph.arc_count();
  const Components cc = strongly_connected_components(graph);

  // The largest component; on a tie, the one holding the lowest node (stable across runs and
  // independent of Tarjan's numbering).
  std::vector<uint32_t> size(cc.count, 0);
  for (NodeId v = 0; v < n; ++v) ++size[cc.component[v]];
  uint32_t keep = kInvalid;
  for (NodeId v = 0; v < n; ++v) {
    const uint32_t c = cc.component[v];
    if (keep == kInvalid || size[c] > size[keep]) keep = c;
  }

  Graph out;
  if (keep == kInvalid) {
    out = empty_graph();
  } else if (size[keep] == n) {
    out = graph;  // one component: every arc has both ends in it
  } else {
    std::vector<NodeId> new_id(n, kInvalid);
    NodeId next = 0;
    for (NodeId v = 0; v < n; ++v) {
      if (cc.component[v] == keep) new_id[v] = next++;
    }
    out.first_out.reserve(next + 1);
    out.first_out.push_back(0);
    out.coord.reserve(next);
    out.external_id.reserve(next);
    out.shape_first.push_back(0);
    for (NodeId v = 0; v < n; ++v) {
      if (new_id[v] == kInvalid) continue;
      out.coord.push_back(graph.coord[v]);
      // Without external ids of its own, the kept graph carries the old indices so that a node
      // can still be traced back to the input.
      out.external_id.push_back(graph.external(v));
      for (uint32_t a = graph.first_out[v]; a < graph.first_out[v + 1]; ++a) {
        const NodeId h = new_id[graph.head[a]];
        if (h == kInvalid) continue;  // an arc into another component
        out.head.push_back(h);
        out.time_ms.push_back(graph.time_ms[a]);
        out.length_m.push_back(graph.length_m[a]);
        out.road_class.push_back(graph.road_class[a]);
        out.shape.insert(out.shape.end(), graph.shape.begin() + graph.shape_first[a],
                         graph.shape.begin() + graph.shape_first[a + 1]);
        out.shape_first.push_back(uint32_t(out.shape.size()));
      }
      out.first_out.push_back(uint32_t(out.head.size()));
    }
  }

  if (report != nullptr) {
    report->components = cc.count;
    report->kept_nodes = out.node_count();
    report->dropped_nodes = n - out.node_count();
    report->kept_arcs = out.arc_count();
    report->dropped_arcs = m - out.arc_count();
  }
  return out;
}

}  // namespace liandong::routing
