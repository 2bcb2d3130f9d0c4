// dstack event logs (a JSON array or a string holding one), tcb_info and app info JSON, the
// replay and the compose-hash checks over whatever parsed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/attestation/dstack/app_info.h"
#include "harness/attestation/dstack/dstack_verifier.h"
#include "harness/attestation/dstack/event_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness::attestation;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)dstack::ParseTcbInfo(text);
  TdReportBody td;
  td.mr_config_id[0] = size % 4;  // exercise each mr_config_id version
  const dstack::DstackInput as_log = dstack::MakeDstackInput(text, "");
  (void)dstack::VerifyDstack(as_log, &td, {});
  const dstack::DstackInput as_info = dstack::MakeDstackInput("", text);
  (void)dstack::VerifyDstack(as_info, &td, {});
  return 0;
}
