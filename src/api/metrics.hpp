// Prometheus text exposition (format 0.0.4) and the process's own CPU and
// resident memory from /proc.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace switchboard::api {

enum class MetricKind { kCounter, kGauge };

struct MetricSample {
  std::string name;  ///< "switchboard_active_calls"
  MetricKind kind = MetricKind::kGauge;
  std::string help;
  double value = 0;
  std::map<std::string, std::string> labels;
};

/// Samples of one name must be adjacent; HELP/TYPE are written once per name.
std::string to_prometheus(const std::vector<MetricSample>& samples);

/// process_cpu_seconds_total and process_resident_memory_bytes (Linux).
std::vector<MetricSample> process_metrics();

}  // namespace switchboard::api
