#include "server/http_metrics.hpp"

#include <fmt/format.h>

namespace synthgate::server {

namespace {
// Label values escape backslash, double quote and newline (Prometheus exposition format).
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

void HttpMetrics::observe(const std::string& method, const std::string& route, int status,
                          double seconds) {
  std::lock_guard lock(mutex_);
  Series& s = series_[Key{method, route, status}];
  ++s.count;
  s.sum += seconds;
  for (std::size_t i = 0; i < kBucketSeconds.size(); ++i) {
    if (seconds <= kBucketSeconds[i]) {
      ++s.buckets[i];
      break;
    }
  }
}

std::string HttpMetrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP synthgate_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE synthgate_http_requests_total counter\n";
  for (const auto& [key, s] : series_) {
    const auto& [method, route, status] = key;
    out += fmt::format(
        "synthgate_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
        label(method), label(route), status, s.count);
  }
  out += "# HELP synthgate_http_request_duration_seconds Time to answer HTTP requests.\n";
  out += "# TYPE synthgate_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    const auto& [method, route, status] = key;
    const std::string labels = fmt::format("method=\"{}\",route=\"{}\",status=\"{}\"",
                                           label(method), label(route), status);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBucketSeconds.size(); ++i) {
      cumulative += s.buckets[i];
      out += fmt::format("synthgate_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                         labels, kBucketSeconds[i], cumulative);
    }
    out += fmt::format("synthgate_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n",
                       labels, s.count);
    out += fmt::format("synthgate_http_request_duration_seconds_sum{{{}}} {}\n", labels, s.sum);
    out += fmt::format("synthgate_http_request_duration_seconds_count{{{}}} {}\n", labels, s.count);
  }
  return out;
}

}  // namespace synthgate::server
