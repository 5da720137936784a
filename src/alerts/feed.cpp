#include "alerts/feed.h"

#include <pugixml.hpp>

#include "alerts/internal/text.h"
#include "alerts/internal/xml.h"

namespace liandong::alerts {
namespace {

using internal::local_name;
using internal::namespace_of;
using internal::text_of;
using internal::trim_xml_space;

bool is_cap_alert(pugi::xml_node n) {
  if (n.type() != pugi::node_element || local_name(n) != "alert") return false;
  const std::string_view ns = namespace_of(n);
  return ns == kCapNamespace12 || ns == kCapNamespace11 || ns == kCapNamespace10;
}

// The element child `name` in namespace `ns` ("" for none), or a null node.
pugi::xml_node child(pugi::xml_node parent, std::string_view name, std::string_view ns) {
  for (pugi::xml_node c : parent.children())
    if (c.type() == pugi::node_element && local_name(c) == name && namespace_of(c) == ns) return c;
  return {};
}

std::string child_text(pugi::xml_node parent, std::string_view name, std::string_view ns) {
  const pugi::xml_node c = child(parent, name, ns);
  return c ? std::string(trim_xml_space(text_of(c))) : std::string();
}

// The path of a URL ends in .cap or .xml (query and fragment ignored, any case).
bool looks_like_cap(std::string_view url) {
  url = url.substr(0, std::min(url.find('?'), url.find('#')));
  auto ends = [&](std::string_view ext) {
    if (url.size() < ext.size()) return false;
    for (size_t i = 0; i < ext.size(); ++i) {
      char c = url[url.size() - ext.size() + i];
      if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
      if (c != ext[i]) return false;
    }
    return true;
  };
  return ends(".cap") || ends(".xml");
}

// The first CAP alert among the children of `n`, re-serialised; "" when none.
std::string embedded_alert(pugi::xml_node n) {
  for (pugi::xml_node c : n.children())
    if (is_cap_alert(c)) return internal::standalone_copy(c);
  return "";
}

FeedEntry atom_entry(pugi::xml_node e) {
  const std::string_view ns = kAtomNamespace;
  FeedEntry out;
  out.id = child_text(e, "id", ns);
  out.title = child_text(e, "title", ns);
  out.updated = child_text(e, "updated", ns);
  std::string by_extension;
  for (pugi::xml_node l : e.children()) {
    if (l.type() != pugi::node_element || local_name(l) != "link" || namespace_of(l) != ns)
      continue;
    const std::string href(trim_xml_space(l.attribute("href").value()));
    const std::string_view type = l.attribute("type").value();
    const std::string_view rel = l.attribute("rel") ? l.attribute("rel").value() : "alternate";
    if (href.empty()) continue;
    if (type == kCapMediaType) {
      if (out.cap_url.empty()) out.cap_url = href;
    } else if (looks_like_cap(href)) {
      if (by_extension.empty()) by_extension = href;
    } else if (rel == "alternate" && out.link.empty()) {
      out.link = href;
    }
  }
  if (out.cap_url.empty()) out.cap_url = by_extension;
  if (const pugi::xml_node content = child(e, "content", ns)) out.cap_xml = embedded_alert(content);
  if (out.cap_xml.empty()) out.cap_xml = embedded_alert(e);
  return out;
}

FeedEntry rss_item(pugi::xml_node item) {
  FeedEntry out;
  out.title = child_text(item, "title", "");
  out.updated = child_text(item, "pubDate", "");
  out.link = child_text(item, "link", "");
  out.id = child_text(item, "guid", "");
  if (out.id.empty()) out.id = out.link;
  for (pugi::xml_node c : item.children()) {
    if (c.type() != pugi::node_element || local_name(c) != "enclosure" || !namespace_of(c).empty())
      continue;
    if (std::string_view(c.attribute("type").value()) == kCapMediaType) {
      out.cap_url = trim_xml_space(c.attribute("url").value());
      break;
    }
  }
  if (out.cap_url.empty() && looks_like_cap(out.link)) out.cap_url = out.link;
  out.cap_xml = embedded_alert(item);
  return out;
}

}  // namespace

core::Result<std::vector<FeedEntry>> read_feed(std::string_view xml, const ReadLimits& limits) {
  internal::XmlProblem problem;
  auto doc = internal::parse_untrusted(xml, limits.max_bytes, limits.max_depth, problem);
  if (!doc) {
    const core::Code code =
        problem.code == "xml.too_large" ? core::Code::kTooLarge : core::Code::kInvalidArgument;
    return core::Status(code, problem.code + ": " + problem.message);
  }
  const pugi::xml_node root = doc->doc.document_element();
  std::vector<FeedEntry> out;
  if (local_name(root) == "feed" && namespace_of(root) == kAtomNamespace) {
    for (pugi::xml_node e : root.children())
      if (e.type() == pugi::node_element && local_name(e) == "entry" &&
          namespace_of(e) == kAtomNamespace)
        out.push_back(atom_entry(e));
    return out;
  }
  if (local_name(root) == "rss" && namespace_of(root).empty()) {
    const pugi::xml_node channel = child(root, "channel", "");
    if (!channel) return core::invalid("the RSS feed has no <channel>");
    for (pugi::xml_node i : channel.children())
      if (i.type() == pugi::node_element && local_name(i) == "item" && namespace_of(i).empty())
        out.push_back(rss_item(i));
    return out;
  }
  return core::invalid("the root element is <" + internal::excerpt(root.name()) +
                       ">, not an Atom <feed> (" + std::string(kAtomNamespace) +
                       ") or an RSS 2.0 <rss>");
}

std::string write_atom(const AtomFeed& feed) {
  internal::XmlOut x;
  x.open("feed", {{"xmlns", kAtomNamespace}});
  x.leaf("id", feed.id);
  x.leaf("title", feed.title);
  x.leaf("updated", feed.updated);
  x.open("author");
  x.leaf("name", feed.author.empty() ? feed.title : feed.author);
  x.close();
  x.leaf("link", "", {{"rel", "self"}, {"type", "application/atom+xml"}, {"href", feed.self_link}});
  for (const AtomEntry& e : feed.entries) {
    x.open("entry");
    x.leaf("id", e.id);
    x.leaf("title", e.title);
    x.leaf("updated", e.updated);
    if (!e.published.empty()) x.leaf("published", e.published);
    if (!e.summary.empty()) x.leaf("summary", e.summary);
    if (!e.link.empty())
      x.leaf("link", "", {{"rel", "alternate"}, {"type", "text/html"}, {"href", e.link}});
    x.leaf("link", "", {{"rel", "alternate"}, {"type", kCapMediaType}, {"href", e.cap_link}});
    x.close();
  }
  x.close();
  return x.take();
}

}  // namespace liandong::alerts
