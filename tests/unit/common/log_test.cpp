#include "common/log.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace switchboard::log {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Log, ParsesLevels) {
  EXPECT_EQ(*parse_level("INFO"), spdlog::level::info);
  EXPECT_EQ(*parse_level("warning"), spdlog::level::warn);
  EXPECT_FALSE(parse_level("loud").ok());
}

TEST(Log, PerComponentLevelsAndJsonLines) {
  auto dir = std::filesystem::temp_directory_path() / ("sblog-" + std::to_string(::getpid()));
  auto file = (dir / "x.log").string();
  Settings s;
  s.level = "warning";
  s.components = {{"sip", "debug"}};
  s.console = false;
  s.file = file;
  s.json = true;
  ASSERT_TRUE(configure(s).ok());
  get("sip")->debug("quote \" and\nnewline");
  get("store")->info("hidden: below the default level");
  get("store")->warn("shown");
  flush_all();
  std::istringstream lines(slurp(file));
  std::string line;
  std::vector<nlohmann::json> records;
  while (std::getline(lines, line)) records.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["component"], "sip");
  EXPECT_EQ(records[0]["msg"], "quote \" and\nnewline");
  EXPECT_EQ(records[1]["level"], "warning");
  s.file.clear();
  s.console = true;
  s.json = false;
  ASSERT_TRUE(configure(s).ok());
  std::filesystem::remove_all(dir);
}

TEST(Log, RejectsBadLevelWithoutChangingAnything) {
  Settings s;
  s.level = "chatty";
  EXPECT_FALSE(configure(s).ok());
}

}  // namespace
}  // namespace switchboard::log
