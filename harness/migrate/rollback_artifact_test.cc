// RollbackArtifact on disk: a round trip keeps every field; anything
// truncated, edited or bound elsewhere is refused with a clear message.
#include "harness/migrate/rollback_artifact.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/common/replacement_file.h"
#include "harness/migrate/migration_test_util.h"

namespace rehearse {
namespace {

RollbackArtifact Sample() {
  RollbackArtifact a;
  a.version = "0003";
  a.migration_name = "default_sequences";
  a.database_identity = "db-0123";
  a.dialect = "sqlite";
  a.scope = "client-7";
  a.created_at = "2026-03-08 12:00:00+00";
  a.payload = {{"steps", {{{"id", 1}, {"body", "Hi {{first_name}} — é"}, {"delay", 0.1}}}},
               {"big", 9007199254740993ULL}};
  return a;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class RollbackArtifactTest : public ::testing::Test {
 protected:
  std::string Written() {
    std::string path = dir_ / "a.json";
    Status s = Sample().WriteFile(path);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return path;
  }
  ScratchFolder dir_;
};

TEST_F(RollbackArtifactTest, RoundTripKeepsEnvelopeAndPayload) {
  std::string path = Written();
  RollbackArtifact back;
  Status s = RollbackArtifact::ReadFile(path, &back);
  ASSERT_TRUE(s.ok()) << s.ToString();
  RollbackArtifact want = Sample();
  EXPECT_EQ(back.version, want.version);
  EXPECT_EQ(back.migration_name, want.migration_name);
  EXPECT_EQ(back.database_identity, want.database_identity);
  EXPECT_EQ(back.dialect, want.dialect);
  EXPECT_EQ(back.scope, want.scope);
  EXPECT_EQ(back.created_at, want.created_at);
  EXPECT_EQ(back.payload, want.payload);
  EXPECT_TRUE(back.CheckBinding(want.binding()).ok());
}

TEST_F(RollbackArtifactTest, WriteLeavesNoTemporaryFileAndIsPrivate) {
  Written();
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path()))
    names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"a.json"});
  auto perms = std::filesystem::status(dir_ / "a.json").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(RollbackArtifactTest, WriteNeverReplacesAnExistingFile) {
  std::string path = Written();
  const std::string first = ReadAll(path);
  RollbackArtifact other = Sample();
  other.scope = "another";
  Status s = other.WriteFile(path);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << s.ToString();
  EXPECT_EQ(s.file(), path);
  EXPECT_EQ(ReadAll(path), first);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) files += !e.is_directory();
  EXPECT_EQ(files, 1u) << "a temporary file was left behind";
}

TEST_F(RollbackArtifactTest, RewriteReplacesTheWholeFile) {
  std::string path = Written();
  ASSERT_TRUE(WriteFileAtomically(path, "short").ok());
  EXPECT_EQ(ReadAll(path), "short");
}

TEST_F(RollbackArtifactTest, WriteIntoMissingFolderIsIoErrorNamingThePath) {
  Status s = Sample().WriteFile(dir_ / "missing/a.json");
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_EQ(s.file(), dir_ / "missing/a.json");
}

TEST_F(RollbackArtifactTest, TruncatedArtifactIsCorruption) {
  std::string path = Written();
  std::string text = ReadAll(path);
  for (size_t keep : {size_t{0}, size_t{1}, text.size() / 2, text.size() - 3}) {
    ASSERT_TRUE(WriteFileAtomically(path, text.substr(0, keep)).ok());
    RollbackArtifact out;
    out.version = "untouched";
    Status s = RollbackArtifact::ReadFile(path, &out);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << keep << ": " << s.ToString();
    EXPECT_EQ(s.file(), path);
    EXPECT_NE(s.message().find("truncated"), std::string::npos) << s.ToString();
    EXPECT_EQ(out.version, "untouched");
  }
}

