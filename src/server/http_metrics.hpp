#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>

namespace synthgate::server {

// Request counts and latency histograms by method, route template and status, rendered
// in the Prometheus text format (version 0.0.4). One instance per server; no globals.
class HttpMetrics {
 public:
  static constexpr std::array<double, 12> kBucketSeconds = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0};

  void observe(const std::string& method, const std::string& route, int status, double seconds);
  // `outcome`: "ok", "error", "timeout".
  void observe_dependency(const std::string& dependency, const std::string& outcome,
                          double seconds);
  std::string render() const;

 private:
  struct Series {
    std::uint64_t count = 0;
    double sum = 0;
    std::array<std::uint64_t, kBucketSeconds.size()> buckets{};  // not cumulative
  };
  using Key = std::tuple<std::string, std::string, int>;
  using DependencyKey = std::pair<std::string, std::string>;

  static void add(Series& s, double seconds);
  static void render_histogram(std::string& out, const std::string& name, const std::string& labels,
                               const Series& s);

  mutable std::mutex mutex_;
  std::map<Key, Series> series_;
  std::map<DependencyKey, Series> dependencies_;
};

}  // namespace synthgate::server
