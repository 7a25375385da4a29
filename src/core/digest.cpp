#include "core/digest.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdio>
#include <cstdlib>

namespace synthgate {

namespace {
// OpenSSL only fails here on allocation failure or a broken installation; neither is an
// input error a caller could handle, so stop loudly rather than return a wrong digest.
void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "synthgate: fatal: OpenSSL %s failed\n", what);
    std::abort();
  }
}
}  // namespace

struct Sha256Hasher::State {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256Hasher::Sha256Hasher() : state_(new State) {
  state_->ctx = EVP_MD_CTX_new();
  require(state_->ctx != nullptr && EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) == 1,
          "SHA-256 init");
}

Sha256Hasher::~Sha256Hasher() {
  EVP_MD_CTX_free(state_->ctx);
  delete state_;
}

void Sha256Hasher::update(ByteView data) {
  require(EVP_DigestUpdate(state_->ctx, data.data(), data.size()) == 1, "SHA-256 update");
}

Sha256Digest Sha256Hasher::finish() {
  Sha256Digest out{};
  unsigned int len = 0;
  require(EVP_DigestFinal_ex(state_->ctx, out.data(), &len) == 1 && len == out.size(),
          "SHA-256 final");
  return out;
}

Sha256Digest sha256(ByteView data) {
  Sha256Hasher hasher;
  hasher.update(data);
  return hasher.finish();
}

Sha256Digest hmac_sha256(const SecretBytes& key, ByteView data) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  require(mac != nullptr, "HMAC fetch");
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  require(ctx != nullptr, "HMAC context");
  char digest_name[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                         OSSL_PARAM_construct_end()};
  static const std::uint8_t kEmpty = 0;  // OpenSSL refuses a null key pointer
  const std::uint8_t* key_data = key.empty() ? &kEmpty : key.view().data();
  require(EVP_MAC_init(ctx, key_data, key.size(), params) == 1, "HMAC init");
  require(EVP_MAC_update(ctx, data.data(), data.size()) == 1, "HMAC update");
  Sha256Digest out{};
  std::size_t len = 0;
  require(EVP_MAC_final(ctx, out.data(), &len, out.size()) == 1 && len == out.size(), "HMAC final");
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  return out;
}

bool constant_time_equal(ByteView a, ByteView b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace synthgate
