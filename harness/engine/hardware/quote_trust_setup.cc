#include "harness/engine/hardware/quote_trust_setup.h"

#include <rapidjson/document.h>

#include "harness/attestation/collateral/collateral_store.h"
#include "harness/attestation/collateral/pcs_client.h"
#include "harness/attestation/gpu/rim/rim_store.h"
#include "harness/attestation/pki/trust_roots.h"
#include "harness/base/read_file.h"

namespace teeharness::engine {
namespace {

bool IsUrl(const std::string& source) {
  return source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0;
}

// Adds the root in PEM file `path` to `roots` and its subject to `description`; `field` names the
// scenario field in errors.
Result<bool> AddRootFile(const char* field, const std::string& path,
                         std::vector<attestation::pki::Certificate>& roots,
                         std::string& description) {
  Result<std::string> pem = ReadFile(path);
  if (!pem.ok()) return MakeError(field, ": ", pem.error());
  Result<attestation::pki::Certificate> root = attestation::pki::Certificate::FromPem(*pem);
  if (!root.ok()) return MakeError(field, ": ", path, ": ", root.error());
  description += (description.empty() ? "" : "; ") + root->subject();
  roots.push_back(std::move(root).value());
  return true;
}

// The GPU roots: the scenario's gpu_trust_roots, the built-in mock's device root first when the
// harness started it, and NVIDIA's Device Identity CA when neither gives one.
Result<bool> SetUpGpuRoots(const scenario::Scenario& scenario, const BuiltinMockPki* mock,
                           QuoteTrust::Settings& settings) {
  for (const std::string& path : scenario.attestation.gpu_trust_roots) {
    Result<bool> added = AddRootFile("attestation.gpu_trust_roots", path, settings.gpu_roots,
                                     settings.gpu_root_description);
    if (!added.ok()) return added;
  }
  if (mock != nullptr) {
    if (!mock->nvidia_root_pem.ok()) {
      return MakeError("built-in mock: GPU root: ", mock->nvidia_root_pem.error());
    }
    Result<attestation::pki::Certificate> root =
        attestation::pki::Certificate::FromPem(*mock->nvidia_root_pem);
    if (!root.ok()) return MakeError("built-in mock: /mock/pki/nvidia-root.pem: ", root.error());
    settings.gpu_root_description = root->subject() + " (the built-in mock's, started by this run)";
    settings.gpu_roots.insert(settings.gpu_roots.begin(), std::move(root).value());
  } else if (settings.gpu_roots.empty()) {
    settings.gpu_roots.push_back(attestation::pki::NvidiaDeviceIdentityCa());
    settings.gpu_root_description = settings.gpu_roots.back().subject();
  }
  return true;
}

// The roots RIM signing chains must reach: attestation.gpu_rim_trust_roots, and the mock's RIM
// root when the harness started the mock.
Result<std::vector<attestation::pki::Certificate>> RimRoots(const scenario::Scenario& scenario,
                                                            const BuiltinMockPki* mock) {
  std::vector<attestation::pki::Certificate> roots;
  std::string ignored;
  for (const std::string& path : scenario.attestation.gpu_rim_trust_roots) {
    Result<bool> added = AddRootFile("attestation.gpu_rim_trust_roots", path, roots, ignored);
    if (!added.ok()) return Error{added.error()};
  }
  if (mock != nullptr) {
    if (!mock->rim_root_pem.ok()) {
      return MakeError("built-in mock: RIM root: ", mock->rim_root_pem.error());
    }
    Result<attestation::pki::Certificate> root =
        attestation::pki::Certificate::FromPem(*mock->rim_root_pem);
    if (!root.ok())
      return MakeError("built-in mock: /mock/pki/nvidia-rim-root.pem: ", root.error());
    roots.push_back(std::move(root).value());
  }
  return roots;
}

// The started mock's two RIMs, verified like any others.
Result<std::shared_ptr<const attestation::gpu::rim::RimStore>> MockRims(
    const BuiltinMockPki& mock, const std::vector<attestation::pki::Certificate>& roots,
    int64_t now) {
  std::vector<attestation::gpu::rim::LoadedRim> rims;
  const std::pair<const char*, const Result<std::string>*> files[] = {
      {"/mock/pki/rims/driver.swidtag", &mock.driver_rim},
      {"/mock/pki/rims/vbios.swidtag", &mock.vbios_rim}};
  for (const auto& [path, text] : files) {
    if (!text->ok()) return MakeError("built-in mock: RIM: ", text->error());
    Result<attestation::gpu::rim::LoadedRim> rim =
        attestation::gpu::rim::LoadRim(**text, path, roots, now);
    if (!rim.ok()) return MakeError("built-in mock: ", rim.error());
    rims.push_back(std::move(rim).value());
  }
  return std::make_shared<const attestation::gpu::rim::RimStore>(
      "the built-in mock's /mock/pki/rims/", std::move(rims));
}

// GPU-MEASURE's RIMs, loaded and verified once here (not per report).
Result<bool> SetUpGpuRims(const scenario::Scenario& scenario, const BuiltinMockPki* mock,
                          int64_t now, QuoteTrust::Settings& settings) {
  attestation::gpu::GpuPolicy& policy = settings.gpu_policy;
  if (policy.rim_dir.empty() && mock == nullptr) return true;
  Result<std::vector<attestation::pki::Certificate>> roots = RimRoots(scenario, mock);
  if (!roots.ok()) return Error{roots.error()};
  if (policy.rim_dir.empty()) {
    Result<std::shared_ptr<const attestation::gpu::rim::RimStore>> rims =
        MockRims(*mock, *roots, now);
    if (!rims.ok()) return Error{rims.error()};
    policy.rim_dir = (*rims)->source();
    policy.rims = std::move(rims).value();
    return true;
  }
  // Named explicitly even when the harness started the mock (whose RIM root is also accepted):
  // RIMs the user gives are trusted only through a root the user gives.
  if (scenario.attestation.gpu_rim_trust_roots.empty()) {
    return MakeError("expect.gpu_rims (", policy.rim_dir,
                     ") needs a RIM trust root: give attestation.gpu_rim_trust_roots (NVIDIA's RIM "
                     "root, verifier_RIM_root.pem of nvtrust, is not built in)");
  }
  Result<attestation::gpu::rim::RimStore> store =
      attestation::gpu::rim::RimStore::LoadDirectory(policy.rim_dir, *roots, now);
  if (!store.ok()) return MakeError("expect.gpu_rims: ", store.error());
  policy.rims = std::make_shared<const attestation::gpu::rim::RimStore>(std::move(store).value());
  return true;
}

// The mock's reference measurements as pins, unless the scenario pins measurements itself.
Result<bool> PinMockReference(const std::string& json, attestation::QuotePolicy& policy) {
  if (policy.HasMeasurementPolicy()) return true;
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return MakeError("built-in mock: /mock/pki/reference.json is not a JSON object");
  }
  for (const auto& member : doc.GetObject()) {
    if (!member.value.IsString()) continue;
    Result<bool> pinned =
        attestation::ApplyPolicyValue(member.name.GetString(), member.value.GetString(), policy);
    if (!pinned.ok()) return MakeError("built-in mock: /mock/pki/reference.json: ", pinned.error());
  }
  return true;
}

Result<bool> UseMock(const BuiltinMockPki& mock, QuoteTrust::Settings& settings) {
  if (!mock.root_pem.ok()) return MakeError("built-in mock: root: ", mock.root_pem.error());
  Result<attestation::pki::Certificate> root =
      attestation::pki::Certificate::FromPem(*mock.root_pem);
  if (!root.ok()) return MakeError("built-in mock: /mock/pki/root.pem: ", root.error());
  settings.root_description = root->subject() + " (the built-in mock's, started by this run)";
  settings.roots.insert(settings.roots.begin(), std::move(root).value());
  if (!mock.reference_json.ok()) {
    return MakeError("built-in mock: reference measurements: ", mock.reference_json.error());
  }
  return PinMockReference(*mock.reference_json, settings.policy);
}

// Collateral per platform from a PCS service; `disk` keeps it in the user's cache across runs.
void UsePcs(const std::string& base_url, bool disk, QuoteTrust::Settings& settings) {
  attestation::CollateralStoreOptions options;
  options.base_url = base_url;
  options.cache_dir = disk ? attestation::DefaultCollateralCacheDir() : "";
  settings.collateral_source =
      base_url + " (PCS v4, cached in " +
      (options.cache_dir.empty() ? std::string("memory") : options.cache_dir) + ")";
  settings.pcs = std::make_shared<PcsCollateral>(std::move(options));
}

Result<bool> UseCollateralFile(const std::string& path, QuoteTrust::Settings& settings) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return MakeError("attestation.collateral: ", text.error());
  Result<attestation::Collateral> parsed = attestation::ParseCollateralJson(*text);
  if (!parsed.ok()) return MakeError("attestation.collateral: ", path, ": ", parsed.error());
  settings.collateral = std::make_shared<const attestation::Collateral>(std::move(parsed).value());
  settings.collateral_source = path;
  return true;
}

}  // namespace

