// `liandong graph ...`: the offline road network tools. import-osm, import-dimacs and synth build
// a road network file (graph, contraction hierarchy, places); query answers travel times between
// external node ids on standard input; info describes a file. docs/ROADS.md shows them in use.
//
// Each command is a function that writes its answer to `out`, messages to `err`, and returns the
// process exit code (0 success, 1 failure, 2 usage). No command leaves a half-written output file.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace liandong::app {

struct GraphImportFlags {
  std::string input;        // .osm.pbf, or DIMACS .gr[.gz]
  std::string coordinates;  // DIMACS .co[.gz], optional
  std::string output;
  bool progress_bar = false;  // redraw a bar in place (stderr is a terminal)
};
int graph_import_osm(const GraphImportFlags& flags, std::ostream& out, std::ostream& err);
int graph_import_dimacs(const GraphImportFlags& flags, std::ostream& out, std::ostream& err);

struct GraphSynthFlags {
  uint32_t nodes = 20'000;
  uint64_t seed = 1;
  std::string center;  // "LON,LAT", empty: 惠州
  std::string output;
  bool progress_bar = false;
};
int graph_synth(const GraphSynthFlags& flags, std::ostream& out, std::ostream& err);

// Reads "SOURCE TARGET" lines (external ids: the DIMACS file's, OSM node ids, synth node indices)
// and prints one travel time in milliseconds a line, "inf" when unreachable; a malformed line or
// an unknown id prints "error" and a message naming the line on `err`, and the exit code is then
// 1 after all lines are answered. Blank lines and lines starting with '#' are skipped.
// `flush_lines`: flush `out` after every answer (interactive use).
int graph_query(const std::string& file, std::istream& in, std::ostream& out, std::ostream& err,
                bool flush_lines = false);

int graph_info(const std::string& file, std::ostream& out, std::ostream& err);

// Registers `graph` and its subcommands on `cli`. After parsing, chosen() says whether a graph
// command was given and run() runs it on the standard streams.
class GraphCommands {
 public:
  explicit GraphCommands(CLI::App& cli);
  ~GraphCommands();
  bool chosen() const;
  int run();

 private:
  struct Flags;
  std::unique_ptr<Flags> flags_;
};

}  // namespace liandong::app
