#include "store/store.hpp"

#include "core/hash.hpp"

namespace reelgen::store {

std::string_view to_string(Scope scope) { return scope == Scope::admin ? "admin" : "user"; }

std::optional<Scope> parse_scope(std::string_view name) {
  if (name == "user") return Scope::user;
  if (name == "admin") return Scope::admin;
  return std::nullopt;
}

std::string new_key_secret() { return "rg_" + core::random_token(40); }

}  // namespace reelgen::store
