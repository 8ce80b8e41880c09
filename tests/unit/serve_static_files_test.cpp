#include <gtest/gtest.h>

#include <fstream>

#include "../e2e/run_process.hpp"
#include "arxivc/serve/static_files.hpp"

namespace arxivc::serve {
namespace {

class ServeStaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_test_dir("serve-static");
    std::filesystem::create_directories(dir_ / "root" / "css");
    std::ofstream(dir_ / "root" / "app.js") << "let x = 1;";
    std::ofstream(dir_ / "root" / "css" / "my page.css") << "body {}";
    std::ofstream(dir_ / "secret.txt") << "not for clients";
    std::filesystem::create_symlink(dir_ / "secret.txt", dir_ / "root" / "link.txt");
  }
  std::filesystem::path dir_;
};

TEST_F(ServeStaticFiles, ServesFilesWithTheirContentType) {
  const StaticFiles files(dir_ / "root");
  const auto js = files.serve("app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "let x = 1;");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  const auto css = files.serve("css/my%20page.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
}

TEST_F(ServeStaticFiles, NeverLeavesTheRoot) {
  const StaticFiles files(dir_ / "root");
  for (const char* path : {"../secret.txt", "css/../../secret.txt", "%2e%2e/secret.txt", "..%2fsecret.txt",
                           "/etc/passwd", "css//my%20page.css", "./app.js", "css\\..\\app.js",
                           "app.js%00.png", "link.txt", "missing.js", "css", "%zz"}) {
    const auto response = files.serve(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.content_type, "application/problem+json") << path;
    EXPECT_EQ(response.body.find("not for clients"), std::string::npos) << path;
  }
}

TEST(ServeContentTypes, ByExtension) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("redoc.standalone.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("noextension"), "application/octet-stream");
  EXPECT_EQ(percent_decode("a%20b%2Fc"), "a b/c");
  EXPECT_FALSE(percent_decode("bad%2"));
}

}  // namespace
}  // namespace arxivc::serve
