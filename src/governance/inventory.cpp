#include "governance/inventory.hpp"

#include <set>

namespace synthgate::governance {

namespace {

using json = nlohmann::json;

// Every answer of the questionnaire, in the order the JSON form lists them.
constexpr std::string_view kFlags[] = {"text",
                                       "image",
                                       "audio",
                                       "video",
                                       "virtual_persons",
                                       "reachable_in_china",
                                       "real_person_likeness_or_voice"};

tl::unexpected<Error> refuse(const std::string& item, const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "inventory: " + item + ": " + why);
}

Result<std::string> text_field(const json& object, std::string_view key, const std::string& item,
                               bool required = true) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (!required) return std::string();
    return refuse(item, "missing \"" + std::string(key) + "\"");
  }
  if (!it->is_string()) return refuse(item, "\"" + std::string(key) + "\" must be a string");
  std::string value = it->get<std::string>();
  if (required && value.empty()) return refuse(item, "\"" + std::string(key) + "\" is empty");
  return value;
}

bool* flag_of(Questionnaire& q, std::string_view key) {
  if (key == "text") return &q.text;
  if (key == "image") return &q.image;
  if (key == "audio") return &q.audio;
  if (key == "video") return &q.video;
  if (key == "virtual_persons") return &q.virtual_persons;
  if (key == "reachable_in_china") return &q.reachable_in_china;
  return &q.real_person_likeness_or_voice;
}

Result<Questionnaire> parse_questionnaire(const json& object, const std::string& item) {
  const auto it = object.find("questionnaire");
  if (it == object.end() || !it->is_object()) return refuse(item, "missing \"questionnaire\"");
  Questionnaire q;
  std::vector<std::string> missing;
  for (const auto key : kFlags) {
    const auto answer = it->find(key);
    if (answer == it->end() || answer->is_null()) {
      missing.emplace_back(key);
      continue;
    }
    if (!answer->is_boolean()) {
      return refuse(item,
                    "questionnaire answer \"" + std::string(key) + "\" must be true or false");
    }
    *flag_of(q, key) = answer->get<bool>();
  }
  for (const auto key : {"model", "provider"}) {
    const auto answer = it->find(key);
    if (answer == it->end() || !answer->is_string() || answer->get<std::string>().empty()) {
      missing.emplace_back(key);
      continue;
    }
    (std::string_view(key) == "model" ? q.model : q.provider) = answer->get<std::string>();
  }
  if (!missing.empty()) {
    std::string names;
    for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
    return refuse(item, "questionnaire has no answer for " + names);
  }
  return q;
}

Result<const json*> array_of(const json& document, std::string_view key, bool required) {
  static const json kEmpty = json::array();
  const auto it = document.find(key);
  if (it == document.end()) {
    if (required) return refuse("document", "missing \"" + std::string(key) + "\"");
    return &kEmpty;
  }
  if (!it->is_array()) return refuse("document", "\"" + std::string(key) + "\" must be a list");
  return &*it;
}

// "product p-chat" for messages; the index stands in for an id that is missing.
std::string item_name(std::string_view kind, const json& entry, std::size_t index) {
  if (entry.is_object()) {
    const auto id = entry.find("id");
    if (id != entry.end() && id->is_string() && !id->get<std::string>().empty()) {
      return std::string(kind) + " " + id->get<std::string>();
    }
  }
  return std::string(kind) + " #" + std::to_string(index + 1);
}

json questionnaire_json(const Questionnaire& q) {
  json out = json::object();
  Questionnaire answers = q;  // flag_of hands out pointers into a questionnaire it may change
  for (const auto key : kFlags) out[std::string(key)] = *flag_of(answers, key);
  out["model"] = q.model;
  out["provider"] = q.provider;
  return out;
}

}  // namespace

