#include "webhooks/types.h"

#include "webhooks/internal/url.h"

namespace liandong::webhooks {

const char* state_name(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kDead:
      return "dead";
  }
  return "unknown";
}

core::Result<DeliveryState> parse_state(std::string_view text, std::string_view field) {
  for (auto s : {DeliveryState::kPending, DeliveryState::kDelivered, DeliveryState::kDead})
    if (text == state_name(s)) return s;
  return core::invalid("delivery state \"" + std::string(text.substr(0, 40)) +
                           "\" is not one of pending, delivered, dead",
                       std::string(field));
}

std::string delivery_id_for(std::string_view subscriber_id, uint64_t seq) {
  return std::string(subscriber_id) + "." + std::to_string(seq);
}

core::Status check_subscriber_id(std::string_view id, std::string_view field) {
  const std::string f(field);
  if (id.empty()) return core::invalid("subscriber id is empty", f);
  if (id.size() > 128) return core::invalid("subscriber id is longer than 128 characters", f);
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok)
      return core::invalid(
          "subscriber id \"" + std::string(id) + "\" may hold only letters, digits and -_.:", f);
  }
  return core::Status::ok();
}

core::Status check_subscriber(const Subscriber& s, std::string_view prefix) {
  const std::string p(prefix);
  LD_RETURN_IF_ERROR(check_subscriber_id(s.id, p + "id"));
  auto url = internal::parse_url(s.url, p + "url");
  if (!url) return url.status();
  if (s.secret.empty())
    return core::invalid("subscriber " + s.id + " has an empty secret", p + "secret");
  if (s.max_age.count() <= 0)
    return core::invalid("subscriber " + s.id + " has max_age " +
                             std::to_string(s.max_age.count()) + " ms; it must be positive",
                         p + "max_age");
  return core::Status::ok();
}

}  // namespace liandong::webhooks
