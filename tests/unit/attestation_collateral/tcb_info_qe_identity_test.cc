#include <gtest/gtest.h>

#include <string>

#include "harness/attestation/collateral/qe_identity.h"
#include "harness/attestation/collateral/rfc3339.h"
#include "harness/attestation/collateral/tcb_info.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation_collateral/vectors.h"

namespace teeharness::attestation {
namespace {

using collateral_testing::kV4Collateral;
using collateral_testing::kV5Collateral;
using collateral_testing::LoadCollateral;
using collateral_testing::Replaced;

std::string V4TcbText() { return LoadCollateral(kV4Collateral).tcb_info; }
std::string V4QeText() { return LoadCollateral(kV4Collateral).qe_identity; }

TEST(TcbInfo, ParsesTheV4TcbInfo) {
  Result<TcbInfo> info = ParseTcbInfo(V4TcbText());
  ASSERT_TRUE(info.ok()) << info.error();
  EXPECT_EQ(info->id, "TDX");
  EXPECT_EQ(info->version, 3);
  EXPECT_EQ(FormatRfc3339(info->issue_date), "2025-06-19T10:16:03Z");
  EXPECT_EQ(FormatRfc3339(info->next_update), "2025-07-19T10:16:03Z");
  EXPECT_EQ(crypto::EncodeHex(info->fmspc), "b0c06f000000");
  EXPECT_EQ(crypto::EncodeHex(info->pce_id), "0000");
  EXPECT_EQ(info->tcb_type, 0);
  EXPECT_EQ(info->tcb_evaluation_data_number, 17);
  EXPECT_EQ(info->tdx_module.mrsigner, crypto::Bytes(48, 0));
  EXPECT_EQ(crypto::EncodeHex(info->tdx_module.attributes_mask), "ffffffffffffffff");
  ASSERT_EQ(info->tdx_module_identities.size(), 2u);
  EXPECT_EQ(info->tdx_module_identities[0].id, "TDX_03");
  const TdxModuleIdentity& m1 = info->tdx_module_identities[1];
  EXPECT_EQ(m1.id, "TDX_01");
  ASSERT_EQ(m1.levels.size(), 2u);
  EXPECT_EQ(m1.levels[0].isvsvn, 4);
  EXPECT_EQ(m1.levels[0].status, "UpToDate");
  EXPECT_EQ(m1.levels[1].isvsvn, 2);
  EXPECT_EQ(m1.levels[1].status, "OutOfDate");
  EXPECT_EQ(m1.levels[1].tcb_date, "2023-08-09T00:00:00Z");
  ASSERT_EQ(info->levels.size(), 2u);
  const TcbLevel& top = info->levels[0];
  EXPECT_EQ(top.sgx_components,
            (std::array<uint8_t, 16>{2, 2, 2, 2, 3, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(top.tdx_components,
            (std::array<uint8_t, 16>{5, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(top.has_tdx);
  EXPECT_EQ(top.pce_svn, 11);
  EXPECT_EQ(top.status, "UpToDate");
  EXPECT_TRUE(top.advisory_ids.empty());
  EXPECT_EQ(top.sgx_component_info[7].type, "SEAMLDR ACM");
  EXPECT_EQ(top.sgx_component_info[7].category, "OS/VMM");
  EXPECT_EQ(top.tdx_component_info[2].type, "TDX Late Microcode Update");
  EXPECT_EQ(top.sgx_component_info[6].type, "");
  EXPECT_EQ(info->levels[1].pce_svn, 5);
  EXPECT_EQ(info->levels[1].status, "OutOfDate");
  ASSERT_EQ(info->levels[1].advisory_ids.size(), 14u);
  EXPECT_EQ(info->levels[1].advisory_ids.front(), "INTEL-SA-00106");
  EXPECT_EQ(info->levels[1].advisory_ids.back(), "INTEL-SA-00837");
}

TEST(TcbInfo, ParsesTheV5TcbInfoAndTheWrappedForm) {
  const std::string text = LoadCollateral(kV5Collateral).tcb_info;
  Result<TcbInfo> info = ParseTcbInfo(text);
  ASSERT_TRUE(info.ok()) << info.error();
  EXPECT_EQ(crypto::EncodeHex(info->fmspc), "90c06f000000");
  EXPECT_EQ(info->tcb_evaluation_data_number, 18);
  ASSERT_EQ(info->levels.size(), 3u);
  EXPECT_EQ(info->levels[0].pce_svn, 13);
  EXPECT_EQ(info->tdx_module_identities[1].levels.size(), 3u);
  EXPECT_EQ(info->tdx_module_identities[1].levels[1].advisory_ids,
            (std::vector<std::string>{"INTEL-SA-01036", "INTEL-SA-01099"}));
  // PCS serves {"tcbInfo":{...},"signature":"..."}: the same result.
  Result<TcbInfo> wrapped = ParseTcbInfo("{\"tcbInfo\":" + text + ",\"signature\":\"00\"}");
  ASSERT_TRUE(wrapped.ok()) << wrapped.error();
  EXPECT_EQ(wrapped->levels.size(), 3u);
  EXPECT_EQ(wrapped->fmspc, info->fmspc);
  EXPECT_EQ(ParseTcbInfo("{\"tcbInfo\":[]}").error(), "tcbInfo is not an object");
}

// SGX TCB info (version 2's sgxtcbcompNNsvn shape and version 3's arrays) parses, so that the
// verifier can say "id SGX version 2" instead of failing on a missing field.
TEST(TcbInfo, AcceptsSgxVersionsTwoAndThree) {
  std::string comps;
  for (int i = 1; i <= 16; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "\"sgxtcbcomp%02dsvn\":%d,", i, i);
    comps += key;
  }
  const std::string v2 =
      "{\"id\":\"SGX\",\"version\":2,\"issueDate\":\"2025-06-19T10:16:03Z\",\"nextUpdate\":"
      "\"2025-07-19T10:16:03Z\",\"fmspc\":\"00906ED50000\",\"pceId\":\"0000\",\"tcbType\":0,"
      "\"tcbEvaluationDataNumber\":17,\"tcbLevels\":[{\"tcb\":{" +
      comps +
      "\"pcesvn\":11},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":"
      "\"SWHardeningNeeded\",\"advisoryIDs\":[\"INTEL-SA-00334\"]}]}";
  Result<TcbInfo> info = ParseTcbInfo(v2);
  ASSERT_TRUE(info.ok()) << info.error();
  EXPECT_EQ(info->id, "SGX");
  EXPECT_EQ(info->version, 2);
  EXPECT_EQ(info->levels[0].sgx_components[15], 16);
  EXPECT_FALSE(info->levels[0].has_tdx);
  EXPECT_EQ(info->levels[0].status, "SWHardeningNeeded");
  EXPECT_EQ(ParseTcbInfo(Replaced(v2, "\"sgxtcbcomp16svn\":16,", "")).error(),
            "tcbInfo.tcbLevels[0].tcb.sgxtcbcomp16svn is missing");

  // SGX version 3: the TDX info without its TDX parts.
  std::string sgx3 = Replaced(V4TcbText(), "\"id\":\"TDX\"", "\"id\":\"SGX\"");
  Result<TcbInfo> info3 = ParseTcbInfo(sgx3);
  ASSERT_TRUE(info3.ok()) << info3.error();
  EXPECT_EQ(info3->id, "SGX");
  EXPECT_FALSE(info3->levels[0].has_tdx);
  EXPECT_TRUE(info3->tdx_module_identities.empty());
}

TEST(TcbInfo, RejectsUnsupportedIdsAndVersionsNamingThem) {
  const std::string v4 = V4TcbText();
  EXPECT_EQ(ParseTcbInfo(Replaced(v4, "\"version\":3", "\"version\":2")).error(),
            "tcbInfo is id TDX version 2; supported: TDX version 3, SGX versions 2 and 3");
  EXPECT_EQ(ParseTcbInfo(Replaced(v4, "\"version\":3", "\"version\":4")).error(),
            "tcbInfo is id TDX version 4; supported: TDX version 3, SGX versions 2 and 3");
  EXPECT_EQ(ParseTcbInfo(Replaced(v4, "\"id\":\"TDX\"", "\"id\":\"SEV\"")).error(),
            "tcbInfo.id is 'SEV'; expected TDX or SGX");
  EXPECT_EQ(ParseTcbInfo("{\"id\":\"TDX\"}").error(), "tcbInfo.version is missing");
  EXPECT_EQ(ParseTcbInfo("{\"id\":5,\"version\":3}").error(), "tcbInfo.id is not a string");
}

// Each edit of the real text and the error it must give (the field path is always named).
TEST(TcbInfo, WrongTypesRangesAndShapesAreErrorsNamingThePath) {
  const std::string v4 = V4TcbText();
  struct Case {
    std::string from, to, error;
  };
  const Case cases[] = {
      {"\"version\":3", "\"version\":3.0", "tcbInfo.version is not an integer"},
      {"\"version\":3", "\"version\":1e300", "tcbInfo.version is not an integer"},
      {"\"version\":3", "\"version\":99999999999999999999", "tcbInfo.version is not an integer"},
      {"\"version\":3", "\"version\":\"3\"", "tcbInfo.version is not an integer"},
      {"\"issueDate\":\"2025-06-19T10:16:03Z\"", "\"issueDate\":\"2025-06-31T10:16:03Z\"",
       "tcbInfo.issueDate: '2025-06-31T10:16:03Z' is not a valid date and time"},
      {"\"fmspc\":\"B0C06F000000\"", "\"fmspc\":\"B0C06F00\"",
       "tcbInfo.fmspc is 4 bytes; expected 6"},
      {"\"tcbType\":0", "\"tcbType\":-1", "tcbInfo.tcbType is -1, outside 0..255"},
      {"\"tdxModule\":", "\"tdxModuleX\":", "tcbInfo.tdxModule is missing"},
      {"\"tdxModuleIdentities\":[", "\"tdxModuleIdentities\":[5,",
       "tcbInfo.tdxModuleIdentities[0] is not an object"},
      {"\"tdxModuleIdentities\":", "\"tdxModuleIdentities\":{},\"x\":",
       "tcbInfo.tdxModuleIdentities is not an array"},
      {"{\"isvsvn\":3}", "{\"isvsvn\":256}",
       "tcbInfo.tdxModuleIdentities[0].tcbLevels[0].tcb.isvsvn is 256, outside 0..255"},
      {"\"tcbStatus\":\"UpToDate\"", "\"tcbStatus\":\"Fine\"",
       "tcbInfo.tdxModuleIdentities[0].tcbLevels[0].tcbStatus: unknown TCB status 'Fine' (one "
       "of UpToDate, SWHardeningNeeded, ConfigurationNeeded, ConfigurationAndSWHardeningNeeded, "
       "TDRelaunchAdvised, TDRelaunchAdvisedConfigurationNeeded, OutOfDate, "
       "OutOfDateConfigurationNeeded, Revoked)"},
      {"{\"svn\":2,", "{\"svn\":999,",
       "tcbInfo.tcbLevels[0].tcb.sgxtcbcomponents[0].svn is 999, outside 0..255"},
      {"{\"svn\":2,", "{\"svn\":-2,",
       "tcbInfo.tcbLevels[0].tcb.sgxtcbcomponents[0].svn is -2, outside 0..255"},
      {"{\"svn\":2,", "{\"svn\":2.5,",
       "tcbInfo.tcbLevels[0].tcb.sgxtcbcomponents[0].svn is not an integer"},
      {"{\"svn\":2,", "{\"svn\":18446744073709551616,",
       "tcbInfo.tcbLevels[0].tcb.sgxtcbcomponents[0].svn is not an integer"},
      {"{\"svn\":2,\"category\":\"BIOS\"", "{\"svn\":2,\"category\":7",
       "tcbInfo.tcbLevels[0].tcb.sgxtcbcomponents[0].category is not a string"},
      {"\"sgxtcbcomponents\":[{\"svn\":2,", "\"sgxtcbcomponents\":[7,{\"svn\":2,",
       "tcbInfo.tcbLevels[0].tcb.sgxtcbcomponents has 17 components; expected 16"},
      {"\"sgxtcbcomponents\":[{\"svn\":2,\"category\":\"BIOS\",\"type\":\"Early Microcode "
       "Update\"},",
       "\"sgxtcbcomponents\":[",
       "tcbInfo.tcbLevels[0].tcb.sgxtcbcomponents has 15 components; "
       "expected 16"},
      {"\"tdxtcbcomponents\":", "\"tdxtcbcomponentz\":",
       "tcbInfo.tcbLevels[0].tcb.tdxtcbcomponents is missing"},
      {"\"pcesvn\":11", "\"pcesvn\":65536",
       "tcbInfo.tcbLevels[0].tcb.pcesvn is 65536, outside "
       "0..65535"},
      {"\"tcbLevels\":[{\"tcb\":{\"sgxtcbcomponents\"", "\"tcbLevels\":[{\"tcb\":[],\"x\":{\"s\"",
       "tcbInfo.tcbLevels[0].tcb is not an object"},
      {"\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"UpToDate\"}]}",
       "\"tcbDate\":\"2024-03-13\",\"tcbStatus\":\"UpToDate\"}]}",
       "tcbInfo.tdxModuleIdentities[0].tcbLevels[0].tcbDate: '2024-03-13' is not an RFC 3339 "
       "time (YYYY-MM-DDThh:mm:ssZ)"},
      {"\"advisoryIDs\":[\"INTEL-SA-00106\"", "\"advisoryIDs\":[106",
       "tcbInfo.tcbLevels[1].advisoryIDs holds a non-string"},
  };
  for (const Case& c : cases) {
    ASSERT_NE(v4.find(c.from), std::string::npos) << c.from;
    Result<TcbInfo> r = ParseTcbInfo(Replaced(v4, c.from, c.to));
    ASSERT_FALSE(r.ok()) << c.to;
    EXPECT_EQ(r.error(), c.error) << c.from << " -> " << c.to;
  }
  EXPECT_EQ(
      ParseTcbInfo(v4.substr(0, v4.find("\"tcbLevels\":[{\"tcb\":{\"sgx")) + "\"tcbLevels\":[]}")
          .error(),
      "tcbInfo.tcbLevels is empty");
}

TEST(TcbInfo, HostileTextIsAnErrorNotACrash) {
  const std::string v4 = V4TcbText();
  EXPECT_FALSE(ParseTcbInfo("").ok());
  EXPECT_FALSE(ParseTcbInfo("null").ok());
  EXPECT_EQ(ParseTcbInfo("[]").error(), "TCB info is not a JSON object");
  EXPECT_NE(ParseTcbInfo(std::string(1 << 20, '[')).error().find("nested deeper"),
            std::string::npos);
  EXPECT_NE(ParseTcbInfo("{\"id\":\"TDX\",\"version\":3,\"x\":" + std::string(5000, '{'))
                .error()
                .find("nested deeper"),
            std::string::npos);
  for (size_t n = 0; n < v4.size(); n += 7) {
    EXPECT_FALSE(ParseTcbInfo(v4.substr(0, n)).ok()) << n;
  }
  for (size_t at = 0; at < v4.size(); at += 3) {
    for (char c : {'"', '[', '}', '9', '-', ' '}) {
      std::string bad = v4;
      bad[at] = c;
      (void)ParseTcbInfo(bad);
    }
  }
}

TEST(QeIdentity, ParsesTheRealIdentitiesAndTheWrappedForm) {
  Result<QeIdentity> id = ParseQeIdentity(V4QeText());
  ASSERT_TRUE(id.ok()) << id.error();
  EXPECT_EQ(id->id, "TD_QE");
  EXPECT_EQ(id->version, 2);
  EXPECT_EQ(FormatRfc3339(id->issue_date), "2025-06-19T10:32:27Z");
  EXPECT_EQ(id->tcb_evaluation_data_number, 17);
  EXPECT_EQ(id->miscselect, 0u);
  EXPECT_EQ(id->miscselect_mask, 0xffffffffu);
  EXPECT_EQ(crypto::EncodeHex(id->attributes), "11000000000000000000000000000000");
  EXPECT_EQ(crypto::EncodeHex(id->attributes_mask), "fbffffffffffffff0000000000000000");
  EXPECT_EQ(crypto::EncodeHex(id->mrsigner),
            "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5");
  EXPECT_EQ(id->isvprodid, 2);
  ASSERT_EQ(id->levels.size(), 1u);
  EXPECT_EQ(id->levels[0].isvsvn, 4);
  EXPECT_EQ(id->levels[0].status, "UpToDate");
  Result<QeIdentity> v5 = ParseQeIdentity(LoadCollateral(kV5Collateral).qe_identity);
  ASSERT_TRUE(v5.ok()) << v5.error();
  EXPECT_EQ(v5->tcb_evaluation_data_number, 18);
  Result<QeIdentity> wrapped =
      ParseQeIdentity("{\"enclaveIdentity\":" + V4QeText() + ",\"signature\":\"00\"}");
  ASSERT_TRUE(wrapped.ok()) << wrapped.error();
  EXPECT_EQ(wrapped->mrsigner, id->mrsigner);
}

TEST(QeIdentity, ErrorsNameThePath) {
  const std::string q = V4QeText();
  struct Case {
    std::string from, to, error;
  };
  const Case cases[] = {
      {"\"version\":2", "\"version\":1", "enclaveIdentity.version is 1; expected 2"},
      {"\"miscselect\":\"00000000\"", "\"miscselect\":\"0000\"",
       "enclaveIdentity.miscselect is 2 bytes; expected 4"},
      {"\"mrsigner\":\"DC9E", "\"mrsigner\":\"ZZ9E",
       "enclaveIdentity.mrsigner: "},  // prefix: the hex error follows
      {"\"isvprodid\":2", "\"isvprodid\":70000",
       "enclaveIdentity.isvprodid is 70000, outside "
       "0..65535"},
      {"\"isvprodid\":2", "\"isvprodid\":true", "enclaveIdentity.isvprodid is not an integer"},
      {"{\"isvsvn\":4}", "{\"isvsvn\":-4}",
       "enclaveIdentity.tcbLevels[0].tcb.isvsvn is -4, outside 0..65535"},
      {"\"tcb\":{", "\"tcb\":5,\"x\":{", "enclaveIdentity.tcbLevels[0].tcb is not an object"},
      {"\"tcbStatus\":\"UpToDate\"", "\"tcbStatus\":\"uptodate\"",
       "enclaveIdentity.tcbLevels[0].tcbStatus: unknown TCB status 'uptodate'"},
      {"\"tcbLevels\":[", "\"tcbLevels\":[7,", "enclaveIdentity.tcbLevels[0] is not an object"},
      {"\"tcbLevels\":", "\"tcbLevelz\":", "enclaveIdentity.tcbLevels is missing"},
  };
  for (const Case& c : cases) {
    ASSERT_NE(q.find(c.from), std::string::npos) << c.from;
    Result<QeIdentity> r = ParseQeIdentity(Replaced(q, c.from, c.to));
    ASSERT_FALSE(r.ok()) << c.to;
    EXPECT_EQ(r.error().rfind(c.error, 0), 0u) << r.error();
  }
  EXPECT_EQ(ParseQeIdentity("{\"enclaveIdentity\":5}").error(), "enclaveIdentity is not an object");
  for (size_t n = 0; n < q.size(); ++n) EXPECT_FALSE(ParseQeIdentity(q.substr(0, n)).ok()) << n;
}

}  // namespace
}  // namespace teeharness::attestation
