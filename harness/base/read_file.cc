#include "harness/base/read_file.h"

#include <fstream>
#include <sstream>

namespace teeharness {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cannot read ", path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return MakeError("cannot read ", path);
  return bytes.str();
}

}  // namespace teeharness
