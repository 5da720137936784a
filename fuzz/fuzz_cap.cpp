// fuzz_cap: the input as a CAP document (alerts::read_cap, as `liandong cap validate` and the
// node's CAP intake read it), as an EDXL-DE envelope (read_edxl_de) and as an Atom/RSS feed
// (read_feed). Never a crash, a hang or a leak; every issue has a code, a path and a message; an
// alert read_cap accepts is written (write_cap) and read back accepted and equal, and the written
// text is a fixed point; every CAP document an envelope or a feed gives is read too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "alerts/edxl.h"
#include "alerts/feed.h"
#include "alerts/reader.h"
#include "alerts/writer.h"

namespace {

using namespace liandong::alerts;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_cap: %s\n%s\n", what, detail.c_str());
  std::abort();
}

void check_cap(std::string_view text) {
  const ReadOutcome in = read_cap(text);
  for (const Issue& i : in.report.issues)
    if (i.code.empty() || i.path.empty() || i.message.empty())
      fail("an issue without code, path or message");
  if (in.alert && in.version == 0) fail("an alert of no version");
  if (!in.accepted()) {
    if (in.alert && in.report.ok()) fail("an alert not accepted without an error");
    return;
  }
  const std::string out = write_cap(*in.alert);
  const ReadOutcome again = read_cap(out);
  if (!again.accepted()) fail("a written alert is not accepted", again.report.to_string() + out);
  if (!(*again.alert == *in.alert)) fail("a written alert reads back different", out);
  if (write_cap(*again.alert) != out) fail("writing is not a fixed point", out);
  const Report rules = validate(*in.alert);
  if (!rules.ok()) fail("read_cap accepted what validate refuses", rules.to_string());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_cap(text);
  if (auto env = read_edxl_de(text)) {
    for (const std::string& doc : env->cap_documents) check_cap(doc);
  } else if (env.status().message().empty()) {
    fail("an envelope refused without a reason");
  }
  if (auto entries = read_feed(text)) {
    for (const FeedEntry& e : *entries)
      if (!e.cap_xml.empty()) check_cap(e.cap_xml);
  } else if (entries.status().message().empty()) {
    fail("a feed refused without a reason");
  }
  return 0;
}
