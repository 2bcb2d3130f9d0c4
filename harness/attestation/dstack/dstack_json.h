#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "harness/attestation/dstack/dstack_verifier.h"

namespace teeharness::attestation::dstack {

// Writes the JSON report's `dstack` object: {app_id, instance_id, compose_hash, os_image_hash,
// key_provider, key_provider_id, from_info:[...], mr_config, checks:[{id, result, reason}]}. All
// hex lowercase; absent values are empty strings. Thread-safe (pure).
void WriteDstackJson(rapidjson::Writer<rapidjson::StringBuffer>& w, const DstackVerification& v);

}  // namespace teeharness::attestation::dstack
