#include "harness/engine/quote_trust_setup.h"

#include <rapidjson/document.h>

#include "harness/attestation/collateral/collateral_store.h"
#include "harness/attestation/collateral/pcs_client.h"
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
                                                    const BuiltinMockPki* mock) {
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
