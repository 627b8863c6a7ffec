#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace reelgen::core {

// 64-bit non-cryptographic hash (XXH3) for cache keys and seeds.
std::uint64_t fast_hash(std::string_view data);

// Lower-case hex SHA-256 of data.
std::string sha256_hex(std::string_view data);

// Lower-case hex HMAC-SHA256 of message with key.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// Compares two equal-purpose secrets in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// Cryptographically random bytes rendered as URL-safe base62 text of the given length.
std::string random_token(std::size_t length);

// A short unique id for requests and batches: 16 hex digits, unique within a process run.
std::string new_request_id();

}  // namespace reelgen::core
