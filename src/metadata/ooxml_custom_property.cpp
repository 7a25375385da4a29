#include "metadata/ooxml_custom_property.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <sstream>

#include "media/zip_archive.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kCustomPart = "docProps/custom.xml";
constexpr std::string_view kContentTypes = "[Content_Types].xml";
constexpr std::string_view kPackageRels = "_rels/.rels";
constexpr std::string_view kCustomNamespace =
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
constexpr std::string_view kVtNamespace =
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
constexpr std::string_view kCustomContentType =
    "application/vnd.openxmlformats-officedocument.custom-properties+xml";
constexpr std::string_view kCustomRelationship =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";
// The format id every custom property of a document carries (MS-OSHARED 2.3.3.2.2.1).
constexpr std::string_view kUserDefinedFmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";

std::string_view local_name(const char* qualified) {
  const std::string_view q(qualified);
  const auto colon = q.find(':');
  return colon == std::string_view::npos ? q : q.substr(colon + 1);
}

const media::ZipEntry* find(const std::vector<media::ZipEntry>& entries, std::string_view name) {
  for (const auto& e : entries) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

Result<std::vector<media::ZipEntry>> read_package(ByteView file) {
  auto entries = media::read_zip(file);
  if (!entries) return tl::unexpected(entries.error());
  if (find(*entries, kContentTypes) == nullptr) {
    return fail(ErrorCode::kUnsupportedMediaType,
                "a zip archive without [Content_Types].xml is not an OOXML document");
  }
  return entries;
}

Status parse(const media::ZipEntry& part, pugi::xml_document& doc) {
  const auto parsed =
      doc.load_buffer(part.data.data(), part.data.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return fail(ErrorCode::kInvalidArgument,
                "damaged OOXML: " + part.name + " is not well-formed XML: " + parsed.description());
  }
  return {};
}

bool is_aigc_property(pugi::xml_node n) {
  return n.type() == pugi::node_element && local_name(n.name()) == "property" &&
         std::string_view(n.attribute("name").value()) == "AIGC";
}

Bytes serialise(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw, pugi::encoding_utf8);
  const std::string text = out.str();
  return Bytes(text.begin(), text.end());
}

pugi::xml_node root_element(pugi::xml_document& doc) {
  for (pugi::xml_node n = doc.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_element) return n;
  }
  return {};
}

void declare(pugi::xml_document& doc) {
  auto decl = doc.prepend_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  decl.append_attribute("standalone") = "yes";
}

Result<media::ZipEntry> custom_part(const media::ZipEntry* existing, std::string_view aigc_json) {
  pugi::xml_document doc;
  if (existing != nullptr) {
    if (auto ok = parse(*existing, doc); !ok) return tl::unexpected(ok.error());
  }
  pugi::xml_node properties = root_element(doc);
  if (!properties) {
    doc.reset();
    declare(doc);
    properties = doc.append_child("Properties");
    properties.append_attribute("xmlns") = std::string(kCustomNamespace).c_str();
    properties.append_attribute("xmlns:vt") = std::string(kVtNamespace).c_str();
  }
  // The vt prefix the part uses (normally "vt").
  std::string vt = "vt";
  for (pugi::xml_attribute a : properties.attributes()) {
    const std::string_view name(a.name());
    if (name.starts_with("xmlns:") && std::string_view(a.value()) == kVtNamespace) {
      vt = std::string(name.substr(6));
    }
  }
  if (vt == "vt" && !properties.attribute("xmlns:vt")) {
    properties.append_attribute("xmlns:vt") = std::string(kVtNamespace).c_str();
  }
  int max_pid = 1;
  std::vector<pugi::xml_node> drop;
  for (pugi::xml_node n = properties.first_child(); n; n = n.next_sibling()) {
    if (is_aigc_property(n)) {
      drop.push_back(n);
    } else if (n.type() == pugi::node_element) {
      max_pid = std::max(max_pid, n.attribute("pid").as_int());
    }
  }
  for (auto n : drop) properties.remove_child(n);
  const std::string prefix(properties.name());
  const auto colon = prefix.find(':');
  const std::string qualifier = colon == std::string::npos ? "" : prefix.substr(0, colon + 1);
  pugi::xml_node p = properties.append_child((qualifier + "property").c_str());
  p.append_attribute("fmtid") = std::string(kUserDefinedFmtid).c_str();
  p.append_attribute("pid") = max_pid + 1;
  p.append_attribute("name") = "AIGC";
  p.append_child((vt + ":lpwstr").c_str()).text() = std::string(aigc_json).c_str();
  return media::ZipEntry{std::string(kCustomPart), serialise(doc)};
}