Result<Inventory> parse_inventory(const json& document) {
  if (!document.is_object()) return refuse("document", "expected a JSON object");
  Inventory inv;
  auto organisation = text_field(document, "organisation", "document");
  if (!organisation) return tl::unexpected(organisation.error());
  inv.organisation = *organisation;

  std::set<std::string> ids;
  const auto claim = [&ids](const std::string& item, const std::string& id) -> Status {
    if (!ids.insert(id).second) return refuse(item, "the id \"" + id + "\" is used twice");
    return {};
  };

  auto units = array_of(document, "business_units", true);
  if (!units) return tl::unexpected(units.error());
  std::set<std::string> unit_ids;
  for (std::size_t i = 0; i < (*units)->size(); ++i) {
    const json& e = (**units)[i];
    const std::string item = item_name("business unit", e, i);
    if (!e.is_object()) return refuse(item, "expected an object");
    auto id = text_field(e, "id", item);
    auto name = id ? text_field(e, "name", item) : id;
    if (!name) return tl::unexpected(name.error());
    if (auto ok = claim(item, *id); !ok) return tl::unexpected(ok.error());
    unit_ids.insert(*id);
    inv.units.push_back({*id, *name});
  }

  auto products = array_of(document, "products", true);
  if (!products) return tl::unexpected(products.error());
  std::set<std::string> product_ids;
  for (std::size_t i = 0; i < (*products)->size(); ++i) {
    const json& e = (**products)[i];
    const std::string item = item_name("product", e, i);
    if (!e.is_object()) return refuse(item, "expected an object");
    auto id = text_field(e, "id", item);
    auto name = id ? text_field(e, "name", item) : id;
    auto unit = name ? text_field(e, "unit", item) : name;
    if (!unit) return tl::unexpected(unit.error());
    if (!unit_ids.contains(*unit)) return refuse(item, "unknown business unit \"" + *unit + "\"");
    if (auto ok = claim(item, *id); !ok) return tl::unexpected(ok.error());
    product_ids.insert(*id);
    inv.products.push_back({*id, *name, *unit});
  }

  auto features = array_of(document, "features", true);
  if (!features) return tl::unexpected(features.error());
  std::set<std::string> feature_ids;
  for (std::size_t i = 0; i < (*features)->size(); ++i) {
    const json& e = (**features)[i];
    const std::string item = item_name("feature", e, i);
    if (!e.is_object()) return refuse(item, "expected an object");
    auto id = text_field(e, "id", item);
    auto name = id ? text_field(e, "name", item) : id;
    auto product = name ? text_field(e, "product", item) : name;
    if (!product) return tl::unexpected(product.error());
    if (!product_ids.contains(*product)) {
      return refuse(item, "unknown product \"" + *product + "\"");
    }
    auto answers = parse_questionnaire(e, item);
    if (!answers) return tl::unexpected(answers.error());
    if (auto ok = claim(item, *id); !ok) return tl::unexpected(ok.error());
    feature_ids.insert(*id);
    inv.features.push_back({*id, *name, *product, *answers});
  }

  auto apis = array_of(document, "third_party_apis", false);
  if (!apis) return tl::unexpected(apis.error());
  for (std::size_t i = 0; i < (*apis)->size(); ++i) {
    const json& e = (**apis)[i];
    const std::string item = item_name("third-party API", e, i);
    if (!e.is_object()) return refuse(item, "expected an object");
    ThirdPartyApi api;
    auto id = text_field(e, "id", item);
    auto name = id ? text_field(e, "name", item) : id;
    auto unit = name ? text_field(e, "unit", item) : name;
    if (!unit) return tl::unexpected(unit.error());
    if (!unit_ids.contains(*unit)) return refuse(item, "unknown business unit \"" + *unit + "\"");
    api.id = *id;
    api.name = *name;
    api.unit = *unit;
    if (const auto used = e.find("used_by"); used != e.end()) {
      if (!used->is_array()) return refuse(item, "\"used_by\" must be a list of feature ids");
      for (const auto& f : *used) {
        if (!f.is_string() || !feature_ids.contains(f.get<std::string>())) {
          return refuse(item, "\"used_by\" names an unknown feature " + f.dump());
        }
        api.used_by.push_back(f.get<std::string>());
      }
    }
    const auto overseas = e.find("overseas");
    if (overseas == e.end() || !overseas->is_boolean()) {
      return refuse(item, "missing \"overseas\" (true or false)");
    }
    api.overseas = overseas->get<bool>();
    auto rep = text_field(e, "domestic_representative", item, false);
    if (!rep) return tl::unexpected(rep.error());
    api.domestic_representative = *rep;
    auto answers = parse_questionnaire(e, item);
    if (!answers) return tl::unexpected(answers.error());
    api.answers = *answers;
    if (auto ok = claim(item, api.id); !ok) return tl::unexpected(ok.error());
    inv.third_party_apis.push_back(std::move(api));
  }
  return inv;
}

Result<Inventory> parse_inventory_text(std::string_view text) {
  auto document = json::parse(text, nullptr, false);
  if (document.is_discarded()) return refuse("document", "not valid JSON");
  return parse_inventory(document);
}

json inventory_json(const Inventory& inv) {
  json out = {{"organisation", inv.organisation},
              {"business_units", json::array()},
              {"products", json::array()},
              {"features", json::array()},
              {"third_party_apis", json::array()}};
  for (const auto& u : inv.units) out["business_units"].push_back({{"id", u.id}, {"name", u.name}});
  for (const auto& p : inv.products) {
    out["products"].push_back({{"id", p.id}, {"name", p.name}, {"unit", p.unit}});
  }
  for (const auto& f : inv.features) {
    out["features"].push_back({{"id", f.id},
                               {"name", f.name},
                               {"product", f.product},
                               {"questionnaire", questionnaire_json(f.answers)}});
  }
  for (const auto& a : inv.third_party_apis) {
    out["third_party_apis"].push_back({{"id", a.id},
                                       {"name", a.name},
                                       {"unit", a.unit},
                                       {"used_by", a.used_by},
                                       {"overseas", a.overseas},
                                       {"domestic_representative", a.domestic_representative},
                                       {"questionnaire", questionnaire_json(a.answers)}});
  }
  return out;
}

}  // namespace synthgate::governance
