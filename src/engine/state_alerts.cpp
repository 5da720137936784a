// State::apply for the alert events: every alert.*, subscriber.* and feed.* event carries the whole
// record as it is after the change ("alert", "subscriber", "feed"); a record whose id is the next
// of its kind is added, any other replaces the record of that id.
#include "core/ids.h"
#include "engine/state.h"

namespace liandong::engine {

using nlohmann::json;

namespace {

core::Status data_loss(const Event& e, const std::string& why) {
  return {core::Code::kDataLoss, "event " + std::to_string(e.seq) + " (" + e.type + "): " + why};
}

template <typename T, typename Parse>
core::Status upsert(const Event& e, const std::string& node, std::string_view kind, core::PersistentVector<T>& records,
                    const char* key, Parse parse) {
  auto it = e.data.find(key);
  if (it == e.data.end()) return data_loss(e, std::string("no ") + key);
  auto r = parse(*it);
  if (!r) return data_loss(e, r.status().message());
  if (r->id == core::format_id(node, kind, records.size() + 1)) {
    records.push_back(std::make_shared<const T>(std::move(*r)));
    return core::Status::ok();
  }
  auto idx = index_of(r->id, node, kind, records.size());
  if (idx < 0) return data_loss(e, "out-of-order or unknown id " + r->id);
  records.set(idx, std::make_shared<const T>(std::move(*r)));
  return core::Status::ok();
}

}  // namespace

core::Status State::apply_alerts(const Event& e) {
  if (e.type.rfind("alert.", 0) == 0)
    return upsert(e, v_.node, core::kKindAlert, v_.alerts, "alert", alert_from_json);
  if (e.type.rfind("subscriber.", 0) == 0) {
    v_.subscribers_seq = e.seq;
    return upsert(e, v_.node, core::kKindSubscriber, v_.subscribers, "subscriber", subscriber_from_json);
  }
  if (e.type.rfind("feed.", 0) == 0) {
    v_.feeds_seq = e.seq;
    return upsert(e, v_.node, core::kKindFeed, v_.feeds, "feed", feed_from_json);
  }
  return data_loss(e, "unknown event type");
}

}  // namespace liandong::engine
