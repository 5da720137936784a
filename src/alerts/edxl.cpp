#include "alerts/edxl.h"

#include "alerts/internal/text.h"
#include "alerts/internal/xml.h"

namespace liandong::alerts {
namespace {

using internal::local_name;
using internal::namespace_of;

bool is_cap_alert(pugi::xml_node n) {
  if (n.type() != pugi::node_element || local_name(n) != "alert") return false;
  const std::string_view ns = namespace_of(n);
  return ns == kCapNamespace12 || ns == kCapNamespace11 || ns == kCapNamespace10;
}

bool is_de(pugi::xml_node n, std::string_view name) {
  return n.type() == pugi::node_element && local_name(n) == name &&
         namespace_of(n) == kEdxlDeNamespace;
}

}  // namespace

core::Result<Envelope> read_edxl_de(std::string_view xml, const ReadLimits& limits) {
  internal::XmlProblem problem;
  auto doc = internal::parse_untrusted(xml, limits.max_bytes, limits.max_depth, problem);
  if (!doc) {
    const core::Code code =
        problem.code == "xml.too_large" ? core::Code::kTooLarge : core::Code::kInvalidArgument;
    return core::Status(code, problem.code + ": " + problem.message);
  }
  const pugi::xml_node root = doc->doc.document_element();
  if (!is_de(root, "EDXLDistribution"))
    return core::invalid("the root element is <" + internal::excerpt(root.name()) +
                         ">, not an EDXL-DE 1.0 <EDXLDistribution> (namespace " +
                         std::string(kEdxlDeNamespace) + ")");
  Envelope env;
  struct Field {
    const char* name;
    std::string* into;
  } fields[] = {{"distributionID", &env.distribution_id},
                {"senderID", &env.sender_id},
                {"dateTimeSent", &env.date_time_sent},
                {"distributionStatus", &env.distribution_status},
                {"distributionType", &env.distribution_type}};
  for (const Field& f : fields) {
    int seen = 0;
    for (pugi::xml_node c : root.children()) {
      if (!is_de(c, f.name)) continue;
      if (++seen > 1)
        return core::invalid(std::string("<") + f.name + "> occurs more than once",
                             std::string("EDXLDistribution/") + f.name);
      *f.into = std::string(internal::trim_xml_space(internal::text_of(c)));
    }
    if (seen == 0)
      return core::invalid(std::string("the envelope has no <") + f.name + ">",
                           std::string("EDXLDistribution/") + f.name);
  }
  for (pugi::xml_node object : root.children()) {
    if (!is_de(object, "contentObject")) continue;
    for (pugi::xml_node content : object.children()) {
      if (!is_de(content, "xmlContent")) continue;
      for (pugi::xml_node embedded : content.children()) {
        if (!is_de(embedded, "embeddedXMLContent")) continue;
        for (pugi::xml_node item : embedded.children())
          if (is_cap_alert(item)) env.cap_documents.push_back(internal::standalone_copy(item));
      }
    }
  }
  return env;
}

}  // namespace liandong::alerts
