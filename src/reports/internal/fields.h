// The fields of Content by name, shared by the JSON codec, the element check and the version diff
// so that the three cannot disagree on a key.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reports/content.h"

namespace liandong::reports::internal {

struct TextField {
  std::string_view key;
  std::string Content::*member;
};
struct TimeField {
  std::string_view key;
  std::optional<core::Timestamp> Content::*member;
};
struct FigureField {
  std::string_view key;
  std::optional<int64_t> Consequences::*member;
  std::string_view name_zh;
};

inline constexpr std::array<TextField, 12> kTextFields = {{
    {"title", &Content::title},
    {"place", &Content::place},
    {"source", &Content::source},
    {"cause_nature", &Content::cause_nature},
    {"course", &Content::course},
    {"scope", &Content::scope},
    {"trend", &Content::trend},
    {"measures", &Content::measures},
    {"next_steps", &Content::next_steps},
    {"reporting_unit", &Content::reporting_unit},
    {"contact", &Content::contact},
    {"body", &Content::body},
}};

inline constexpr std::array<TimeField, 3> kTimeFields = {{
    {"time", &Content::time},
    {"period_from", &Content::period_from},
    {"period_to", &Content::period_to},
}};

inline constexpr std::array<FigureField, 5> kFigureFields = {{
    {"deaths", &Consequences::deaths, "死亡"},
    {"injuries", &Consequences::injuries, "受伤"},
    {"missing", &Consequences::missing, "失踪"},
    {"affected", &Consequences::affected, "受影响人数"},
    {"direct_loss_yuan", &Consequences::direct_loss_yuan, "直接经济损失"},
}};

}  // namespace liandong::reports::internal
