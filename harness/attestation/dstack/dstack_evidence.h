#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/attestation/dstack/app_info.h"
#include "harness/attestation/dstack/event_log.h"

namespace teeharness::attestation::dstack {

// The workload identity a report shows, for the evidence and the JSON report's `dstack` object.
// Taken from the RTMR3 events (which the replay authenticates) and, for what the log lacks, from
// `info`/`tcb_info` (unauthenticated; `from_info` names those fields). All hex lowercase. Value
// type.
struct DstackEvidence {
  std::string app_id;
  std::string instance_id;
  std::string compose_hash;
  std::string os_image_hash;
  std::string key_provider;     // name: kms, local-sgx, none, tpm ...
  std::string key_provider_id;  // hex
  std::vector<std::string> from_info;
};

// Thread-safe (pure).
DstackEvidence ExtractDstackEvidence(const std::vector<Event>& events, const AppInfo* info);

}  // namespace teeharness::attestation::dstack
