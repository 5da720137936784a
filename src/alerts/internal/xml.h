// Reading untrusted XML safely with pugixml, and the namespace helpers pugixml lacks.
//
// parse_untrusted() refuses, before pugixml sees the text: input over the size limit
// (xml.too_large), a DOCTYPE (xml.doctype: no DTD, so no external entity and no entity expansion
// can happen), an entity reference other than the five XML predefines and character references
// (xml.malformed), nesting deeper than the limit (xml.too_deep), bytes that are not text in the
// declared encoding (xml.encoding). Encodings other than UTF-8 (ISO-8859-1, UTF-16, GB18030, ...:
// anything iconv knows, named in the XML declaration or by a byte-order mark) are converted to
// UTF-8 first. Nothing is ever read from a file or URL. Pure functions, thread-safe.
#pragma once

#include <memory>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace liandong::alerts::internal {

struct XmlProblem {
  std::string code;  // xml.malformed, xml.doctype, xml.too_large, xml.too_deep, xml.encoding
  std::string message;
};

struct XmlDocument {
  std::string text;  // the UTF-8 text pugixml parsed in place (kept alive with the document)
  pugi::xml_document doc;
  std::string encoding;  // as declared or detected, e.g. "ISO-8859-1"; "UTF-8" when none
};

// The parsed document, or nullptr with `problem` set. The root element is doc.document_element().
std::unique_ptr<XmlDocument> parse_untrusted(std::string_view bytes, size_t max_bytes,
                                             int max_depth, XmlProblem& problem);

// The local part of an element's name ("alert" for "cap:alert").
std::string_view local_name(pugi::xml_node el);

// The namespace URI the element's prefix (or the default namespace) is bound to in scope; empty
// when none. Sets `unbound` when the element uses a prefix that is not declared.
std::string_view namespace_of(pugi::xml_node el, bool* unbound = nullptr);

// True for attributes that declare namespaces (xmlns, xmlns:p) or belong to XML Schema instance
// (xsi:schemaLocation and the like, which every schema allows).
bool is_namespace_or_xsi(pugi::xml_attribute a, pugi::xml_node owner);

// The element and its subtree as a standalone UTF-8 XML document (with declaration), declaring on
// its root every namespace prefix in scope that the subtree needs.
std::string standalone_copy(pugi::xml_node el);

// The document as UTF-8 text, indented by two spaces.
std::string to_text(const pugi::xml_document& doc);

// Writes XML text directly: an XML declaration (UTF-8), elements indented by two spaces, text and
// attribute values escaped so that they read back exactly (&, <, > and, in attributes, "; carriage
// returns as &#13;, and tabs and newlines in attributes as character references, since a parser
// normalises them). pugixml's writer leaves a carriage return raw, which a reader turns into a
// newline.
class XmlOut {
 public:
  XmlOut();
  // <name attr="value" ...> on its own line; close() ends the innermost open element.
  void open(std::string_view name,
            std::initializer_list<std::pair<std::string_view, std::string_view>> attrs = {});
  void close();
  // <name>text</name> (<name /> when empty) on its own line.
  void leaf(std::string_view name, std::string_view text,
            std::initializer_list<std::pair<std::string_view, std::string_view>> attrs = {});
  // The document; every element must have been closed.
  std::string take();

 private:
  void start_tag(std::string_view name,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> attrs);
  std::string out_;
  std::vector<std::string> open_;
};

// The character data of an element (its text and CDATA children, concatenated).
std::string text_of(pugi::xml_node el);

}  // namespace liandong::alerts::internal