// [Content_Types].xml with an Override for the custom part, or nullopt when it has one.
Result<std::optional<media::ZipEntry>> content_types(const media::ZipEntry& part) {
  pugi::xml_document doc;
  if (auto ok = parse(part, doc); !ok) return tl::unexpected(ok.error());
  pugi::xml_node types = root_element(doc);
  if (!types || local_name(types.name()) != "Types") {
    return fail(ErrorCode::kInvalidArgument, "damaged OOXML: [Content_Types].xml has no Types");
  }
  for (pugi::xml_node n = types.first_child(); n; n = n.next_sibling()) {
    if (local_name(n.name()) == "Override" &&
        std::string_view(n.attribute("PartName").value()) == "/docProps/custom.xml") {
      return std::optional<media::ZipEntry>{};
    }
  }
  const std::string prefix(types.name());
  const auto colon = prefix.find(':');
  pugi::xml_node o = types.append_child(
      ((colon == std::string::npos ? "" : prefix.substr(0, colon + 1)) + "Override").c_str());
  o.append_attribute("PartName") = "/docProps/custom.xml";
  o.append_attribute("ContentType") = std::string(kCustomContentType).c_str();
  return std::optional<media::ZipEntry>{media::ZipEntry{part.name, serialise(doc)}};
}

// _rels/.rels with a custom-properties relationship, or nullopt when it has one.
Result<std::optional<media::ZipEntry>> package_rels(const media::ZipEntry* part) {
  pugi::xml_document doc;
  if (part != nullptr) {
    if (auto ok = parse(*part, doc); !ok) return tl::unexpected(ok.error());
  }
  pugi::xml_node rels = root_element(doc);
  if (!rels) {
    doc.reset();
    declare(doc);
    rels = doc.append_child("Relationships");
    rels.append_attribute("xmlns") = "http://schemas.openxmlformats.org/package/2006/relationships";
  }
  std::vector<std::string> ids;
  for (pugi::xml_node n = rels.first_child(); n; n = n.next_sibling()) {
    if (local_name(n.name()) != "Relationship") continue;
    if (std::string_view(n.attribute("Type").value()) == kCustomRelationship) {
      return std::optional<media::ZipEntry>{};
    }
    ids.emplace_back(n.attribute("Id").value());
  }
  std::string id;
  for (int k = 1;; ++k) {
    id = "rIdAigc" + std::to_string(k);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) break;
  }
  const std::string prefix(rels.name());
  const auto colon = prefix.find(':');
  pugi::xml_node r = rels.append_child(
      ((colon == std::string::npos ? "" : prefix.substr(0, colon + 1)) + "Relationship").c_str());
  r.append_attribute("Id") = id.c_str();
  r.append_attribute("Type") = std::string(kCustomRelationship).c_str();
  r.append_attribute("Target") = "docProps/custom.xml";
  return std::optional<media::ZipEntry>{media::ZipEntry{std::string(kPackageRels), serialise(doc)}};
}
}  // namespace

bool OoxmlCustomProperty::recognises(ByteView head) const {
  const std::string_view s = as_chars(head);
  return s.starts_with(std::string_view("PK\x03\x04", 4)) &&
         s.find(kContentTypes) != std::string_view::npos;
}

Result<std::vector<std::string>> OoxmlCustomProperty::read_labels(ByteView file) const {
  auto entries = read_package(file);
  if (!entries) return tl::unexpected(entries.error());
  std::vector<std::string> labels;
  const media::ZipEntry* part = find(*entries, kCustomPart);
  if (part == nullptr) return labels;
  pugi::xml_document doc;
  if (auto ok = parse(*part, doc); !ok) return tl::unexpected(ok.error());
  pugi::xml_node properties = root_element(doc);
  for (pugi::xml_node n = properties.first_child(); n; n = n.next_sibling()) {
    if (is_aigc_property(n)) labels.emplace_back(n.first_child().text().get());
  }
  return labels;
}

Result<Bytes> OoxmlCustomProperty::write_label(ByteView file, std::string_view aigc_json,
                                               const LabelStyle& /*style*/) const {
  auto entries = read_package(file);
  if (!entries) return tl::unexpected(entries.error());
  std::vector<media::ZipEntry> changed;
  auto custom = custom_part(find(*entries, kCustomPart), aigc_json);
  if (!custom) return tl::unexpected(custom.error());
  changed.push_back(std::move(*custom));
  auto types = content_types(*find(*entries, kContentTypes));
  if (!types) return tl::unexpected(types.error());
  if (*types) changed.push_back(std::move(**types));
  auto rels = package_rels(find(*entries, kPackageRels));
  if (!rels) return tl::unexpected(rels.error());
  if (*rels) changed.push_back(std::move(**rels));
  return media::rewrite_zip(file, changed);
}

Result<Sha256Digest> OoxmlCustomProperty::content_digest(ByteView file) const {
  auto entries = read_package(file);
  if (!entries) return tl::unexpected(entries.error());
  std::vector<const media::ZipEntry*> parts;
  for (const auto& e : *entries) {
    if (e.name != kCustomPart && e.name != kContentTypes && e.name != kPackageRels) {
      parts.push_back(&e);
    }
  }
  std::sort(parts.begin(), parts.end(), [](auto* a, auto* b) { return a->name < b->name; });
  Sha256Hasher hasher;
  for (const auto* p : parts) {
    hasher.update(as_bytes(p->name));
    hasher.update(as_bytes(std::string_view("\0", 1)));
    hasher.update(as_bytes(std::to_string(p->data.size()) + "\n"));
    hasher.update(p->data);
  }
  return hasher.finish();
}

}  // namespace synthgate::metadata
