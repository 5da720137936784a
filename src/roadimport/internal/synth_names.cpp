#include "roadimport/internal/synth_names.h"

#include <array>

namespace liandong::roadimport::internal {
namespace {

constexpr std::array<std::string_view, 40> kFirst = {
    "文", "演", "麦", "江", "下", "东", "西", "南", "北", "新", "长", "和", "华", "惠",
    "丰", "合", "富", "民", "安", "康", "平", "光", "明", "云", "山", "湖", "河", "桥",
    "龙", "凤", "金", "银", "荷", "桂", "梅", "竹", "松", "柏", "榕", "花"};
constexpr std::array<std::string_view, 40> kSecond = {
    "明", "达", "地", "北", "埔", "平", "兴", "盛", "华", "山", "湖", "江", "园", "林",
    "田", "湾", "岭", "塘", "坑", "岗", "屋", "村", "福", "宁", "泰", "昌", "荣", "宝",
    "光", "景", "城", "乐", "丽", "源", "泉", "秀", "仁", "义", "德", "祥"};
constexpr std::array<std::string_view, 12> kPrefix = {"",   "新", "东", "西", "南", "北",
                                                      "前", "后", "上", "中", "大", "小"};
constexpr std::array<std::string_view, 10> kDigit = {"",   "一", "二", "三", "四",
                                                     "五", "六", "七", "八", "九"};

}  // namespace

uint64_t base_name_count() { return kFirst.size() * kSecond.size(); }

std::string base_name(uint64_t index) {
  const uint64_t n = base_name_count();
  const uint64_t k = index % n;
  std::string out(kPrefix[(index / n) % kPrefix.size()]);
  out += kFirst[k % kFirst.size()];
  out += kSecond[(k / kFirst.size()) % kSecond.size()];
  return out;
}

std::string chinese_number(uint32_t n) {
  if (n == 0 || n >= 100) return std::to_string(n);
  if (n < 10) return std::string(kDigit[n]);
  std::string out = n >= 20 ? std::string(kDigit[n / 10]) : std::string();
  out += "十";
  out += kDigit[n % 10];
  return out;
}

const std::vector<Landmark>& landmarks() {
  static const std::vector<Landmark> kList = {
      {"中心医院", "hospital"},      {"市人民医院", "hospital"}, {"市中医院", "hospital"},
      {"妇幼保健院", "hospital"},    {"市第一中学", "school"},   {"市第二中学", "school"},
      {"实验小学", "school"},        {"体育中心", "stadium"},    {"火车站", "station"},
      {"汽车客运站", "bus_station"}, {"市政府", "townhall"},     {"图书馆", "library"},
      {"博物馆", "museum"},          {"中心广场", "square"},     {"消防救援站", "fire_station"},
      {"公安局", "police"},          {"购物中心", "mall"},       {"急救中心", "ambulance_station"},
  };
  return kList;
}

const std::vector<std::string_view>& district_names() {
  static const std::vector<std::string_view> kList = {"江北", "桥东", "桥西",   "江南", "河南岸",
                                                      "龙丰", "水口", "小金口", "马安"};
  return kList;
}

}  // namespace liandong::roadimport::internal
