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

void HttpMetrics::add(Series& s, double seconds) {
  ++s.count;
  s.sum += seconds;
  for (std::size_t i = 0; i < kBucketSeconds.size(); ++i) {
    if (seconds <= kBucketSeconds[i]) {
      ++s.buckets[i];
      break;
    }
  }
}

void HttpMetrics::render_histogram(std::string& out, const std::string& name,
                                   const std::string& labels, const Series& s) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBucketSeconds.size(); ++i) {
    cumulative += s.buckets[i];
    out +=
        fmt::format("{}_bucket{{{},le=\"{}\"}} {}\n", name, labels, kBucketSeconds[i], cumulative);
  }
  out += fmt::format("{}_bucket{{{},le=\"+Inf\"}} {}\n", name, labels, s.count);
  out += fmt::format("{}_sum{{{}}} {}\n", name, labels, s.sum);
  out += fmt::format("{}_count{{{}}} {}\n", name, labels, s.count);
}

void HttpMetrics::observe(const std::string& method, const std::string& route, int status,
                          double seconds) {
  std::lock_guard lock(mutex_);
  add(series_[Key{method, route, status}], seconds);
}

void HttpMetrics::observe_dependency(const std::string& dependency, const std::string& outcome,
                                     double seconds) {
  std::lock_guard lock(mutex_);
  add(dependencies_[DependencyKey{dependency, outcome}], seconds);
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
    render_histogram(out, "synthgate_http_request_duration_seconds",
                     fmt::format("method=\"{}\",route=\"{}\",status=\"{}\"", label(method),
                                 label(route), status),
                     s);
  }
  if (!dependencies_.empty()) {
    out +=
        "# HELP synthgate_dependency_duration_seconds Time taken by services the gateway "
        "calls, by outcome.\n";
    out += "# TYPE synthgate_dependency_duration_seconds histogram\n";
    for (const auto& [key, s] : dependencies_) {
      render_histogram(
          out, "synthgate_dependency_duration_seconds",
          fmt::format("dependency=\"{}\",outcome=\"{}\"", label(key.first), label(key.second)), s);
    }
  }
  return out;
}

}  // namespace synthgate::server
