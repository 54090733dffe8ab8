#include "api/metrics.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace switchboard::api {

namespace {

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string to_prometheus(const std::vector<MetricSample>& samples) {
  std::string out;
  std::string last;
  for (const auto& s : samples) {
    if (s.name != last) {
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", s.name, s.help, s.name,
                         s.kind == MetricKind::kCounter ? "counter" : "gauge");
      last = s.name;
    }
    out += s.name;
    if (!s.labels.empty()) {
      out += '{';
      bool first = true;
      for (const auto& [k, v] : s.labels) {
        if (!first) out += ',';
        first = false;
        out += fmt::format("{}=\"{}\"", k, escape_label(v));
      }
      out += '}';
    }
    out += fmt::format(" {}\n", s.value);
  }
  return out;
}

std::vector<MetricSample> process_metrics() {
  std::vector<MetricSample> out;
  std::ifstream stat("/proc/self/stat");
  std::string line;
  if (std::getline(stat, line)) {
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    auto close = line.rfind(')');
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stod(field);
      if (i == 15) stime = std::stod(field);
    }
    const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
    out.push_back({"process_cpu_seconds_total",
                   MetricKind::kCounter,
                   "User and system CPU time spent in seconds.",
                   (utime + stime) / hz,
                   {}});
  }
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  if (statm >> pages_total >> pages_resident) {
    out.push_back({"process_resident_memory_bytes",
                   MetricKind::kGauge,
                   "Resident memory size in bytes.",
                   static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE)),
                   {}});
  }
  return out;
}

}  // namespace switchboard::api
