#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace parley::http {
namespace {
namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("parley_static_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "out";
    fs::create_directories(root_ / "_next/static/chunks");
    fs::create_directories(root_ / "docs");
    write(root_ / "index.html", "<html>home</html>");
    write(root_ / "about.html", "<html>about</html>");
    write(root_ / "docs/index.html", "<html>docs</html>");
    write(root_ / "_next/static/chunks/app-abc123.js", "console.log(1)");
    write(root_ / "_next/static/chunks/app-abc123.js.br", "BROTLI");
    write(root_ / "_next/static/chunks/app-abc123.js.gz", "GZIP");
    write(root_ / "logo.svg", "<svg/>");
    write(base_ / "secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
  }
  void TearDown() override { fs::remove_all(base_); }
  static void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

  Request get(std::string path, std::vector<Header> headers = {}) {
    Request r;
    r.method = "GET";
    r.path = std::move(path);
    r.headers = std::move(headers);
    return r;
  }

  fs::path base_, root_;
};

TEST_F(StaticFilesTest, ServesIndexWithHtmlTypeAndNoCache) {
  StaticFiles s(root_);
  auto r = s.serve(get("/"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "<html>home</html>");
  EXPECT_EQ(r->header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->header("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, NextExportPathsWithoutTrailingSlash) {
  StaticFiles s(root_);
  EXPECT_EQ(s.serve(get("/about"))->body, "<html>about</html>");
  EXPECT_EQ(s.serve(get("/docs"))->body, "<html>docs</html>");
  EXPECT_EQ(s.serve(get("/docs/"))->body, "<html>docs</html>");
  EXPECT_EQ(s.serve(get("/logo.svg"))->header("Content-Type"), "image/svg+xml");
}

TEST_F(StaticFilesTest, EtagAndIfNoneMatchGive304) {
  StaticFiles s(root_);
  auto r = s.serve(get("/logo.svg"));
  ASSERT_TRUE(r);
  std::string etag(r->header("ETag"));
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');  // strong
  auto again = s.serve(get("/logo.svg", {{"If-None-Match", "\"other\", " + etag}}));
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(again->header("ETag"), etag);
  EXPECT_EQ(s.serve(get("/logo.svg", {{"If-None-Match", "\"nope\""}}))->status, 200);
  // The ETag changes when the file changes.
  write(root_ / "logo.svg", "<svg>changed</svg>");
  auto changed = s.serve(get("/logo.svg"));
  EXPECT_NE(changed->header("ETag"), etag);
  EXPECT_EQ(changed->body, "<svg>changed</svg>");
}

TEST_F(StaticFilesTest, PrecompressedVariantsAndImmutableCaching) {
  StaticFiles s(root_);
  const std::string path = "/_next/static/chunks/app-abc123.js";
  auto br = s.serve(get(path, {{"Accept-Encoding", "gzip, deflate, br"}}));
  EXPECT_EQ(br->body, "BROTLI");
  EXPECT_EQ(br->header("Content-Encoding"), "br");
  EXPECT_EQ(br->header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(br->header("Vary"), "Accept-Encoding");
  EXPECT_EQ(br->header("Cache-Control"), "public, max-age=31536000, immutable");
  auto gz = s.serve(get(path, {{"Accept-Encoding", "gzip"}}));
  EXPECT_EQ(gz->body, "GZIP");
  EXPECT_EQ(gz->header("Content-Encoding"), "gzip");
  EXPECT_NE(gz->header("ETag"), br->header("ETag"));
  auto plain = s.serve(get(path));
  EXPECT_EQ(plain->body, "console.log(1)");
  EXPECT_EQ(plain->header("Content-Encoding"), "");
  auto refused = s.serve(get(path, {{"Accept-Encoding", "br;q=0, gzip;q=0"}}));
  EXPECT_EQ(refused->body, "console.log(1)");
}

TEST_F(StaticFilesTest, SpaFallbackOnlyForHtmlNavigations) {
  StaticFiles s(root_);
  auto nav = s.serve(get("/chats/123", {{"Accept", "text/html,application/xhtml+xml"}}));
  ASSERT_TRUE(nav);
  EXPECT_EQ(nav->body, "<html>home</html>");
  EXPECT_EQ(nav->header("Cache-Control"), "no-cache");
  EXPECT_FALSE(s.serve(get("/chats/123", {{"Accept", "application/json"}})));
  EXPECT_FALSE(s.serve(get("/missing.js", {{"Accept", "text/html"}})));
  Request post = get("/chats/123", {{"Accept", "text/html"}});
  post.method = "POST";
  EXPECT_FALSE(s.serve(post));
}

TEST_F(StaticFilesTest, NeverServesOutsideRoot) {
  StaticFiles s(root_);
  EXPECT_FALSE(s.serve(get("/../secret.txt")));
  EXPECT_FALSE(s.serve(get("/docs/../../secret.txt")));
  EXPECT_FALSE(s.serve(get("//" + (base_ / "secret.txt").string())));
  EXPECT_FALSE(s.serve(get("/leak.txt")));  // symlink pointing out of the root
  EXPECT_FALSE(s.serve(get("/..\\secret.txt")));
  EXPECT_FALSE(s.serve(get("/docs/..", {{"Accept", "text/html"}})));
}

}  // namespace
}  // namespace parley::http
