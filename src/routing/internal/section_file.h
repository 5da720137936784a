// The container under the graph file: a header (8-byte magic, u32 version, u32 section count), a
// table of named sections (name padded to 24 bytes, u64 offset, u64 size), the sections 8-byte
// aligned, and a trailing XXH64 of every byte before it (checksum.h). graph_file.cpp says what
// goes in it; this file only moves bytes, safely: writes go to a temporary file that is synced and
// renamed into place, reads check everything before they trust it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace liandong::routing::internal {

inline constexpr size_t kSectionNameSize = 24;

struct SectionFileFormat {
  char magic[8];
  uint32_t version;
  const char* what;  // for messages: "PATH is not <what>"
};

struct OutSection {
  std::string name;  // at most kSectionNameSize bytes, no NUL
  const void* data;
  uint64_t size;
};

// Writes the sections to PATH.tmp-<pid>, syncs it, renames it to `path` and syncs the folder.
// Errors: unavailable naming the path and the system's reason (the temporary file is removed).
core::Status write_section_file(const std::string& path, const SectionFileFormat& format,
                                const std::vector<OutSection>& sections);

// Where the bytes of a section go: a buffer of `size` bytes, or nullptr to skip them. Called once
// per section in file order, before the checksum is known to be good (sizes are within the file).
using SectionSink = std::function<void*(const std::string& name, uint64_t size)>;

// Reads the file, straight into the buffers the sink gives, and checks its checksum. Errors:
// not_found (no file); unavailable (the system could not read it); invalid_argument naming the
// path: not this format, another version ("PATH has format version 2; this program reads
// version 1"), damaged ("PATH is damaged (checksum mismatch)", saying so when the file is shorter
// than its table needs), or a malformed table under a good checksum.
core::Status read_section_file(const std::string& path, const SectionFileFormat& format,
                               const SectionSink& sink);

}  // namespace liandong::routing::internal
