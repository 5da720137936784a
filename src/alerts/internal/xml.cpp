#include "alerts/internal/xml.h"

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <vector>

#include "alerts/internal/text.h"

namespace liandong::alerts::internal {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool starts_with(std::string_view s, size_t at, std::string_view p) {
  return s.size() >= at + p.size() && s.substr(at, p.size()) == p;
}

// "line L, column C" of a byte offset (columns in bytes, from 1).
std::string where(std::string_view text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

// The encoding named in an ASCII-compatible XML declaration, or "".
std::string declared_encoding(std::string_view s) {
  if (!starts_with(s, 0, "<?xml")) return "";
  const size_t end = s.find("?>");
  if (end == std::string_view::npos) return "";
  const std::string_view decl = s.substr(0, end);
  const size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return "";
  size_t i = at + 8;
  while (i < decl.size() && is_xml_space(decl[i])) ++i;
  if (i >= decl.size() || decl[i] != '=') return "";
  ++i;
  while (i < decl.size() && is_xml_space(decl[i])) ++i;
  if (i >= decl.size() || (decl[i] != '"' && decl[i] != '\'')) return "";
  const char q = decl[i++];
  const size_t close = decl.find(q, i);
  if (close == std::string_view::npos) return "";
  return std::string(decl.substr(i, close - i));
}

bool safe_encoding_name(const std::string& name) {
  if (name.empty() || name.size() > 40) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Converts `in` from `from` to UTF-8 with iconv; false with `why` on an unknown encoding or bytes
// that are not text in it.
bool to_utf8(std::string_view in, const std::string& from, std::string& out, std::string& why) {
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    why = "the encoding '" + from + "' is not supported";
    return false;
  }
  out.clear();
  out.resize(in.size() * 2 + 16);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  size_t done = 0;
  bool ok = true;
  while (src_left > 0) {
    char* dst = out.data() + done;
    size_t dst_left = out.size() - done;
    const size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    done = out.size() - dst_left;
    if (rc != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    why = "byte " + std::to_string(in.size() - src_left) + " is not text in " + from;
    ok = false;
    break;
  }
  iconv_close(cd);
  out.resize(done);
  return ok;
}

// Detects the encoding and gives UTF-8 text without a byte-order mark.
bool decode(std::string_view bytes, XmlDocument& d, XmlProblem& p) {
  auto u = [&](size_t i) { return i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 256u; };
  std::string from;
  std::string_view body = bytes;
  if (u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF) {
    body.remove_prefix(3);
    d.encoding = "UTF-8";
  } else if (u(0) == 0 && u(1) == 0 && u(2) == 0xFE && u(3) == 0xFF) {
    from = "UTF-32";
  } else if (u(0) == 0xFF && u(1) == 0xFE && u(2) == 0 && u(3) == 0) {
    from = "UTF-32";
  } else if ((u(0) == 0xFE && u(1) == 0xFF) || (u(0) == 0xFF && u(1) == 0xFE)) {
    from = "UTF-16";  // iconv reads the mark
  } else if (u(0) == 0 && u(1) == '<') {
    from = "UTF-16BE";
  } else if (u(0) == '<' && u(1) == 0) {
    from = "UTF-16LE";
  } else {
    const std::string named = declared_encoding(bytes);
    d.encoding = named.empty() ? "UTF-8" : named;
    if (!named.empty() && !iequals(named, "UTF-8") && !iequals(named, "UTF8") &&
        !iequals(named, "US-ASCII") && !iequals(named, "ASCII")) {
      if (!safe_encoding_name(named)) {
        p = {"xml.encoding",
             "the declared encoding '" + excerpt(named) + "' is not an encoding name"};
        return false;
      }
      from = named;
    }
  }
  if (from.empty()) {
    d.text.assign(body);
  } else {
    d.encoding = from;
    std::string why;
    if (!to_utf8(body, from, d.text, why)) {
      p = {"xml.encoding", why};
      return false;
    }
  }
  size_t bad = 0;
  if (!is_xml_text(d.text, &bad)) {
    const unsigned char c = static_cast<unsigned char>(d.text[bad]);
    if (c < 0x20)
      p = {"xml.malformed", "control character " + std::to_string(c) + " at " + where(d.text, bad) +
                                " is not allowed in XML"};
    else
      p = {"xml.encoding", "the text is not valid " + d.encoding + " at " + where(d.text, bad)};
    return false;
  }
  return true;
}

bool is_xml_char(unsigned long cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// The reference starting at s[i] == '&'; returns its length or 0 with `why`.
size_t check_reference(std::string_view s, size_t i, std::string& why) {
  const size_t semi = s.find(';', i);
  if (semi == std::string_view::npos || semi - i > 40) {
    why = "'&' must start an entity reference such as &amp;";
    return 0;
  }
  const std::string_view name = s.substr(i + 1, semi - i - 1);
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos")
    return semi - i + 1;
  if (!name.empty() && name[0] == '#') {
    const bool hex = name.size() > 1 && name[1] == 'x';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) {
      why = "bad character reference &" + std::string(name) + ";";
      return 0;
    }
    unsigned long cp = 0;
    for (char c : digits) {
      int v;
      if (c >= '0' && c <= '9')
        v = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
      else {
        why = "bad character reference &" + std::string(name) + ";";
        return 0;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
    }
    if (!is_xml_char(cp)) {
      why = "character reference &" + std::string(name) + "; names a character XML does not allow";
      return 0;
    }
    return semi - i + 1;
  }
  why = "undefined entity &" + excerpt(name, 40) +
        "; (only &amp; &lt; &gt; &quot; &apos; and character references: no DTD is read)";
  return 0;
}

// One pass over the text before pugixml: DOCTYPE, entity references and nesting depth.
bool prescan(std::string_view s, int max_depth, XmlProblem& p) {
  int depth = 0;
  size_t i = 0;
  std::string why;
  auto skip_to = [&](std::string_view end) -> bool {
    const size_t at = s.find(end, i);
    if (at == std::string_view::npos) return false;
    i = at + end.size();
    return true;
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == '&') {
      const size_t n = check_reference(s, i, why);
      if (n == 0) {
        p = {"xml.malformed", why + " at " + where(s, i)};
        return false;
      }
      i += n;
      continue;
    }
    if (c != '<') {  // character data: on to the next markup or reference
      ++i;
      while (i < s.size() && s[i] != '<' && s[i] != '&') ++i;
      continue;
    }
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (next == '!') {
      if (starts_with(s, i, "<!--")) {
        if (!skip_to("-->")) break;  // pugixml names the unclosed comment
        continue;
      }
      if (starts_with(s, i, "<![CDATA[")) {
        if (!skip_to("]]>")) break;
        continue;
      }
      if (starts_with(s, i, "<!DOCTYPE") || starts_with(s, i, "<!doctype")) {
        p = {"xml.doctype",
             "the document has a DOCTYPE at " + where(s, i) +
                 "; documents with a DTD are refused (no external entities, no entity expansion)"};
        return false;
      }
    } else if (next == '?') {
      if (!skip_to("?>")) break;
      continue;
    }
    const bool closing = next == '/';
    // To the end of the tag, over quoted attribute values (which may hold '>').
    size_t j = i + 1;
    char quote = 0;
    for (; j < s.size(); ++j) {
      const char x = s[j];
      if (quote) {
        if (x == quote)
          quote = 0;
        else if (x == '&') {
          const size_t n = check_reference(s, j, why);
          if (n == 0) {
            p = {"xml.malformed", why + " at " + where(s, j)};
            return false;
          }
          j += n - 1;
        }
      } else if (x == '"' || x == '\'') {
        quote = x;
      } else if (x == '>') {
        break;
      }
    }
    if (j >= s.size()) break;  // unterminated tag: pugixml reports it
    if (closing) {
      --depth;
    } else if (s[j - 1] != '/') {
      if (++depth > max_depth) {
        p = {"xml.too_deep",
             "elements nest deeper than " + std::to_string(max_depth) + " at " + where(s, i)};
        return false;
      }
    }
    i = j + 1;
  }
  return true;
}

const char* pugi_reason(pugi::xml_parse_status s) {
  switch (s) {
    case pugi::status_unrecognized_tag:
      return "a tag that is not XML";
    case pugi::status_bad_pi:
      return "a bad processing instruction or declaration";
    case pugi::status_bad_comment:
      return "a bad comment";
    case pugi::status_bad_cdata:
      return "a bad CDATA section";
    case pugi::status_bad_doctype:
      return "a bad DOCTYPE";
    case pugi::status_bad_pcdata:
      return "bad character data";
    case pugi::status_bad_start_element:
      return "a bad start tag";
    case pugi::status_bad_attribute:
      return "a bad attribute";
    case pugi::status_bad_end_element:
      return "a bad end tag";
    case pugi::status_end_element_mismatch:
      return "an end tag that does not match its start tag";
    case pugi::status_no_document_element:
      return "no root element";
    default:
      return "an XML error";
  }
}

}  // namespace

std::unique_ptr<XmlDocument> parse_untrusted(std::string_view bytes, size_t max_bytes,
                                             int max_depth, XmlProblem& problem) {
  if (bytes.size() > max_bytes) {
    problem = {"xml.too_large", "the document is " + std::to_string(bytes.size()) +
                                    " bytes, over the limit of " + std::to_string(max_bytes)};
    return nullptr;
  }
  auto d = std::make_unique<XmlDocument>();
  if (!decode(bytes, *d, problem)) return nullptr;
  if (!prescan(d->text, max_depth, problem)) return nullptr;
  const unsigned flags = pugi::parse_default | pugi::parse_ws_pcdata_single | pugi::parse_doctype;
  const pugi::xml_parse_result res =
      d->doc.load_buffer_inplace(d->text.data(), d->text.size(), flags, pugi::encoding_utf8);
  if (!res) {
    // In-place parsing rewrites the buffer; the position is still right for the message's line.
    problem = {"xml.malformed", std::string("not well-formed XML: ") + pugi_reason(res.status) +
                                    " near byte " + std::to_string(res.offset)};
    return nullptr;
  }
  int roots = 0;
  for (pugi::xml_node n : d->doc.children()) {
    if (n.type() == pugi::node_doctype) {
      problem = {"xml.doctype", "the document has a DOCTYPE; documents with a DTD are refused"};
      return nullptr;
    }
    if (n.type() == pugi::node_element) ++roots;
    if ((n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) &&
        !trim_xml_space(n.value()).empty()) {
      problem = {"xml.malformed", "text outside the root element"};
      return nullptr;
    }
  }
  if (roots != 1) {
    problem = {"xml.malformed", roots == 0 ? "no root element" : "more than one root element"};
    return nullptr;
  }
  return d;
}

std::string_view local_name(pugi::xml_node el) {
  std::string_view n = el.name();
  const size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string_view namespace_of(pugi::xml_node el, bool* unbound) {
  std::string_view n = el.name();
  const size_t colon = n.find(':');
  std::string attr = "xmlns";
  if (colon != std::string_view::npos) {
    const std::string_view prefix = n.substr(0, colon);
    if (prefix == "xml") return "http://www.w3.org/XML/1998/namespace";
    attr += ":" + std::string(prefix);
  }
  for (pugi::xml_node e = el; e && e.type() == pugi::node_element; e = e.parent()) {
    const pugi::xml_attribute a = e.attribute(attr.c_str());
    if (a) return a.value();
  }
  if (colon != std::string_view::npos && unbound) *unbound = true;
  return "";
}

bool is_namespace_or_xsi(pugi::xml_attribute a, pugi::xml_node owner) {
  std::string_view n = a.name();
  if (n == "xmlns" || n.substr(0, 6) == "xmlns:") return true;
  const size_t colon = n.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string decl = "xmlns:" + std::string(n.substr(0, colon));
  for (pugi::xml_node e = owner; e && e.type() == pugi::node_element; e = e.parent()) {
    const pugi::xml_attribute d = e.attribute(decl.c_str());
    if (d) return std::string_view(d.value()) == "http://www.w3.org/2001/XMLSchema-instance";
  }
  return false;
}

std::string standalone_copy(pugi::xml_node el) {
  pugi::xml_document out;
  pugi::xml_node decl = out.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node copy = out.append_copy(el);
  std::set<std::string> declared;
  for (pugi::xml_attribute a : el.attributes()) declared.insert(a.name());
  for (pugi::xml_node e = el.parent(); e && e.type() == pugi::node_element; e = e.parent()) {
    for (pugi::xml_attribute a : e.attributes()) {
      std::string_view n = a.name();
      if (n != "xmlns" && n.substr(0, 6) != "xmlns:") continue;
      if (!declared.insert(std::string(n)).second) continue;  // a nearer declaration wins
      copy.append_attribute(a.name()) = a.value();
    }
  }
  return to_text(out);
}

namespace {

class StringWriter final : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string& out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_.append(static_cast<const char*>(data), size);
  }

 private:
  std::string& out_;
};

}  // namespace

std::string to_text(const pugi::xml_document& doc) {
  std::string out;
  StringWriter w(out);
  doc.save(w, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out;
}

namespace {

void escape(std::string& out, std::string_view text, bool attribute) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace

XmlOut::XmlOut() { out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }

void XmlOut::start_tag(std::string_view name,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> attrs) {
  out_.append(2 * open_.size(), ' ');
  out_ += '<';
  out_ += name;
  for (const auto& [key, value] : attrs) {
    out_ += ' ';
    out_ += key;
    out_ += "=\"";
    escape(out_, value, /*attribute=*/true);
    out_ += '"';
  }
}

void XmlOut::open(std::string_view name,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> attrs) {
  start_tag(name, attrs);
  out_ += ">\n";
  open_.emplace_back(name);
}

void XmlOut::close() {
  const std::string name = std::move(open_.back());
  open_.pop_back();
  out_.append(2 * open_.size(), ' ');
  out_ += "</" + name + ">\n";
}

void XmlOut::leaf(std::string_view name, std::string_view text,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> attrs) {
  start_tag(name, attrs);
  if (text.empty()) {
    out_ += " />\n";
    return;
  }
  out_ += '>';
  escape(out_, text, /*attribute=*/false);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

std::string XmlOut::take() {
  while (!open_.empty()) close();
  return std::move(out_);
}

std::string text_of(pugi::xml_node el) {
  std::string out;
  for (pugi::xml_node c : el.children())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  return out;
}

}  // namespace liandong::alerts::internal
