#include "core/hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <xxhash.h>

#include <array>
#include <atomic>
#include <cstdio>

namespace reelgen::core {

std::uint64_t fast_hash(std::string_view data) { return XXH3_64bits(data.data(), data.size()); }

namespace {

std::string hex(const unsigned char* digest, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return hex(digest.data(), digest.size());
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
       &length);
  return hex(digest.data(), length);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_token(std::size_t length) {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out;
  out.reserve(length);
  std::array<unsigned char, 64> bytes{};
  while (out.size() < length) {
    RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
    for (const unsigned char b : bytes) {
      // Rejection sampling keeps every symbol equally likely.
      if (b >= 248) continue;
      out.push_back(kAlphabet[b % 62]);
      if (out.size() == length) break;
    }
  }
  return out;
}

std::string new_request_id() {
  // A random per-process prefix plus a counter: unique, cheap, and sortable within a run.
  static const std::uint32_t prefix = [] {
    std::uint32_t p = 0;
    RAND_bytes(reinterpret_cast<unsigned char*>(&p), sizeof p);
    return p;
  }();
  static std::atomic<std::uint32_t> counter{0};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", prefix,
                counter.fetch_add(1, std::memory_order_relaxed));
  return std::string(buf, 16);
}

}  // namespace reelgen::core
