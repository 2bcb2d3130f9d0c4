#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "harness/attestation/verify/report_hardware.h"

namespace teeharness::cli {

// Writes `gpus` ([{index, nonce, driver, vbios, checks}]) and `dstack` ({app_id, ...}; null when
// not verified) into the `attest verify --json` object. Thread-safe (pure).
void WriteReportHardwareJson(rapidjson::Writer<rapidjson::StringBuffer>& w,
                             const attestation::ReportHardware& hardware);

}  // namespace teeharness::cli
