#include <gtest/gtest.h>

#include "arxivc/serve/router.hpp"

namespace arxivc::serve {
namespace {

Router sample_router() {
  Router router;
  const Handler nothing = [](HttpRequest&, Respond) {};
  router.add({"POST", "/v1/predict", false, false, nothing});
  router.add({"GET", "/health", false, true, nothing});
  router.add({"GET", "/static/", true, false, nothing});
  router.add({"GET", "/", false, false, nothing});
  return router;
}

TEST(ServeRouter, MatchesExactPaths) {
  const auto router = sample_router();
  const auto match = router.match("POST", "/v1/predict");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.index, 0u);
  EXPECT_EQ(router.match("GET", "/").index, 3u);
  EXPECT_EQ(router.match("GET", "/v1/predict/").status, 404);
  EXPECT_EQ(router.match("GET", "/healthz").status, 404);
}

TEST(ServeRouter, WrongMethodIs405WithAllow) {
  const auto router = sample_router();
  const auto match = router.match("GET", "/v1/predict");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.status, 405);
  EXPECT_EQ(match.allow, "POST");
  EXPECT_EQ(match.index, 0u) << "a 405 counts under the path's route";
  EXPECT_EQ(router.match("DELETE", "/health").allow, "GET");
}

TEST(ServeRouter, PrefixRoutesHandTheRestOfThePath) {
  const auto router = sample_router();
  const auto match = router.match("GET", "/static/css/page.css");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.rest, "css/page.css");
  EXPECT_EQ(match.route->label(), "/static/{path}");
  EXPECT_EQ(router.match("GET", "/static/").status, 404) << "the bare prefix names no file";
  EXPECT_EQ(router.match("POST", "/static/app.js").status, 405);
}

}  // namespace
}  // namespace arxivc::serve
