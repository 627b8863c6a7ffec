// GET /api/v1/key: the key the request is made with (its id and scope), so a client such as the
// web studio knows whether to offer the operations pages, which need an admin key.

#include "api/services.hpp"

namespace reelgen::api {
namespace {

http::Response current_key(Services&, http::Request&, http::Context& ctx) {
  return json(200, {{"key_id", ctx.key_id}, {"scope", ctx.admin ? "admin" : "user"}});
}

}  // namespace

void add_key_routes(http::Router& router, Services& s) {
  router.add("GET", "/api/v1/key", bind_handler<current_key>(s), http::Dispatch::io_thread);
}

}  // namespace reelgen::api
