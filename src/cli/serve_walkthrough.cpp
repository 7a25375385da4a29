#include "cli/serve_walkthrough.hpp"

#include <fmt/format.h>

namespace synthgate::cli {

std::string walkthrough(const WalkthroughSetup& s) {
  const std::string auth = " -H \"Authorization: Bearer $KEY\"";
  // Each line works pasted alone in bash, in order; ids travel in shell variables, read from
  // the JSON answers with python3 (installed with the dependencies).
  return fmt::format(
      R"WALK(# --- walkthrough: paste into another terminal (bash) ---
SG={base}; KEY=$(awk '$1 == "service" {{print $2}}' {keys}); j() {{ python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }}
# 1. Register a user (the phone number is stored only encrypted) and start an SMS check:
USER_ID=$(curl -s -X POST $SG/v1/users{auth} -H 'Content-Type: application/json' -d '{{"phone": "13800138000"}}' | j id); echo user $USER_ID
VER_ID=$(curl -s -X POST $SG/v1/users/$USER_ID/verifications{auth} -H 'Content-Type: application/json' -d '{{"method": "sms_code"}}' | j id)
# 2. The development code sender wrote the code to {outbox}; confirm it:
CODE=$(tail -n 1 {outbox} | grep -o '[0-9]\{{6\}}' | tail -n 1)
curl -s -X POST $SG/v1/users/$USER_ID/verifications/$VER_ID/confirm{auth} -H 'Content-Type: application/json' -d "{{\"response\": \"$CODE\"}}"; echo
# 3. Admit a prompt for an image (identity, consent and prompt checks; audited):
ADM_ID=$(curl -s -X POST $SG/v1/admissions{auth} -H 'Content-Type: application/json' -d "{{\"user_id\": \"$USER_ID\", \"service\": \"demo\", \"modality\": \"image\", \"prompt\": \"a cat under the moon\"}}" | j admission_id); echo admission $ADM_ID
# 4. "Generate" an image and have it labelled (visible label, watermark, metadata):
ffmpeg -loglevel error -y -f lavfi -i testsrc2=size=1280x720 -frames:v 1 /tmp/synthgate-demo.png
curl -s -X POST $SG/v1/outputs{auth} -F admission_id=$ADM_ID -F file=@/tmp/synthgate-demo.png -o /tmp/synthgate-demo-labelled.png -D - | grep -i x-synthgate
# 5. Detect it, as anyone can (no key needed):
curl -s -X POST $SG/v1/detections -F file=@/tmp/synthgate-demo-labelled.png; echo
# --- end of walkthrough ---
)WALK",
      fmt::arg("base", s.base_url), fmt::arg("auth", auth),
      fmt::arg("outbox", s.sms_outbox.string()), fmt::arg("keys", s.key_file.string()));
}

}  // namespace synthgate::cli
