#include "harness/cli/attest_report_hardware.h"

#include "harness/attestation/dstack/dstack_json.h"
#include "harness/attestation/gpu/gpu_json.h"

namespace teeharness::cli {

void WriteReportHardwareJson(rapidjson::Writer<rapidjson::StringBuffer>& w,
                             const attestation::ReportHardware& hardware) {
  w.Key("gpus");
  w.StartArray();
  if (hardware.gpus) {
    for (const attestation::gpu::GpuVerification& gpu : hardware.gpus->gpus) {
      attestation::gpu::WriteGpuJson(w, gpu);
    }
  }
  w.EndArray();
  w.Key("dstack");
  if (hardware.dstack) {
    attestation::dstack::WriteDstackJson(w, *hardware.dstack);
  } else {
    w.Null();
  }
}

}  // namespace teeharness::cli