Result<QuoteTrust::Settings> MakeQuoteTrustSettings(const scenario::Scenario& scenario,
                                                    const BuiltinMockPki* mock, int64_t now) {
  QuoteTrust::Settings settings;
  settings.verify = scenario.attestation.verify;
  settings.policy = scenario.expect.quote_policy;
  settings.dcap_qvl_tcb_rule = scenario.attestation.dcap_qvl_tcb_rule;
  if (!settings.verify) return settings;
  settings.gpu_policy = scenario.expect.gpu_policy;
  settings.dstack_pins = scenario.expect.dstack_pins;
  for (const std::string& path : scenario.attestation.trust_roots) {
    Result<bool> added =
        AddRootFile("attestation.trust_roots", path, settings.roots, settings.root_description);
    if (!added.ok()) return Error{added.error()};
  }
  if (Result<bool> gpu = SetUpGpuRoots(scenario, mock, settings); !gpu.ok()) {
    return Error{gpu.error()};
  }
  if (Result<bool> rims = SetUpGpuRims(scenario, mock, now, settings); !rims.ok()) {
    return Error{rims.error()};
  }
  if (mock != nullptr) {
    if (Result<bool> used = UseMock(*mock, settings); !used.ok()) return Error{used.error()};
  } else if (settings.roots.empty()) {
    settings.roots.push_back(attestation::pki::IntelSgxRootCa());
    settings.root_description = settings.roots.back().subject();
  }
  const std::string& source = scenario.attestation.collateral;
  if (IsUrl(source)) {
    UsePcs(source, /*disk=*/true, settings);
  } else if (!source.empty()) {
    if (Result<bool> used = UseCollateralFile(source, settings); !used.ok()) {
      return Error{used.error()};
    }
  } else if (mock != nullptr) {
    // The mock's PKI is new at every start: nothing of it is worth keeping on disk.
    UsePcs(mock->base_url, /*disk=*/false, settings);
  } else {
    UsePcs(attestation::kIntelPcsBaseUrl, /*disk=*/true, settings);
  }
  return settings;
}

}  // namespace teeharness::engine
