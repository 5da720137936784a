// The alert commands: drafting a CAP alert from a warning, editing, submitting, approving or
// rejecting it, publishing (identifier, references, the CAP document), receiving alerts from
// outside, and the subscribers and feeds. Events and their data are listed in docs/API.md.
#include <algorithm>
#include <set>

#include "core/codes.h"
#include "core/ids.h"
#include "engine/alert_cap.h"
#include "engine/alert_mapping.h"
#include "engine/internal/handlers.h"

namespace liandong::engine::internal {

using nlohmann::json;

namespace {

constexpr size_t kQuarantineKeep = 64 * 1024;  // bytes of a refused document kept for the operator

// `s` as valid UTF-8 of at most `max` bytes: invalid bytes become U+FFFD and the cut falls between
// characters. Text from outside (a quarantined document, a received alert's fields cut to size)
// goes into journal events, which must be valid UTF-8.
std::string clean_utf8(std::string_view s, size_t max) {
  std::string out;
  out.reserve(std::min(s.size(), max));
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && n == 2) ok = c >= 0xC2;  // no overlong forms
    if (ok && n == 3) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // overlong, surrogates
    }
    if (ok && n == 4) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    std::string_view piece = ok ? s.substr(i, n) : std::string_view("\xEF\xBF\xBD");
    if (out.size() + piece.size() > max) break;
    out += piece;
    i += ok ? n : 1;
  }
  return out;
}

core::Status check_text(const std::string& s, const char* field, size_t max) {
  if (s.size() > max) return core::invalid(std::string(field) + " is longer than " + std::to_string(max) + " bytes", field);
  return core::Status::ok();
}

