#include "audit/checkpoint.hpp"

#include <charconv>

namespace synthgate::audit {

namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, then a space
constexpr std::uint8_t kEd25519Type = 0x01;

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == '+' || c == 0x7f) return false;
  }
  return true;
}

Result<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() ||
      (text.size() > 1 && text[0] == '0')) {
    return fail(ErrorCode::kInvalidArgument, "checkpoint tree size is not a decimal number");
  }
  return n;
}

}  // namespace

std::string Checkpoint::body() const {
  return origin + "\n" + std::to_string(tree_size) + "\n" + base64_encode(root) + "\n";
}

std::array<std::uint8_t, 4> note_key_hash(std::string_view name, const Ed25519PublicKey& key) {
  Sha256Hasher h;
  h.update(as_bytes(name));
  const std::uint8_t sep[2] = {'\n', kEd25519Type};
  h.update(ByteView(sep, 2));
  h.update(key);
  const auto digest = h.finish();
  return {digest[0], digest[1], digest[2], digest[3]};
}

std::string verifier_key(std::string_view name, const Ed25519PublicKey& key) {
  Bytes typed{kEd25519Type};
  typed.insert(typed.end(), key.begin(), key.end());
  return std::string(name) + "+" + hex_encode(note_key_hash(name, key)) + "+" +
         base64_encode(typed);
}

Result<VerifierKey> parse_verifier_key(std::string_view text) {
  const auto refuse = [&](std::string_view why) {
    return fail(ErrorCode::kInvalidArgument, "verifier key: " + std::string(why));
  };
  const auto first = text.find('+');
  if (first == std::string_view::npos) return refuse("expected NAME+HASH+KEY");
  const auto second = text.find('+', first + 1);
  if (second == std::string_view::npos) return refuse("expected NAME+HASH+KEY");
  VerifierKey out;
  out.name = std::string(text.substr(0, first));
  if (!valid_name(out.name)) return refuse("bad name");
  const auto hash_hex = text.substr(first + 1, second - first - 1);
  if (hash_hex.size() != 8) return refuse("the key hash is not 8 hex digits");
  for (char c : hash_hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return refuse("bad key hash");
  }
  auto hash = hex_decode(hash_hex);
  auto key = base64_decode(text.substr(second + 1));
  if (!hash || !key) return refuse("bad encoding");
  if (key->size() != 33 || (*key)[0] != kEd25519Type) return refuse("not an Ed25519 key");
  std::copy(hash->begin(), hash->end(), out.key_hash.begin());
  std::copy(key->begin() + 1, key->end(), out.key.begin());
  if (note_key_hash(out.name, out.key) != out.key_hash) {
    return refuse("the key hash does not match the name and key");
  }
  return out;
}

Result<std::string> sign_note(std::string_view text, std::string_view key_name,
                              const Ed25519SigningKey& key) {
  if (text.empty() || text.back() != '\n' || !valid_name(key_name)) {
    return fail(ErrorCode::kInvalidArgument, "a note text must end in a newline");
  }
  const auto signature = key.sign(as_bytes(text));
  const auto hash = note_key_hash(key_name, key.public_key());
  Bytes blob(hash.begin(), hash.end());
  blob.insert(blob.end(), signature.begin(), signature.end());
  return std::string(text) + "\n" + std::string(kSignaturePrefix) + std::string(key_name) + " " +
         base64_encode(blob) + "\n";
}

std::string sign_checkpoint(const Checkpoint& checkpoint, std::string_view key_name,
                            const Ed25519SigningKey& key) {
  auto note = sign_note(checkpoint.body(), key_name, key);
  return note ? *note : std::string();
}

Result<Checkpoint> open_checkpoint(std::string_view note, const VerifierKey& verifier) {
  const auto refuse = [](std::string_view why) {
    return fail(ErrorCode::kInvalidArgument, "checkpoint: " + std::string(why));
  };
  const auto split = note.rfind("\n\n");
  if (split == std::string_view::npos || note.empty() || note.back() != '\n') {
    return refuse("not a signed note");
  }
  const std::string_view text = note.substr(0, split + 1);
  std::string_view signatures = note.substr(split + 2);
  bool verified = false;
  while (!signatures.empty()) {
    const auto eol = signatures.find('\n');
    if (eol == std::string_view::npos) return refuse("a signature line lacks its newline");
    std::string_view line = signatures.substr(0, eol);
    signatures.remove_prefix(eol + 1);
    if (!line.starts_with(kSignaturePrefix)) return refuse("a signature line lacks the em dash");
    line.remove_prefix(kSignaturePrefix.size());
    const auto space = line.find(' ');
    if (space == std::string_view::npos) return refuse("malformed signature line");
    const std::string_view name = line.substr(0, space);
    auto blob = base64_decode(line.substr(space + 1));
    if (!blob || blob->size() < 5) return refuse("malformed signature");
    if (name != verifier.name ||
        !std::equal(verifier.key_hash.begin(), verifier.key_hash.end(), blob->begin())) {
      continue;  // another signer's (a witness's) signature
    }
    if (blob->size() != 4 + 64) return refuse("malformed Ed25519 signature");
    Ed25519Signature signature{};
    std::copy(blob->begin() + 4, blob->end(), signature.begin());
    if (!ed25519_verify(verifier.key, as_bytes(text), signature)) {
      return refuse("the signature of " + verifier.name + " does not verify");
    }
    verified = true;
  }
  if (!verified) return refuse("no signature by " + verifier.name);

  // The body: origin, size, root, then optional extension lines.
  std::string_view rest = text;
  std::string_view lines[3];
  for (auto& line : lines) {
    const auto eol = rest.find('\n');
    if (eol == std::string_view::npos) return refuse("fewer than three lines");
    line = rest.substr(0, eol);
    rest.remove_prefix(eol + 1);
  }
  Checkpoint out;
  out.origin = std::string(lines[0]);
  if (out.origin.empty()) return refuse("empty origin");
  auto size = parse_size(lines[1]);
  if (!size) return tl::unexpected(size.error());
  out.tree_size = *size;
  auto root = base64_decode(lines[2]);
  if (!root || root->size() != out.root.size()) return refuse("the root hash is not 32 bytes");
  std::copy(root->begin(), root->end(), out.root.begin());
  return out;
}

}  // namespace synthgate::audit
