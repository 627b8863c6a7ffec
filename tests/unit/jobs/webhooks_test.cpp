#include "jobs/webhooks.hpp"

#include <gtest/gtest.h>

namespace reelgen::jobs {
namespace {

TEST(CallbackUrl, ParsesSchemesHostsPortsAndTargets) {
  auto a = parse_callback_url("https://hooks.example.com/reelgen?x=1").value();
  EXPECT_TRUE(a.tls);
  EXPECT_EQ(a.host, "hooks.example.com");
  EXPECT_EQ(a.port, "443");
  EXPECT_EQ(a.target, "/reelgen?x=1");
  auto b = parse_callback_url("http://127.0.0.1:9000").value();
  EXPECT_FALSE(b.tls);
  EXPECT_EQ(b.port, "9000");
  EXPECT_EQ(b.target, "/");
  auto c = parse_callback_url("http://[::1]:8080/h").value();
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.port, "8080");
}

TEST(CallbackUrl, RefusesWhatCannotBeDelivered) {
  for (const char* bad : {"ftp://x/", "example.com/hook", "http://user:pw@example.com/",
                          "http:///nohost", "http://example.com:80a/", "http://example.com/a b"}) {
    auto r = parse_callback_url(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().fields.at(0).field, "callback_url");
  }
}

TEST(CallbackUrl, HostsFollowTheWhatwgRules) {
  const std::pair<const char*, const char*> cases[] = {
      {"http://2130706433/", "127.0.0.1"},
      {"http://0x7f.1/", "127.0.0.1"},
      {"http://017700000001/", "127.0.0.1"},
      {"http://127.1/", "127.0.0.1"},
      {"http://0177.0.0.1/", "127.0.0.1"},
      {"http://0x7F000001/", "127.0.0.1"},
      {"http://%31%32%37.0.0.1/", "127.0.0.1"},
      {"http://\u2460\u2461\u2466.0.0.1/", "127.0.0.1"},  // circled digits, mapped by IDNA
      {"http://LOCALHOST/", "localhost"},
      {"http://localhost./", "localhost"},
      {"http://[::127.0.0.1]/", "::127.0.0.1"},
      {"HTTPS://Hooks.Example.COM/x", "hooks.example.com"},
      {"http://b\u00fccher.example/", "xn--bcher-kva.example"},
  };
  for (const auto& [url, host] : cases) {
    auto parsed = parse_callback_url(url);
    ASSERT_TRUE(parsed) << url << ": " << parsed.error().message;
    EXPECT_EQ(parsed->host, host) << url;
  }
  EXPECT_TRUE(parse_callback_url("HTTPS://Hooks.Example.COM/x")->tls);
}

TEST(CallbackUrl, RefusesHostsAndPortsBrowsersWouldRefuse) {
  for (const char* bad : {"http://exa mple.com/", "http://example.com:99999/", "http://1.2.3.4.5/",
                          "http://256.0.0.1/", "http://0x100000000/", "http://ex%zzample.com/",
                          "http://example.com:0/", "http://[::1/", "http://a<b.com/",
                          "http://a.b../", "http://.a/", "http://a..b/"}) {
    auto r = parse_callback_url(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().fields.at(0).field, "callback_url");
  }
}

TEST(PublicAddress, KnowsPrivateLoopbackAndLinkLocalRanges) {
  for (const char* local :
       {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1",
        "::127.0.0.1", "64:ff9b::a00:1"}) {
    EXPECT_FALSE(is_public_address(local)) << local;
  }
  for (const char* open : {"8.8.8.8", "172.32.0.1", "1.1.1.1", "2606:4700::1111"}) {
    EXPECT_TRUE(is_public_address(open)) << open;
  }
  EXPECT_FALSE(is_public_address("not-an-ip"));
}

TEST(Signature, IsHmacSha256OfTimestampDotBody) {
  // Computed independently: HMAC-SHA256("Jefe", "0.what do ya want for nothing?").
  EXPECT_EQ(webhook_signature("Jefe", 0, "what do ya want for nothing?"),
            "37f471929915ccd2cbbe79feb84ffcff4f2bb25e15fc41c2506687331ae179cc");
  EXPECT_EQ(webhook_signature("key", 1700000000, "{}"), webhook_signature("key", 1700000000, "{}"));
  EXPECT_NE(webhook_signature("key", 1700000000, "{}"), webhook_signature("key", 1700000001, "{}"));
}

}  // namespace
}  // namespace reelgen::jobs