TEST_F(RollbackArtifactTest, EditedPayloadFailsTheChecksum) {
  std::string path = Written();
  std::string text = ReadAll(path);
  size_t at = text.find("first_name");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 10, "last_name_");
  ASSERT_TRUE(WriteFileAtomically(path, text).ok());
  RollbackArtifact out;
  Status s = RollbackArtifact::ReadFile(path, &out);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("checksum"), std::string::npos) << s.ToString();
}

TEST_F(RollbackArtifactTest, EditedIdentityFailsTheChecksumToo) {
  std::string path = Written();
  std::string text = ReadAll(path);
  size_t at = text.find("db-0123");
  text.replace(at, 7, "db-9999");
  ASSERT_TRUE(WriteFileAtomically(path, text).ok());
  RollbackArtifact out;
  EXPECT_EQ(RollbackArtifact::ReadFile(path, &out).code(), Status::Code::kCorruption);
}

TEST_F(RollbackArtifactTest, ReformattedButUnchangedArtifactStillVerifies) {
  // Whitespace is not content: a pretty-printer or an editor's reindent must
  // not make a good artifact unusable.
  std::string path = Written();
  nlohmann::json doc = nlohmann::json::parse(ReadAll(path));
  ASSERT_TRUE(WriteFileAtomically(path, doc.dump(7)).ok());
  RollbackArtifact out;
  Status s = RollbackArtifact::ReadFile(path, &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(RollbackArtifactTest, ExtraFieldIsRefused) {
  std::string path = Written();
  nlohmann::json doc = nlohmann::json::parse(ReadAll(path));
  doc["note"] = "added by hand";
  ASSERT_TRUE(WriteFileAtomically(path, doc.dump()).ok());
  RollbackArtifact out;
  EXPECT_EQ(RollbackArtifact::ReadFile(path, &out).code(), Status::Code::kCorruption);
}

TEST_F(RollbackArtifactTest, OtherFormatIsRefused) {
  std::string path = dir_ / "x.json";
  ASSERT_TRUE(WriteFileAtomically(path, R"({"format": "something/1"})").ok());
  RollbackArtifact out;
  EXPECT_EQ(RollbackArtifact::ReadFile(path, &out).code(), Status::Code::kCorruption);
}

TEST_F(RollbackArtifactTest, MissingFileIsBadInputNamingIt) {
  RollbackArtifact out;
  Status s = RollbackArtifact::ReadFile(dir_ / "none.json", &out);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.file(), dir_ / "none.json");
}

TEST_F(RollbackArtifactTest, ArtifactOfAnotherDatabaseScopeVersionOrDialectIsRefused) {
  RollbackArtifact a = Sample();
  RollbackArtifactBinding other = a.binding();
  other.database_identity = "db-other";
  Status s = a.CheckBinding(other);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("db-0123"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("db-other"), std::string::npos) << s.message();

  other = a.binding();
  other.scope = "";
  s = a.CheckBinding(other);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("whole database"), std::string::npos) << s.message();

  other = a.binding();
  other.version = "0004";
  EXPECT_EQ(a.CheckBinding(other).code(), Status::Code::kInvalidInput);
  other.version = "3";  // the same number
  EXPECT_TRUE(a.CheckBinding(other).ok());

  other = a.binding();
  other.dialect = "postgres";
  EXPECT_EQ(a.CheckBinding(other).code(), Status::Code::kInvalidInput);
}

TEST_F(RollbackArtifactTest, PayloadWithInvalidUtf8CannotBeSerialised) {
  RollbackArtifact a = Sample();
  a.payload["raw"] = std::string("\xff\xfe", 2);
  std::string out;
  EXPECT_EQ(a.Serialize(&out).code(), Status::Code::kInvalidInput);
  EXPECT_EQ(a.WriteFile(dir_ / "bad.json").code(), Status::Code::kInvalidInput);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "bad.json"));
}

}  // namespace
}  // namespace rehearse
