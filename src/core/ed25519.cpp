#include "core/ed25519.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>

namespace synthgate {

namespace {
using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

PKey private_pkey(const SecretBytes& seed) {
  return PKey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.view().data(), seed.size()),
      &EVP_PKEY_free);
}
}  // namespace

Ed25519SigningKey Ed25519SigningKey::generate(RandomSource& random) {
  return Ed25519SigningKey(SecretBytes(random.bytes(32)));
}

Result<Ed25519SigningKey> Ed25519SigningKey::from_seed(SecretBytes seed) {
  if (seed.size() != 32) {
    return fail(ErrorCode::kInvalidArgument, "an Ed25519 private key is 32 bytes");
  }
  return Ed25519SigningKey(std::move(seed));
}

Result<Ed25519SigningKey> Ed25519SigningKey::from_pem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  PKey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr,
           &EVP_PKEY_free);
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return fail(ErrorCode::kInvalidArgument, "not a PEM Ed25519 private key");
  }
  Bytes seed(32);
  std::size_t len = seed.size();
  if (EVP_PKEY_get_raw_private_key(key.get(), seed.data(), &len) != 1 || len != 32) {
    return fail(ErrorCode::kInvalidArgument, "not a PEM Ed25519 private key");
  }
  return Ed25519SigningKey(SecretBytes(std::move(seed)));
}

std::string Ed25519SigningKey::to_pem() const {
  PKey key = private_pkey(seed_);
  Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!key || !bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    std::abort();
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  std::string out(data, static_cast<std::size_t>(len));
  return out;
}

Ed25519PublicKey Ed25519SigningKey::public_key() const {
  PKey key = private_pkey(seed_);
  Ed25519PublicKey out{};
  std::size_t len = out.size();
  if (!key || EVP_PKEY_get_raw_public_key(key.get(), out.data(), &len) != 1) std::abort();
  return out;
}

Ed25519Signature Ed25519SigningKey::sign(ByteView message) const {
  PKey key = private_pkey(seed_);
  MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  Ed25519Signature out{};
  std::size_t len = out.size();
  if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), out.data(), &len, message.data(), message.size()) != 1) {
    std::abort();
  }
  return out;
}

bool ed25519_verify(const Ed25519PublicKey& key, ByteView message,
                    const Ed25519Signature& signature) {
  PKey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size()),
            &EVP_PKEY_free);
  MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  return pkey && ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                          message.size()) == 1;
}

}  // namespace synthgate
