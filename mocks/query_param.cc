#include "mocks/query_param.h"

#include <algorithm>

namespace teeharness::mocks {

std::optional<std::string> QueryParam(const std::string& query, const std::string& name) {
  size_t start = 0;
  while (start <= query.size()) {
    const size_t end = std::min(query.find('&', start), query.size());
    const std::string pair = query.substr(start, end - start);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string::npos ? "" : pair.substr(eq + 1);
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace teeharness::mocks
