#include "harness/protocol/dialect.h"

namespace teeharness::protocol {

Result<Dialect> ParseDialect(std::string_view name) {
  if (name == "phala") return Dialect::kPhala;
  if (name == "near") return Dialect::kNear;
  if (name == "ionet") return Dialect::kIonet;
  return MakeError("unknown dialect '", name, "' (expected phala, near or ionet)");
}

std::string_view DialectName(Dialect dialect) {
  switch (dialect) {
    case Dialect::kPhala:
      return "phala";
    case Dialect::kNear:
      return "near";
    case Dialect::kIonet:
      return "ionet";
  }
  return "unknown";
}

}  // namespace teeharness::protocol
