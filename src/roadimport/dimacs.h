// The 9th DIMACS Implementation Challenge's road graphs (Demetrescu, Goldberg, Johnson 2006):
// a graph file (".gr": `c` comments, one `p sp N M` line, then M lines `a U V W`) and an optional
// coordinate file (".co": `p aux sp co N`, then `v ID X Y` with X = longitude × 1e6 and Y =
// latitude × 1e6). Either may be gzip-compressed (read through zlib, which reads plain files too).
//
// Node ids are kept: DIMACS id i becomes node i-1 with external id i. Arc weights are taken as
// given (time_ms = W; in the "-d" distance graphs W is a distance, which the routing code treats
// the same way). length_m is the great-circle distance between the ends when coordinates are
// given, else 0. Road class is kOther, there is no shape. Nothing is dropped (no strongly
// connected filter), so the ids stay those of the file.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "routing/graph.h"

namespace liandong::roadimport {

// Reads `gr_path` and, when not empty, `co_path`. Errors:
//   not_found: a file does not exist;
//   invalid_argument naming the file and line: "NY.gr.gz:17: expected 'a U V W'", an arc to a
//   node outside 1..N, a weight that does not fit 32 bits, arc or node counts that differ from
//   the `p` line, a coordinate file for a different node count, a node without coordinates,
//   damaged gzip data.
core::Result<routing::Graph> read_dimacs(const std::string& gr_path,
                                         const std::string& co_path = {});

// The same on text already in memory; the names are used in messages only. `co_text` empty: no
// coordinates.
core::Result<routing::Graph> parse_dimacs(std::string_view gr_text, std::string_view gr_name,
                                          std::string_view co_text = {},
                                          std::string_view co_name = {});

// Reads a whole file, gunzipping it when it is gzip-compressed (not_found / unavailable /
// invalid_argument for damaged data).
core::Result<std::string> read_maybe_gzip(const std::string& path);

}  // namespace liandong::roadimport
