#include "server/http_metrics.hpp"

#include <gtest/gtest.h>

namespace synthgate::server {
namespace {

TEST(HttpMetrics, HistogramBucketsAreCumulative) {
  HttpMetrics metrics;
  metrics.observe("GET", "/healthz", 200, 0.0005);
  metrics.observe("GET", "/healthz", 200, 0.03);
  metrics.observe("GET", "/healthz", 200, 50.0);
  const std::string text = metrics.render();
  const std::string labels = "method=\"GET\",route=\"/healthz\",status=\"200\"";
  EXPECT_NE(text.find("synthgate_http_requests_total{" + labels + "} 3"), std::string::npos)
      << text;
  EXPECT_NE(text.find("_bucket{" + labels + ",le=\"0.001\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{" + labels + ",le=\"0.025\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{" + labels + ",le=\"0.05\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{" + labels + ",le=\"10\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{" + labels + ",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("_count{" + labels + "} 3\n"), std::string::npos);
}

TEST(HttpMetrics, SeparatesStatusesAndEscapesLabels) {
  HttpMetrics metrics;
  metrics.observe("GET", "/a\"b\\c", 404, 0.1);
  metrics.observe("GET", "/a\"b\\c", 200, 0.1);
  const std::string text = metrics.render();
  EXPECT_NE(text.find("route=\"/a\\\"b\\\\c\",status=\"404\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("route=\"/a\\\"b\\\\c\",status=\"200\"} 1"), std::string::npos);
  EXPECT_NE(text.find("# TYPE synthgate_http_request_duration_seconds histogram"),
            std::string::npos);
}

}  // namespace
}  // namespace synthgate::server
