// bench/run cap, section delivery (cap_delivery.cpp): issue-to-delivered latency of CAP alerts to
// 100 webhook subscribers on loopback, through the node's path and through the deliverer alone.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace liandong::bench {

struct DeliveryResult {
  nlohmann::json figures;
  bool failed = false;
  std::string body;  // the first alert's CAP document (the reference sends it again)
};

// Publishes `alerts` alerts one after another and prints the table.
DeliveryResult run_delivery(size_t alerts);

}  // namespace liandong::bench