bool one_of(std::string_view v, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

core::Status check_content(const AlertContent& c) {
  LD_RETURN_IF_ERROR(check_text(c.headline, "content.headline", 500));
  LD_RETURN_IF_ERROR(check_text(c.event, "content.event", 200));
  LD_RETURN_IF_ERROR(check_text(c.description, "content.description", 8000));
  LD_RETURN_IF_ERROR(check_text(c.instruction, "content.instruction", 4000));
  LD_RETURN_IF_ERROR(check_text(c.area_desc, "content.area_desc", 500));
  LD_RETURN_IF_ERROR(check_text(c.sender_name, "content.sender_name", 200));
  LD_RETURN_IF_ERROR(check_text(c.contact, "content.contact", 200));
  LD_RETURN_IF_ERROR(check_text(c.web, "content.web", 1000));
  if (c.polygons.size() > 50) return core::invalid("at most 50 polygons", "content.polygons");
  for (size_t i = 0; i < c.polygons.size(); ++i) {
    if (c.polygons[i].size() > 5000) return core::invalid("at most 5000 points a polygon", "content.polygons");
    for (const auto& p : c.polygons[i])
      LD_RETURN_IF_ERROR(core::validate(p, "content.polygons[" + std::to_string(i) + "]"));
  }
  for (size_t i = 0; i < c.circles.size(); ++i) {
    LD_RETURN_IF_ERROR(core::validate(c.circles[i].centre, "content.circles[" + std::to_string(i) + "].centre"));
    if (!(c.circles[i].radius_km >= 0 && c.circles[i].radius_km <= 2000))
      return core::invalid("a circle's radius_km is 0 to 2000", "content.circles[" + std::to_string(i) + "].radius_km");
  }
  for (const auto& g : c.geocodes)
    if (g.size() != 6 || !std::all_of(g.begin(), g.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return core::invalid("a geocode is a six-digit GB/T 2260 code (got '" + g + "')", "content.geocodes");
  return core::Status::ok();
}

// `over`'s non-empty fields replace `base`'s.
AlertContent overlay(AlertContent base, const AlertContent& over) {
  auto s = [](std::string& to, const std::string& from) {
    if (!from.empty()) to = from;
  };
  s(base.language, over.language);
  if (!over.categories.empty()) base.categories = over.categories;
  s(base.event, over.event);
  if (!over.response_types.empty()) base.response_types = over.response_types;
  s(base.urgency, over.urgency);
  s(base.severity, over.severity);
  s(base.certainty, over.certainty);
  s(base.sender_name, over.sender_name);
  s(base.headline, over.headline);
  s(base.description, over.description);
  s(base.instruction, over.instruction);
  s(base.contact, over.contact);
  s(base.web, over.web);
  if (over.onset) base.onset = over.onset;
  if (over.expires) base.expires = over.expires;
  s(base.area_desc, over.area_desc);
  if (!over.polygons.empty() || !over.circles.empty()) {
    base.polygons = over.polygons;
    base.circles = over.circles;
  }
  if (!over.geocodes.empty()) base.geocodes = over.geocodes;
  return base;
}

core::Result<const AlertRecord*> get_alert(const Tx& tx, const std::string& id) {
  const AlertRecord* a = tx.view().find_alert(id);
  if (!a) return core::not_found("no alert " + id + " on this node");
  return a;
}

core::Status emit_alert(Tx& tx, const std::string& type, AlertRecord a, const std::string& action,
                        const std::string& note = {}, const std::string& permission = {}) {
  a.updated_at = tx.now();
  a.steps.push_back(AlertStep{action, tx.by(), tx.now(), note, permission});
  std::string jurisdiction = a.jurisdiction;
  return tx.emit(type, jurisdiction, {{"alert", to_json(a)}});
}

core::Timestamp whole_seconds(core::Timestamp t) {
  return std::chrono::floor<std::chrono::seconds>(t);
}

// An outgoing alert made ready to publish: identifier, sender, sent time, references and the CAP
// document. Emits nothing, so a refusal leaves no trace.
core::Result<AlertRecord> prepare_publication(const Tx& tx, AlertRecord a) {
  core::Timestamp sent = whole_seconds(tx.now());
  // The sequence digit: alerts this node published in the same second so far.
  std::string prefix = national_identifier(tx.rules().node, tx.rules().alert_body_code, sent, 0);
  prefix.pop_back();
  int sequence = 0;
  for (size_t i = tx.view().alerts.size(); i-- > 0 && sequence < 10;) {
    const AlertRecord& other = tx.view().alerts[i];
    if (!other.outgoing() || !other.sent) continue;
    if (*other.sent < sent) break;
    if (other.identifier.rfind(prefix, 0) == 0) ++sequence;
  }
  if (sequence >= 10)
    return core::unavailable("ten alerts were published in this second already; publish again in a second");
  a.identifier = national_identifier(tx.rules().node, tx.rules().alert_body_code, sent, sequence);
  a.sender = tx.rules().alert_sender;
  a.sent = sent;
  a.references.clear();
  if (!a.replaces.empty()) {
    const AlertRecord* replaced = tx.view().find_alert(a.replaces);
    if (!replaced || replaced->state != "published")
      return core::conflict("alert " + a.replaces + " is no longer published (it was updated or cancelled meanwhile)",
                            "replaces");
    a.references = replaced->references;
    a.references.push_back(reference_of(*replaced));
  }
  auto xml = render_cap(a);
  if (!xml) return xml.status();
  a.xml = std::move(*xml);
  a.state = "published";
  return a;
}

// Publishes a prepared alert: the alert it follows becomes superseded (Update) or cancelled
// (Cancel); an Actual alert marks its warning issued. `permission`: the approver's, when approved.
core::Status emit_publication(Tx& tx, AlertRecord a, const std::string& note, const std::string& permission) {
  std::string id = a.id, warning_id = a.warning_id, msg_type = a.msg_type, status = a.cap_status;
  if (const AlertRecord* replaced = a.replaces.empty() ? nullptr : tx.view().find_alert(a.replaces)) {
    AlertRecord old = *replaced;
    std::string state = msg_type == "Cancel" ? "cancelled" : "superseded";
    old.state = state;
    old.replaced_by = id;
    LD_RETURN_IF_ERROR(emit_alert(tx, "alert." + state, std::move(old), state, "by " + id));
  }
  if (!permission.empty()) {
    a.steps.push_back(AlertStep{"approved", tx.by(), tx.now(), note, permission});
    LD_RETURN_IF_ERROR(emit_alert(tx, "alert.published", std::move(a), "published"));
  } else {
    LD_RETURN_IF_ERROR(emit_alert(tx, "alert.published", std::move(a), "published", note));
  }
  const Warning* w = tx.view().find_warning(warning_id);
  if (w && status == "Actual" && msg_type != "Cancel" && w->open() && w->status != "issued")
    LD_RETURN_IF_ERROR(warning_step(tx, *w, "issued", {{"note", "CAP alert " + id}}));
  return core::Status::ok();
}

core::Result<Outcome> draft_alert(Tx& tx, const DraftAlert& c) {
  if (!one_of(c.msg_type, {"Alert", "Update", "Cancel"}))
    return core::invalid("msg_type is Alert, Update or Cancel (got '" + c.msg_type + "')", "msg_type");
  if (!one_of(c.cap_status, {"Actual", "Exercise", "Test"}))
    return core::invalid("status is Actual, Exercise (drills) or Test (got '" + c.cap_status + "')", "status");
  const AlertRecord* replaced = nullptr;
  std::string warning_id = c.warning_id;
  if (c.msg_type == "Alert") {
    if (!c.replaces.empty()) return core::invalid("a new alert replaces nothing; Update or Cancel do", "replaces");
  } else {
    if (c.replaces.empty()) return core::invalid("an " + c.msg_type + " names the alert it follows", "replaces");
    replaced = tx.view().find_alert(c.replaces);
    if (!replaced || !replaced->outgoing())
      return core::invalid("no alert " + c.replaces + " published by this node", "replaces");
    if (replaced->state != "published")
      return core::conflict("alert " + c.replaces + " is " + replaced->state + ", not published", "replaces");
    if (!warning_id.empty() && warning_id != replaced->warning_id)
      return core::invalid("alert " + c.replaces + " is about warning " + replaced->warning_id, "warning_id");
    warning_id = replaced->warning_id;
  }
  const Warning* w = tx.view().find_warning(warning_id);
  if (!w) return core::invalid("no warning " + warning_id + " on this node", "warning_id");
  if (!w->open() && c.msg_type != "Cancel")
    return core::conflict("warning " + w->id + " is lifted; only a Cancel may follow", "warning_id");
  AlertRecord a;
  a.id = next_id(tx, core::kKindAlert, tx.view().alerts.size());
  a.jurisdiction = w->jurisdiction;
  a.direction = "outgoing";
  a.state = "draft";
  a.warning_id = w->id;
  a.msg_type = c.msg_type;
  a.cap_status = c.cap_status;
  a.level = w->level;
  a.approval = approval_for(replaced && level_rank(replaced->level) > level_rank(w->level) ? replaced->level : w->level);
  a.replaces = c.replaces;
  const FenceRecord* fence = w->fence_id.empty() ? nullptr : tx.view().find_fence(w->fence_id);
  a.content = replaced && c.msg_type == "Cancel" ? replaced->content : content_for_warning(*w, *tx.rules().taxonomy, fence);
  if (c.msg_type == "Cancel") a.content.headline = "解除：" + replaced->content.headline;
  if (c.content) a.content = overlay(std::move(a.content), *c.content);
  LD_RETURN_IF_ERROR(check_content(a.content));
  a.drafted_by = tx.by();
  a.created_at = tx.now();
  std::string id = a.id;
  LD_RETURN_IF_ERROR(emit_alert(tx, "alert.drafted", std::move(a), "drafted"));
  return Outcome{to_json(*tx.view().find_alert(id)), true};
}

core::Result<Outcome> edit_alert(Tx& tx, const EditAlert& c) {
  auto found = get_alert(tx, c.alert_id);
  if (!found) return found.status();
  AlertRecord a = **found;
  if (!a.outgoing() || a.state != "draft")
    return core::conflict("alert " + a.id + " is " + a.state + "; only drafts are edited", "alert_id");
  LD_RETURN_IF_ERROR(check_content(c.content));
  a.content = c.content;
  LD_RETURN_IF_ERROR(emit_alert(tx, "alert.edited", std::move(a), "edited"));
  return Outcome{to_json(*tx.view().find_alert(c.alert_id)), false};
}

core::Result<Outcome> submit_alert(Tx& tx, const SubmitAlert& c) {
  auto found = get_alert(tx, c.alert_id);
  if (!found) return found.status();
  AlertRecord a = **found;
  if (!a.outgoing() || a.state != "draft")
    return core::conflict("alert " + a.id + " is " + a.state + "; only drafts are submitted", "alert_id");
  // Checked now as the document it will be, so an approver never sees an alert that cannot be
  // published (the identifier and time are provisional until then).
  auto ready = prepare_publication(tx, a);
  if (!ready) return ready.status();
  if (a.approval.empty()) {
    ready->steps.push_back(AlertStep{"submitted", tx.by(), tx.now(), "", ""});
    LD_RETURN_IF_ERROR(emit_publication(tx, std::move(*ready), "", ""));
  } else {
    a.state = "pending_approval";
    LD_RETURN_IF_ERROR(emit_alert(tx, "alert.submitted", std::move(a), "submitted"));
  }
  return Outcome{to_json(*tx.view().find_alert(c.alert_id)), false};
}

core::Result<Outcome> review_alert(Tx& tx, const ReviewAlert& c) {
  auto found = get_alert(tx, c.alert_id);
  if (!found) return found.status();
  AlertRecord a = **found;
  if (!a.outgoing() || a.state != "pending_approval")
    return core::conflict("alert " + a.id + " is " + a.state + ", not waiting for approval", "alert_id");
  LD_RETURN_IF_ERROR(check_text(c.note, "note", 2000));
  std::string submitter;
  for (const auto& s : a.steps)
    if (s.action == "submitted") submitter = s.by;
  if (tx.by() == a.drafted_by || tx.by() == submitter)
    return core::Status(core::Code::kPermissionDenied,
                        "a second person reviews an alert: " + tx.by() + " drafted or submitted " + a.id);
  if (!c.approve) {
    if (c.note.empty()) return core::invalid("a rejection says why", "note");
    a.state = "draft";
    LD_RETURN_IF_ERROR(emit_alert(tx, "alert.rejected", std::move(a), "rejected", c.note));
  } else {
    std::string permission = a.approval;
    auto ready = prepare_publication(tx, std::move(a));
    if (!ready) return ready.status();
    LD_RETURN_IF_ERROR(emit_publication(tx, std::move(*ready), c.note, permission));
  }
  return Outcome{to_json(*tx.view().find_alert(c.alert_id)), false};
}

core::Result<Outcome> quarantine(Tx& tx, const ReceiveAlert& c) {
  AlertRecord a = c.parsed;
  a.id = next_id(tx, core::kKindAlert, tx.view().alerts.size());
  a.jurisdiction = tx.rules().node;
  a.direction = "incoming";
  a.state = "quarantined";
  a.source = c.source;
  a.xml = clean_utf8(c.xml, kQuarantineKeep);
  a.report = c.report;
  a.created_at = tx.now();
  std::string id = a.id;
  LD_RETURN_IF_ERROR(emit_alert(tx, "alert.quarantined", std::move(a), "quarantined",
                                c.xml.size() > kQuarantineKeep ? "document cut to 64 KiB" : ""));
  return Outcome{to_json(*tx.view().find_alert(id)), true};
}

// The received alert an Update or Cancel follows: the newest of its references that this node
// received and that is still current.
const AlertRecord* referenced(const Tx& tx, const AlertRecord& a) {
  for (auto it = a.references.rbegin(); it != a.references.rend(); ++it) {
    auto c1 = it->find(','), c2 = it->find(',', c1 == std::string::npos ? c1 : c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) continue;
    const AlertRecord* r = tx.view().find_received(it->substr(0, c1), it->substr(c1 + 1, c2 - c1 - 1));
    if (r && (r->state == "received")) return r;
  }
  return nullptr;
}

core::Result<Outcome> receive_alert(Tx& tx, const ReceiveAlert& c) {
  if (c.source.empty()) return core::invalid("source is a feed id or push", "source");
  if (!c.accepted) return quarantine(tx, c);
  if (const AlertRecord* dup = tx.view().find_received(c.parsed.sender, c.parsed.identifier)) {
    json body = to_json(*dup);
    body["duplicate"] = true;
    return Outcome{std::move(body), false};
  }
  AlertRecord a = c.parsed;
  a.id = next_id(tx, core::kKindAlert, tx.view().alerts.size());
  a.jurisdiction = tx.rules().node;
  a.direction = "incoming";
  a.state = "received";
  a.source = c.source;
  // Kept as received; a document in another encoding (ISO-8859-1 ...) keeps its ASCII and shows
  // U+FFFD for the rest (its fields were read converted, by the codec).
  a.xml = clean_utf8(c.xml, SIZE_MAX);
  a.report = c.report;
  a.level = level_for_severity(a.content.severity);
  a.created_at = tx.now();
  std::string id = a.id;
  const AlertRecord* earlier = a.msg_type == "Alert" ? nullptr : referenced(tx, a);
  std::string note;
  if (a.msg_type != "Alert" && !earlier) note = "it references no alert this node holds; taken as a new alert";
  bool drill = a.cap_status != "Actual";
  if (earlier) {
    AlertRecord old = *earlier;
    a.warning_id = old.warning_id;
    old.state = a.msg_type == "Cancel" ? "cancelled" : "superseded";
    old.replaced_by = id;
    std::string old_state = old.state;
    LD_RETURN_IF_ERROR(emit_alert(tx, "alert." + old_state, std::move(old), old_state, "by " + id));
    LD_RETURN_IF_ERROR(emit_alert(tx, "alert.received", a, "received"));
    const Warning* w = tx.view().find_warning(a.warning_id);
    if (w && w->open()) {
      if (a.msg_type == "Cancel")
        LD_RETURN_IF_ERROR(warning_step(tx, *w, "lifted", {{"note", "cancelled by " + a.sender + " (" + id + ")"}}));
      else
        LD_RETURN_IF_ERROR(warning_step(tx, *w, "updated",
                                        {{"level", a.level},
                                         {"description", clean_utf8(a.content.description, 4000)},
                                         {"note", "updated by " + a.sender + " (" + id + ")"}}));
    }
  } else if (a.msg_type == "Cancel" || drill) {
    // Nothing to lift, or a drill: kept, raises nothing.
    if (drill) note = "an " + a.cap_status + " alert: kept, raises no warning";
    LD_RETURN_IF_ERROR(emit_alert(tx, "alert.received", std::move(a), "received", note));
  } else {
    Warning w;
    w.level = a.level;
    w.source = "cap";
    w.title = clean_utf8(a.content.headline.empty() ? a.content.event : a.content.headline, 200);
    if (w.title.empty()) w.title = "CAP " + clean_utf8(a.identifier, 150);
    w.description = clean_utf8(a.content.description, 4000);
    w.jurisdiction = tx.rules().node;
    if (!a.content.circles.empty()) {
      w.location = a.content.circles[0].centre;
    } else if (!a.content.polygons.empty() && !a.content.polygons[0].empty()) {
      double lon = 0, lat = 0;
      for (const auto& p : a.content.polygons[0]) lon += p.lon, lat += p.lat;
      w.location = core::LonLat{lon / a.content.polygons[0].size(), lat / a.content.polygons[0].size()};
    }
    if (w.location && !core::validate(*w.location, "location").is_ok()) w.location.reset();
    a.warning_id = next_id(tx, core::kKindWarning, tx.view().warnings.size());
    std::string warning_id = a.warning_id;
    LD_RETURN_IF_ERROR(raise(tx, std::move(w)));
    bool open_incident = c.open_incidents && opens_incident(a);
    LD_RETURN_IF_ERROR(emit_alert(tx, "alert.received", std::move(a), "received", note));
    if (open_incident) {
      auto linked = handle_monitoring(tx, LinkWarning{warning_id, ""});
      if (!linked) return linked.status();
    }
  }
  return Outcome{to_json(*tx.view().find_alert(id)), true};
}

core::Status check_url(const std::string& url, const char* field) {
  if (!(url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) || url.size() < 10 || url.size() > 2000 ||
      url.find_first_of(" \t\r\n") != std::string::npos)
    return core::invalid("url is an http:// or https:// address without spaces (got '" + url.substr(0, 100) + "')",
                         field);
  return core::Status::ok();
}

core::Status check_subscriber(const Subscriber& s) {
  if (s.name.empty() || s.name.size() > 200) return core::invalid("name is 1 to 200 bytes", "name");
  LD_RETURN_IF_ERROR(check_url(s.url, "url"));
  if (s.secret.size() < 16 || s.secret.size() > 256) return core::invalid("secret is 16 to 256 bytes", "secret");
  for (const auto& a : s.areas)
    if (a.size() != 6 || !std::all_of(a.begin(), a.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return core::invalid("an area is a six-digit GB/T 2260 code (got '" + a + "')", "areas");
  for (const auto& cat : s.categories)
    if (!one_of(cat, {"Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra",
                      "CBRNE", "Other"}))
      return core::invalid("unknown CAP category '" + cat + "'", "categories");
  if (level_rank(s.min_level) < 0) return core::invalid("min_level is blue, yellow, orange, red or empty", "min_level");
  if (s.max_age_s < 60 || s.max_age_s > 30 * 86400) return core::invalid("max_age_s is 60 s to 30 days", "max_age_s");
  return core::Status::ok();
}

core::Result<Outcome> create_subscriber(Tx& tx, const CreateSubscriber& c) {
  Subscriber s = c.subscriber;
  if (s.jurisdiction.empty()) s.jurisdiction = tx.rules().node;
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, s.jurisdiction));
  LD_RETURN_IF_ERROR(check_subscriber(s));
  s.id = next_id(tx, core::kKindSubscriber, tx.view().subscribers.size());
  s.deleted = false;
  s.created_by = tx.by();
  s.created_at = s.updated_at = tx.now();
  std::string id = s.id, jurisdiction = s.jurisdiction;
  LD_RETURN_IF_ERROR(tx.emit("subscriber.created", jurisdiction, {{"subscriber", to_json(s)}}));
  return Outcome{to_public_json(*tx.view().find_subscriber(id)), true};
}

core::Result<Outcome> update_subscriber(Tx& tx, const UpdateSubscriber& c) {
  const Subscriber* cur = tx.view().find_subscriber(c.subscriber.id);
  if (!cur || cur->deleted) return core::not_found("no subscriber " + c.subscriber.id + " on this node");
  Subscriber s = c.subscriber;
  s.jurisdiction = cur->jurisdiction;
  if (s.secret.empty()) s.secret = cur->secret;
  s.created_by = cur->created_by;
  s.created_at = cur->created_at;
  s.updated_at = tx.now();
  if (!s.deleted) LD_RETURN_IF_ERROR(check_subscriber(s));
  std::string id = s.id, jurisdiction = s.jurisdiction;
  LD_RETURN_IF_ERROR(tx.emit(s.deleted ? "subscriber.deleted" : "subscriber.updated", jurisdiction,
                             {{"subscriber", to_json(s)}}));
  return Outcome{to_public_json(*tx.view().find_subscriber(id)), false};
}

core::Status check_feed(const FeedRecord& f) {
  if (f.name.empty() || f.name.size() > 200) return core::invalid("name is 1 to 200 bytes", "name");
  LD_RETURN_IF_ERROR(check_url(f.url, "url"));
  if (f.interval_s < 10 || f.interval_s > 86400) return core::invalid("interval_s is 10 s to 1 day", "interval_s");
  return core::Status::ok();
}

core::Result<Outcome> create_feed(Tx& tx, const CreateFeed& c) {
  FeedRecord f = c.feed;
  if (f.jurisdiction.empty()) f.jurisdiction = tx.rules().node;
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, f.jurisdiction));
  LD_RETURN_IF_ERROR(check_feed(f));
  f.id = next_id(tx, core::kKindFeed, tx.view().feeds.size());
  f.deleted = false;
  f.created_by = tx.by();
  f.created_at = f.updated_at = tx.now();
  std::string id = f.id;
  LD_RETURN_IF_ERROR(tx.emit("feed.created", f.jurisdiction, {{"feed", to_json(f)}}));
  return Outcome{to_json(*tx.view().find_feed(id)), true};
}

core::Result<Outcome> update_feed(Tx& tx, const UpdateFeed& c) {
  const FeedRecord* cur = tx.view().find_feed(c.feed.id);
  if (!cur || cur->deleted) return core::not_found("no feed " + c.feed.id + " on this node");
  FeedRecord f = c.feed;
  f.jurisdiction = cur->jurisdiction;
  f.created_by = cur->created_by;
  f.created_at = cur->created_at;
  f.updated_at = tx.now();
  if (!f.deleted) LD_RETURN_IF_ERROR(check_feed(f));
  std::string id = f.id, jurisdiction = f.jurisdiction;
  LD_RETURN_IF_ERROR(tx.emit(f.deleted ? "feed.deleted" : "feed.updated", jurisdiction, {{"feed", to_json(f)}}));
  return Outcome{to_json(*tx.view().find_feed(id)), false};
}

}  // namespace

core::Result<Outcome> handle_alerts(Tx& tx, const DraftAlert& c) { return draft_alert(tx, c); }
core::Result<Outcome> handle_alerts(Tx& tx, const EditAlert& c) { return edit_alert(tx, c); }
core::Result<Outcome> handle_alerts(Tx& tx, const SubmitAlert& c) { return submit_alert(tx, c); }
core::Result<Outcome> handle_alerts(Tx& tx, const ReviewAlert& c) { return review_alert(tx, c); }
core::Result<Outcome> handle_alerts(Tx& tx, const ReceiveAlert& c) { return receive_alert(tx, c); }
core::Result<Outcome> handle_alerts(Tx& tx, const CreateSubscriber& c) { return create_subscriber(tx, c); }
core::Result<Outcome> handle_alerts(Tx& tx, const UpdateSubscriber& c) { return update_subscriber(tx, c); }
core::Result<Outcome> handle_alerts(Tx& tx, const CreateFeed& c) { return create_feed(tx, c); }
core::Result<Outcome> handle_alerts(Tx& tx, const UpdateFeed& c) { return update_feed(tx, c); }

}  // namespace liandong::engine::internal
