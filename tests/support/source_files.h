// Tests that pin content kept in the source tree: golden files (what a test
// renders, compared byte for byte; rewritten instead when a deliberate change
// is made, so it is reviewed as a diff) and the files of a data folder.
// Paths are from the repo root; needs DERMAFLOW_SOURCE_DIR (dermaflow_cc_test).
//
//   if (UpdateGoldenRequested()) { WriteSourceFile(kGolden, current); GTEST_SKIP(); }
//   EXPECT_EQ(current, ReadSourceFile(kGolden));
//   EXPECT_EQ(embedded_paths, FilesInSourceFolder("services/protocol/catalog"));
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace dermaflow::testing {

// DERMAFLOW_UPDATE_GOLDEN=1 ctest ...: rewrite golden files, don't compare.
inline bool UpdateGoldenRequested() { return std::getenv("DERMAFLOW_UPDATE_GOLDEN") != nullptr; }

inline std::string ReadSourceFile(const std::string& path) {
  std::ifstream in(std::string(DERMAFLOW_SOURCE_DIR) + "/" + path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

inline void WriteSourceFile(const std::string& path, const std::string& contents) {
  std::ofstream(std::string(DERMAFLOW_SOURCE_DIR) + "/" + path, std::ios::binary) << contents;
}

// "<folder>/<name>" for every file directly in `folder`.
inline std::set<std::string> FilesInSourceFolder(const std::string& folder) {
  std::set<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(DERMAFLOW_SOURCE_DIR) + "/" + folder)) {
    if (entry.is_regular_file()) files.insert(folder + "/" + entry.path().filename().string());
  }
  return files;
}

}  // namespace dermaflow::testing
