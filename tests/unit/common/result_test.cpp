#include "common/result.hpp"

#include <gtest/gtest.h>

#include "common/secret.hpp"

namespace switchboard {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return make_error(ErrorCode::kInvalidArgument, "not positive");
  return v;
}

TEST(Result, HoldsValueOrError) {
  auto ok = parse_positive(3);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "not positive");
}

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  Status e = make_error(ErrorCode::kIoError, "disk");
  EXPECT_FALSE(e.ok());
  EXPECT_STREQ(to_string(e.error().code), "I/O error");
}

TEST(Secret, FormatsRedacted) {
  Secret s("hunter2");
  EXPECT_EQ(fmt::format("pw={}", s), "pw=********");
  EXPECT_EQ(s.reveal(), "hunter2");
}

}  // namespace
}  // namespace switchboard
