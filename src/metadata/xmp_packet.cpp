#include "metadata/xmp_packet.hpp"

#include <pugixml.hpp>

#include <sstream>

namespace synthgate::metadata {

namespace {

constexpr std::string_view kRdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXmpMetaNamespace = "adobe:ns:meta/";

std::string_view prefix_of(std::string_view qualified) {
  const auto colon = qualified.find(':');
  return colon == std::string_view::npos ? std::string_view{} : qualified.substr(0, colon);
}
std::string_view local_of(std::string_view qualified) {
  const auto colon = qualified.find(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

// The namespace URI a prefix stands for at `node`, from the nearest xmlns:prefix in scope.
std::string_view namespace_of(pugi::xml_node node, std::string_view prefix) {
  const std::string attribute = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (pugi::xml_node n = node; n; n = n.parent()) {
    if (auto a = n.attribute(attribute.c_str())) return a.value();
  }
  return {};
}

bool is(pugi::xml_node scope, std::string_view qualified, std::string_view ns,
        std::string_view local) {
  return local_of(qualified) == local && namespace_of(scope, prefix_of(qualified)) == ns;
}

// Every element under `root` in document order, without recursion (packets come from
// outside and may nest deeply).
std::vector<pugi::xml_node> elements(pugi::xml_node root) {
  std::vector<pugi::xml_node> out;
  std::vector<pugi::xml_node> stack;
  for (pugi::xml_node c = root.last_child(); c; c = c.previous_sibling()) stack.push_back(c);
  while (!stack.empty()) {
    pugi::xml_node n = stack.back();
    stack.pop_back();
    if (n.type() != pugi::node_element) continue;
    out.push_back(n);
    for (pugi::xml_node c = n.last_child(); c; c = c.previous_sibling()) stack.push_back(c);
  }
  return out;
}

bool is_label_property(pugi::xml_node scope, std::string_view qualified) {
  return is(scope, qualified, kTc260Namespace, "AIGC") ||
         is(scope, qualified, kIptcExtNamespace, "DigitalSourceType");
}

// Removes label properties top-down, never descending into a removed element (whose
// nodes are freed with it).
void drop_label_properties(pugi::xml_node root) {
  std::vector<pugi::xml_node> stack;
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) stack.push_back(c);
  while (!stack.empty()) {
    pugi::xml_node n = stack.back();
    stack.pop_back();
    if (n.type() != pugi::node_element) continue;
    if (is_label_property(n, n.name())) {
      n.parent().remove_child(n);
      continue;
    }
    std::vector<pugi::xml_attribute> drop;
    for (pugi::xml_attribute a : n.attributes()) {
      if (is_label_property(n, a.name())) drop.push_back(a);
    }
    for (auto a : drop) n.remove_attribute(a);
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) stack.push_back(c);
  }
}

Status parse(std::string_view packet, pugi::xml_document& doc) {
  const auto parsed =
      doc.load_buffer(packet.data(), packet.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return fail(ErrorCode::kInvalidArgument,
                std::string("the XMP packet is not well-formed XML: ") + parsed.description());
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> read_xmp_aigc(std::string_view packet) {
  pugi::xml_document doc;
  if (auto ok = parse(packet, doc); !ok) return tl::unexpected(ok.error());
  std::vector<std::string> values;
  for (pugi::xml_node n : elements(doc)) {
    if (is(n, n.name(), kTc260Namespace, "AIGC")) values.emplace_back(n.text().get());
    for (pugi::xml_attribute a : n.attributes()) {
      if (is(n, a.name(), kTc260Namespace, "AIGC")) values.emplace_back(a.value());
    }
  }
  return values;
}

Result<std::string> write_xmp_aigc(std::string_view existing, std::string_view aigc_json,
                                   std::string_view digital_source_type) {
  pugi::xml_document doc;
  if (!existing.empty()) {
    if (auto ok = parse(existing, doc); !ok) return tl::unexpected(ok.error());
  }
  // The rdf:RDF element to add to, made if the packet has none.
  pugi::xml_node rdf;
  for (pugi::xml_node n : elements(doc)) {
    if (is(n, n.name(), kRdfNamespace, "RDF")) {
      rdf = n;
      break;
    }
  }
  if (!rdf) {
    doc.reset();
    pugi::xml_node meta = doc.append_child("x:xmpmeta");
    meta.append_attribute("xmlns:x") = std::string(kXmpMetaNamespace).c_str();
    rdf = meta.append_child("rdf:RDF");
    rdf.append_attribute("xmlns:rdf") = std::string(kRdfNamespace).c_str();
  }
  const std::string rdf_prefix(prefix_of(rdf.name()));

  // One label per file: drop every AIGC and DigitalSourceType property first, wherever the
  // reader would find one (any element, attribute or element form).
  drop_label_properties(doc);
  // A description left holding nothing (ours, from an earlier write) goes too, so relabelling
  // does not grow the packet.
  std::vector<pugi::xml_node> empty;
  for (pugi::xml_node d : rdf.children()) {
    if (d.type() != pugi::node_element || !is(d, d.name(), kRdfNamespace, "Description")) continue;
    if (d.first_child()) continue;
    bool only_housekeeping = true;
    for (pugi::xml_attribute a : d.attributes()) {
      const std::string_view name = a.name();
      only_housekeeping =
          only_housekeeping && (name.starts_with("xmlns:") || is(d, name, kRdfNamespace, "about"));
    }
    if (only_housekeeping) empty.push_back(d);
  }
  for (auto d : empty) rdf.remove_child(d);

  const std::string rdf_qualifier = rdf_prefix.empty() ? "" : rdf_prefix + ":";
  pugi::xml_node ours = rdf.append_child((rdf_qualifier + "Description").c_str());
  ours.append_attribute((rdf_qualifier + "about").c_str()) = "";
  ours.append_attribute("xmlns:TC260") = std::string(kTc260Namespace).c_str();
  ours.append_attribute("xmlns:Iptc4xmpExt") = std::string(kIptcExtNamespace).c_str();
  ours.append_child("TC260:AIGC").text() = std::string(aigc_json).c_str();
  ours.append_child("Iptc4xmpExt:DigitalSourceType").text() =
      std::string(digital_source_type).c_str();

  // Only the top-level element holding the RDF (x:xmpmeta, or rdf:RDF itself) is kept;
  // the xpacket wrapper is written anew and stray top-level elements are dropped.
  pugi::xml_node top = rdf;
  while (top.parent() && top.parent().type() != pugi::node_document) top = top.parent();
  std::ostringstream body;
  top.print(body, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  std::string packet = "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>";
  packet += body.str();
  // Padding lets later editors grow the packet in place (XMP Part 3 recommends 2 KB).
  packet += "\n" + std::string(2048, ' ') + "\n<?xpacket end=\"w\"?>";
  return packet;
}

}  // namespace synthgate::metadata
