#include "core/aead.hpp"

#include <openssl/evp.h>

#include <memory>

namespace synthgate {

namespace {
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherCtx new_ctx() {
  return CipherCtx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
}
}  // namespace

Result<Aes256Gcm> Aes256Gcm::with_key(SecretBytes key) {
  if (key.size() != kKeySize) {
    return fail(ErrorCode::kInvalidArgument,
                "an AES-256-GCM key is 32 bytes, got " + std::to_string(key.size()));
  }
  return Aes256Gcm(std::move(key));
}

Bytes Aes256Gcm::seal(ByteView plaintext, ByteView associated_data, RandomSource& random) const {
  Bytes box(kNonceSize + plaintext.size() + kTagSize);
  random.fill(std::span(box.data(), kNonceSize));
  auto ctx = new_ctx();
  int len = 0;
  bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.view().data(),
                                      box.data()) == 1;
  ok = ok && EVP_EncryptUpdate(ctx.get(), nullptr, &len, associated_data.data(),
                               static_cast<int>(associated_data.size())) == 1;
  ok = ok && EVP_EncryptUpdate(ctx.get(), box.data() + kNonceSize, &len, plaintext.data(),
                               static_cast<int>(plaintext.size())) == 1;
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), box.data() + kNonceSize + len, &len) == 1;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                                 box.data() + kNonceSize + plaintext.size()) == 1;
  if (!ok) std::abort();  // only allocation failure gets here
  return box;
}

Result<Bytes> Aes256Gcm::open(ByteView box, ByteView associated_data) const {
  if (box.size() < kNonceSize + kTagSize) {
    return fail(ErrorCode::kInvalidArgument, "sealed box is too short");
  }
  const std::size_t text_size = box.size() - kNonceSize - kTagSize;
  Bytes plain(text_size);
  auto ctx = new_ctx();
  int len = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.view().data(),
                                      box.data()) == 1;
  ok = ok && EVP_DecryptUpdate(ctx.get(), nullptr, &len, associated_data.data(),
                               static_cast<int>(associated_data.size())) == 1;
  ok = ok && EVP_DecryptUpdate(ctx.get(), plain.data(), &len, box.data() + kNonceSize,
                               static_cast<int>(text_size)) == 1;
  // The tag is an input here; OpenSSL's API takes it through a non-const pointer.
  Bytes tag(box.end() - static_cast<std::ptrdiff_t>(kTagSize), box.end());
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                                 tag.data()) == 1;
  ok = ok && EVP_DecryptFinal_ex(ctx.get(), plain.data() + len, &len) == 1;
  if (!ok) {
    return fail(ErrorCode::kInvalidArgument,
                "sealed box failed authentication (altered, or another key)");
  }
  return plain;
}

}  // namespace synthgate
