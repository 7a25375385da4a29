#include "server/identity_routes.hpp"

#include <nlohmann/json.hpp>

#include "audit/time_text.hpp"
#include "server/api_response.hpp"
#include "server/json_body.hpp"

namespace synthgate::server {

namespace {

using nlohmann::json;

Result<json> body_object(const httplib::Request& req) {
  return parse_json_object(req.body);
}

Result<std::vector<std::string>> string_list(const json& body, const char* key) {
  return required_string_list(body, key);
}

Result<TimePoint> time_field(const json& body, const char* key) {
  auto text = required_string(body, key);
  if (!text) return tl::unexpected(text.error());
  auto t = audit::parse_time(*text);
  if (!t) return fail(ErrorCode::kInvalidArgument, std::string(key) + ": " + t.error().message);
  return *t;
}

std::string time_text(std::int64_t ms) {
  return audit::format_time(TimePoint(std::chrono::milliseconds(ms)));
}

json user_json(const identity::User& user, const std::vector<identity::StateChange>* history) {
  json out{{"id", user.id},
           {"kind", identity::user_kind_name(user.kind)},
           {"state", identity::user_state_name(user.state)},
           {"can_generate", user.state == identity::UserState::kVerified},
           {"created_at", time_text(user.created_ms)},
           {"updated_at", time_text(user.updated_ms)}};
  if (user.verified_by) out["verified_by"] = *user.verified_by;
  if (user.awaiting) out["awaiting"] = *user.awaiting;
  if (user.id_kind) out["id_kind"] = *user.id_kind;
  if (history != nullptr) {
    json list = json::array();
    for (const auto& change : *history) {
      list.push_back({{"from", change.from},
                      {"to", change.to},
                      {"actor", change.actor},
                      {"reason", change.reason},
                      {"time", time_text(change.time_ms)}});
    }
    out["history"] = std::move(list);
  }
  return out;
}

json verification_json(const identity::Verification& v) {
  return {{"id", v.id},          {"user_id", v.user_id},   {"method", v.method},
          {"status", v.status},  {"attempts", v.attempts}, {"expires_at", time_text(v.expires_ms)},
          {"message", v.message}};
}

json consent_json(const consent::Consent& c) {
  json out{{"id", c.id},
           {"subject_id", c.subject_id},
           {"modalities", c.modalities},
           {"purposes", c.purposes},
           {"services", c.services},
           {"users", c.users},
           {"valid_from", time_text(c.valid_from_ms)},
           {"valid_until", time_text(c.valid_until_ms)},
           {"granted_by", c.granted_by},
           {"evidence_sha256", c.evidence_sha256},
           {"has_document", c.has_document},
           {"revoked", c.revoked_ms.has_value()},
           {"created_at", time_text(c.created_ms)}};
  if (c.revoked_ms) {
    out["revoked_at"] = time_text(*c.revoked_ms);
    out["revoke_reason"] = c.revoke_reason;
  }
  return out;
}

// Runs `work` and writes its JSON answer, or the error.
template <typename Work>
void answer(httplib::Response& res, int status, Work&& work) {
  Result<json> out = work();
  if (!out) return write_error(res, out.error());
  write_json(res, status, *out);
}

std::string param(const httplib::Request& req, std::size_t i) {
  return req.matches[i].str();
}

// The actor recorded for a change: the role's word, and the key that made it.
std::string actor_of(const Principal& principal, std::string_view word) {
  std::string out(word);
  if (!principal.key_id.empty()) out += ":" + principal.key_id;
  return out;
}

// These bodies are a few small JSON fields; only a consent grant carries a document (the
// evidence, up to 20 MiB before base64) and keeps server.max_body_bytes.
constexpr std::size_t kSmallBody = 64u << 10;
const RouteAccess kRecords{kRecordsRoles, kSmallBody};
const RouteAccess kOperator{kOperatorRoles, kSmallBody};
const RouteAccess kConsentGrant{kRecordsRoles, 0};

}  // namespace

void add_identity_routes(GatewayServer& server, identity::UserRegistry& users) {
  server.add_route(
      "post", "/v1/users", kRecords,
      [&users](const httplib::Request& req, httplib::Response& res, const Principal& who) {
        answer(res, 201, [&]() -> Result<json> {
          auto body = body_object(req);
          if (!body) return tl::unexpected(body.error());
          identity::Registration reg;
          reg.actor = actor_of(who, "api");
          auto kind = optional_string(*body, "kind");
          if (!kind) return tl::unexpected(kind.error());
          if (*kind) {
            auto parsed = identity::parse_user_kind(**kind);
            if (!parsed)
              return fail(ErrorCode::kInvalidArgument, "kind: individual or organisation");
            reg.kind = *parsed;
          }
          for (auto [key, field] :
               {std::pair{"name", &reg.name}, std::pair{"id_number", &reg.id_number},
                std::pair{"phone", &reg.phone}, std::pair{"credit_code", &reg.credit_code}}) {
            auto value = optional_string(*body, key);
            if (!value) return tl::unexpected(value.error());
            *field = std::move(*value);
          }
          auto user = users.create(reg);
          if (!user) return tl::unexpected(user.error());
          return user_json(*user, nullptr);
        });
      });

  server.add_route("get", "/v1/users/{id}", kRecords,
                   [&users](const httplib::Request& req, httplib::Response& res, const Principal&) {
                     answer(res, 200, [&]() -> Result<json> {
                       auto user = users.get(param(req, 1));
                       if (!user) return tl::unexpected(user.error());
                       auto history = users.history(user->id);
                       if (!history) return tl::unexpected(history.error());
                       return user_json(*user, &*history);
                     });
                   });

  server.add_route(
      "post", "/v1/users/{id}/verifications", kRecords,
      [&users](const httplib::Request& req, httplib::Response& res, const Principal& who) {
        answer(res, 201, [&]() -> Result<json> {
          auto body = body_object(req);
          if (!body) return tl::unexpected(body.error());
          auto method = required_string(*body, "method");
          if (!method) return tl::unexpected(method.error());
          auto v = users.start_verification(param(req, 1), *method, actor_of(who, "api"));
          if (!v) return tl::unexpected(v.error());
          return verification_json(*v);
        });
      });

  server.add_route(
      "post", "/v1/users/{id}/verifications/{verification_id}/confirm", kRecords,
      [&users](const httplib::Request& req, httplib::Response& res, const Principal& who) {
        answer(res, 200, [&]() -> Result<json> {
          auto body = body_object(req);
          if (!body) return tl::unexpected(body.error());
          auto response = required_string(*body, "response");
          if (!response) return tl::unexpected(response.error());
          auto v = users.verification(param(req, 2));
          if (!v) return tl::unexpected(v.error());
          std::string actor = actor_of(who, "api");
          if (auto* p = users.provider(v->method); p != nullptr && p->operator_only()) {
            if (who.role != Role::kComplianceOfficer) {
              return fail(ErrorCode::kPermissionDenied,
                          "this verification is confirmed by a compliance officer");
            }
            actor = actor_of(who, "operator");
          }
          auto user = users.confirm(param(req, 1), param(req, 2), *response, actor);
          if (!user) return tl::unexpected(user.error());
          return user_json(*user, nullptr);
        });
      });

  server.add_route(
      "post", "/v1/users/{id}/guardian-consents", kRecords,
      [&users](const httplib::Request& req, httplib::Response& res, const Principal& who) {
        answer(res, 200, [&]() -> Result<json> {
          auto body = body_object(req);
          if (!body) return tl::unexpected(body.error());
          identity::GuardianConsent consent;
          consent.actor = actor_of(who, "api");
          for (auto [key, field] : {std::pair{"guardian_name", &consent.guardian_name},
                                    std::pair{"guardian_id_number", &consent.guardian_id_number},
                                    std::pair{"relation", &consent.relation},
                                    std::pair{"evidence_sha256", &consent.evidence_sha256}}) {
            auto value = required_string(*body, key);
            if (!value) return tl::unexpected(value.error());
            *field = std::move(*value);
          }
          auto user = users.record_guardian_consent(param(req, 1), consent);
          if (!user) return tl::unexpected(user.error());
          return user_json(*user, nullptr);
        });
      });

  for (const char* action : {"suspend", "reinstate"}) {
    const bool suspend = std::string_view(action) == "suspend";
    server.add_route("post", std::string("/v1/users/{id}/") + action, kOperator,
                     [&users, suspend](const httplib::Request& req, httplib::Response& res,
                                       const Principal& who) {
                       answer(res, 200, [&]() -> Result<json> {
                         auto body = body_object(req);
                         if (!body) return tl::unexpected(body.error());
                         auto reason = required_string(*body, "reason");
                         if (!reason) return tl::unexpected(reason.error());
                         const std::string actor = actor_of(who, "operator");
                         auto user = suspend ? users.suspend(param(req, 1), *reason, actor)
                                             : users.reinstate(param(req, 1), *reason, actor);
                         if (!user) return tl::unexpected(user.error());
                         return user_json(*user, nullptr);
                       });
                     });
  }
}

void add_consent_routes(GatewayServer& server, consent::ConsentRegistry& consents) {
  server.add_route(
      "post", "/v1/subjects", kRecords,
      [&consents](const httplib::Request& req, httplib::Response& res, const Principal& who) {
        answer(res, 201, [&]() -> Result<json> {
          auto body = body_object(req);
          if (!body) return tl::unexpected(body.error());
          consent::NewSubject in;
          in.actor = actor_of(who, "api");
          auto name = required_string(*body, "name");
          if (!name) return tl::unexpected(name.error());
          in.name = *name;
          auto id_number = optional_string(*body, "id_number");
          if (!id_number) return tl::unexpected(id_number.error());
          in.id_number = *id_number;
          auto user_id = optional_string(*body, "user_id");
          if (!user_id) return tl::unexpected(user_id.error());
          in.user_id = *user_id;
          auto s = consents.add_subject(in);
          if (!s) return tl::unexpected(s.error());
          json out{{"id", s->id},
                   {"minor_under_14", s->minor_under_14},
                   {"created_at", time_text(s->created_ms)}};
          if (s->user_id) out["user_id"] = *s->user_id;
          return out;
        });
      });

  server.add_route(
      "get", "/v1/subjects/{id}", kRecords,
      [&consents](const httplib::Request& req, httplib::Response& res, const Principal&) {
        answer(res, 200, [&]() -> Result<json> {
          auto s = consents.subject(param(req, 1));
          if (!s) return tl::unexpected(s.error());
          auto list = consents.consents_of(s->id);
          if (!list) return tl::unexpected(list.error());
          json items = json::array();
          for (const auto& c : *list) items.push_back(consent_json(c));
          json out{{"id", s->id},
                   {"minor_under_14", s->minor_under_14},
                   {"created_at", time_text(s->created_ms)},
                   {"consents", std::move(items)}};
          if (s->user_id) out["user_id"] = *s->user_id;
          return out;
        });
      });

  server.add_route(
      "post", "/v1/consents", kConsentGrant,
      [&consents](const httplib::Request& req, httplib::Response& res, const Principal& who) {
        answer(res, 201, [&]() -> Result<json> {
          auto body = body_object(req);
          if (!body) return tl::unexpected(body.error());
          consent::Grant g;
          g.actor = actor_of(who, "api");
          auto subject = required_string(*body, "subject_id");
          if (!subject) return tl::unexpected(subject.error());
          g.subject_id = *subject;
          for (auto [key, list] :
               {std::pair{"modalities", &g.modalities}, std::pair{"purposes", &g.purposes},
                std::pair{"services", &g.services}, std::pair{"users", &g.users}}) {
            auto value = string_list(*body, key);
            if (!value) return tl::unexpected(value.error());
            *list = std::move(*value);
          }
          auto from = time_field(*body, "valid_from");
          if (!from) return tl::unexpected(from.error());
          auto until = time_field(*body, "valid_until");
          if (!until) return tl::unexpected(until.error());
          g.valid_from = *from;
          g.valid_until = *until;
          auto by = optional_string(*body, "granted_by");
          if (!by) return tl::unexpected(by.error());
          if (*by) g.granted_by = **by;
          auto guardian = optional_string(*body, "guardian_name");
          if (!guardian) return tl::unexpected(guardian.error());
          g.guardian_name = *guardian;
          auto evidence = required_string(*body, "evidence_sha256");
          if (!evidence) return tl::unexpected(evidence.error());
          g.evidence_sha256 = *evidence;
          auto document = optional_string(*body, "evidence_document_base64");
          if (!document) return tl::unexpected(document.error());
          if (*document) {
            auto bytes = base64_decode(**document);
            if (!bytes)
              return fail(ErrorCode::kInvalidArgument, "evidence_document_base64 is not base64");
            g.evidence_document = std::move(*bytes);
          }
          auto c = consents.grant(g);
          if (!c) return tl::unexpected(c.error());
          return consent_json(*c);
        });
      });

  server.add_route(
      "get", "/v1/consents/{id}", kRecords,
      [&consents](const httplib::Request& req, httplib::Response& res, const Principal&) {
        answer(res, 200, [&]() -> Result<json> {
          auto c = consents.get(param(req, 1));
          if (!c) return tl::unexpected(c.error());
          return consent_json(*c);
        });
      });

  server.add_route(
      "post", "/v1/consents/{id}/revoke", kRecords,
      [&consents](const httplib::Request& req, httplib::Response& res, const Principal& who) {
        answer(res, 200, [&]() -> Result<json> {
          auto body = body_object(req);
          if (!body) return tl::unexpected(body.error());
          auto reason = required_string(*body, "reason");
          if (!reason) return tl::unexpected(reason.error());
          auto c = consents.revoke(param(req, 1), *reason, actor_of(who, "api"));
          if (!c) return tl::unexpected(c.error());
          return consent_json(*c);
        });
      });

  server.add_route(
      "post", "/v1/consents/check", kRecords,
      [&consents](const httplib::Request& req, httplib::Response& res, const Principal&) {
        answer(res, 200, [&]() -> Result<json> {
          auto body = body_object(req);
          if (!body) return tl::unexpected(body.error());
          consent::CheckRequest check;
          auto subjects = string_list(*body, "subjects");
          if (!subjects) return tl::unexpected(subjects.error());
          check.subjects = std::move(*subjects);
          for (auto [key, field] :
               {std::pair{"modality", &check.modality}, std::pair{"service", &check.service},
                std::pair{"user", &check.user}}) {
            auto value = required_string(*body, key);
            if (!value) return tl::unexpected(value.error());
            *field = std::move(*value);
          }
          if (body->contains("time")) {
            auto t = time_field(*body, "time");
            if (!t) return tl::unexpected(t.error());
            check.time = *t;
          }
          auto result = consents.check(check);
          if (!result) return tl::unexpected(result.error());
          json missing = json::array();
          for (const auto& m : result->missing) {
            json item{{"subject_id", m.subject_id}, {"modality", m.modality}, {"reason", m.reason}};
            if (m.consent_id) item["consent_id"] = *m.consent_id;
            missing.push_back(std::move(item));
          }
          return json{{"allowed", result->allowed},
                      {"consents", result->consent_ids},
                      {"missing", std::move(missing)}};
        });
      });
}

}  // namespace synthgate::server
