#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/ed25519.hpp"
#include "core/ids.hpp"
#include "core/secret_bytes.hpp"
#include "server/gateway_server.hpp"

namespace synthgate::server {

struct DetectionRoutesConfig {
  std::size_t max_upload_bytes = 32u << 20;  // per-route body limit (detection.max_upload_bytes)
  std::string propagator;                    // default ContentPropagator (detection.propagator)
  std::filesystem::path spool_dir = "var/spool";  // where propagated files wait (server.spool_dir)
};

// What the routes check and sign with; all must outlive the server.
struct DetectionRoutesKeys {
  const Ed25519SigningKey* metadata_key = nullptr;  // verifies ReservedCode1, signs ReservedCode2
  const SecretBytes* watermark_key = nullptr;       // reads the watermark
};

// POST /v1/detections (public): an upload (multipart field `file`, optional `declared_ai`;
// or a raw body) -> the Labeling Measures Art. 6 verdict and the public findings.
// POST /v1/propagations (service): platform mode; the upload comes back carrying the
// platform's ContentPropagator, PropagateID and ReservedCode2 (docs/detection.md).
void add_detection_routes(GatewayServer& server, const DetectionRoutesConfig& config,
                          DetectionRoutesKeys keys, IdGenerator& ids);

}  // namespace synthgate::server
