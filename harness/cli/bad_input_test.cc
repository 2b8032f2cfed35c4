// The bad-input suite: one file per case in testdata/bad_input/*.case, each a
// command line of the built `rehearse`, the exit code it must give, a
// fragment its message must hold, and what it must leave alone. The format,
// one directive per line ('#' starts a comment):
//
//   args: fixture --out /dev/full      the command line, split on spaces
//                                      ("double quotes" keep a word whole)
//   exit: 2                            the exit code
//   message: is a device               a fragment the output holds
//   hidden: S3CRET                     a fragment it must not hold
//   env: NAME=value                    set for the command
//   setup: mkdir|mkfifo|write|sparse|symlink|copy|fullfs|tmpfs ARGS  (below)
//   unchanged: /dev/full               a path left as it was (kind, size, target)
//   absent: $SCRATCH/out.json          a path that must still not exist
//   boots: yes                         the command may start a server first
//
// $SCRATCH is the case's own empty folder, $ROOT the source tree, $TESTDATA
// this folder. Every case runs with TMPDIR=$SCRATCH/tmp (unless it sets
// TMPDIR) and asserts that no process it started is left (nothing whose
// command line or working directory is under $SCRATCH, the servers' data
// directories included), that no run directory is left, and — unless it
// `boots` — that no run directory was ever made: nothing booted.
//
// setup: mkdir P | mkfifo P | write P TEXT (\n for newlines) | sparse P BYTES
//        | symlink P TARGET | copy FROM TO (a folder, recursively) | fullfs P
//        (a 4 MiB tmpfs at P, filled) | tmpfs P MIB (an empty tmpfs of MIB
//        MiB); a case that mounts is skipped where mounting is not allowed.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/cli/command_run_test_util.h"
#include "harness/common/remove_tree.h"

namespace rehearse {
namespace {

namespace fs = std::filesystem;

const fs::path kTestdata = fs::path(REHEARSE_SOURCE_ROOT) / "harness/cli/testdata/bad_input";

struct Case {
  std::string name;
  std::vector<std::pair<std::string, std::string>> lines;  // directive, value
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kTestdata, ec)) {
    if (entry.path().extension() != ".case") continue;
    Case c;
    c.name = entry.path().stem().string();
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      c.lines.emplace_back(line.substr(0, colon), value);
    }
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(),
            [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string ShellQuote(const std::string& s) { return "'" + ReplaceAll(s, "'", "'\\''") + "'"; }

// Words split on spaces; "double quotes" keep spaces in one word.
std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, any = false;
  for (char c : s) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) words.push_back(word);
      word.clear();
      any = false;
    } else {
      word += c;
      any = true;
    }
  }
  if (any) words.push_back(word);
  return words;
}

// What is at a path, for "unchanged": kind, size, mode, link target.
std::string Describe(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return "absent";
  std::string d = std::to_string(st.st_mode) + " " + std::to_string(st.st_size) + " " +
                  std::to_string(st.st_rdev);
  if (S_ISLNK(st.st_mode)) d += " -> " + fs::read_symlink(path).string();
  return d;
}

// Everything under `dir` but the run directories' bases in `skip`: names,
// kinds and sizes.
std::string Listing(const fs::path& dir, const std::vector<fs::path>& skip) {
  std::string out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (std::find(skip.begin(), skip.end(), it->path()) != skip.end()) {
      it.disable_recursion_pending();
      continue;
    }
    out += it->path().string() + " " + Describe(it->path().string()) + "\n";
  }
  return out;
}

// Processes other than this one whose command line or working directory
// mentions `dir`.
std::vector<std::string> ProcessesUnder(const std::string& dir) {
  std::vector<std::string> found;
  DIR* proc = opendir("/proc");
  if (!proc) return found;
  while (dirent* e = readdir(proc)) {
    const std::string pid = e->d_name;
    if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(getpid()))
      continue;
    std::ifstream in("/proc/" + pid + "/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    std::error_code ec;
    const std::string cwd = fs::read_symlink("/proc/" + pid + "/cwd", ec).string();
    if (cmdline.find(dir) != std::string::npos || (!ec && cwd.rfind(dir, 0) == 0))
      found.push_back(pid + ": " + cmdline);
  }
  closedir(proc);
  return found;
}

class BadInputTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("rehearse-bad-input-" + std::to_string(getpid()) + "-" + GetParam().name);
    RemoveTree(scratch_);
    fs::create_directories(scratch_ / "tmp");
  }
  void TearDown() override {
    for (const std::string& m : mounts_) umount2(m.c_str(), MNT_DETACH);
    EXPECT_TRUE(RemoveTree(scratch_)) << scratch_;
  }

  std::string Expand(const std::string& s) const {
    std::string out = ReplaceAll(s, "$SCRATCH", scratch_.string());
    out = ReplaceAll(out, "$ROOT", REHEARSE_SOURCE_ROOT);
    return ReplaceAll(out, "$TESTDATA", kTestdata.string());
  }

  // False (with a skip message) when the machine does not allow it.
  bool Setup(const std::string& line) {
    std::vector<std::string> w = Words(Expand(line));
    if (w.size() < 2) return ADD_FAILURE() << "setup: " << line, false;
    const std::string& op = w[0];
    const std::string& p = w[1];
    fs::create_directories(fs::path(p).parent_path());
    if (op == "mkdir") {
      fs::create_directories(p);
    } else if (op == "mkfifo") {
      EXPECT_EQ(mkfifo(p.c_str(), 0600), 0) << p;
    } else if (op == "write") {
      // "write PATH TEXT": TEXT is the rest of the line, spaces and all.
      const std::string all = Expand(line);
      const size_t path_at = all.find(' ');
      const size_t text_at = all.find(' ', path_at + 1);
      const std::string text = text_at == std::string::npos ? "" : all.substr(text_at + 1);
      std::ofstream(p) << ReplaceAll(text, "\\n", "\n");
    } else if (op == "sparse" && w.size() == 3) {
      std::ofstream(p).close();
      fs::resize_file(p, std::stoull(w[2]));
    } else if (op == "symlink" && w.size() == 3) {
      fs::create_symlink(w[2], p);
    } else if (op == "copy" && w.size() == 3) {
      fs::create_directories(w[2]);
      fs::copy(p, w[2], fs::copy_options::recursive);
    } else if (op == "fullfs" || (op == "tmpfs" && w.size() == 3)) {
      fs::create_directories(p);
      const std::string size = "size=" + (op == "fullfs" ? "4" : w[2]) + "m,mode=0755";
      if (mount("tmpfs", p.c_str(), "tmpfs", 0, size.c_str()) != 0) return false;
      mounts_.push_back(p);
      if (op == "tmpfs") return true;
      std::ofstream fill(fs::path(p) / "fill", std::ios::binary);
      const std::string block(1 << 16, 'x');
      while (fill.write(block.data(), block.size())) {
      }
    } else {
      ADD_FAILURE() << "unknown setup: " << line;
    }
    return true;
  }

  fs::path scratch_;
  std::vector<std::string> mounts_;
};

TEST_P(BadInputTest, ExitsWithItsCodeAndTouchesNothing) {
  const Case& c = GetParam();
  std::string args, message, env = "TMPDIR=" + (scratch_ / "tmp").string();
  int exit_code = -1;
  bool boots = false;
  std::vector<std::string> hidden, unchanged, absent;
  std::vector<fs::path> bases = {scratch_ / "tmp"};  // TMPDIR: the run directory goes there
  for (const auto& [key, value] : c.lines) {
    if (key == "args") args = Expand(value);
    if (key == "exit") exit_code = std::stoi(value);
    if (key == "message") message = Expand(value);
    if (key == "hidden") hidden.push_back(value);
    if (key == "env") env += " " + ShellQuote(Expand(value));
    if (key == "env" && value.rfind("TMPDIR=", 0) == 0) bases.push_back(Expand(value.substr(7)));
    if (key == "unchanged") unchanged.push_back(Expand(value));
    if (key == "absent") absent.push_back(Expand(value));
    if (key == "boots") boots = value == "yes";
    if (key == "setup" && !Setup(value)) GTEST_SKIP() << "cannot set up: " << value;
  }
  ASSERT_FALSE(args.empty()) << c.name << ": no args";
  ASSERT_NE(exit_code, -1) << c.name << ": no exit";

  std::vector<std::string> before;
  for (const std::string& p : unchanged) before.push_back(Describe(p));
  const std::string listing = Listing(scratch_, bases);

  std::string command =
      "cd " + ShellQuote(scratch_.string()) + " && env " + env + " " + ShellQuote(REHEARSE_BINARY);
  for (const std::string& w : Words(args)) command += " " + ShellQuote(w);
  const CommandRun r = RunCommandLine(command + " </dev/null");

  EXPECT_EQ(r.exit_code, exit_code) << command << "\n" << r.output;
  EXPECT_NE(r.output.find(message), std::string::npos) << "expected '" << message << "' in:\n"
                                                       << r.output;
  for (const std::string& h : hidden)
    EXPECT_EQ(r.output.find(h), std::string::npos) << "'" << h << "' printed:\n" << r.output;
  for (size_t i = 0; i < unchanged.size(); ++i)
    EXPECT_EQ(Describe(unchanged[i]), before[i]) << unchanged[i] << " was changed";
  for (const std::string& p : absent) EXPECT_EQ(Describe(p), "absent") << p << " was written";
  EXPECT_EQ(Listing(scratch_, bases), listing) << "files were written next to the inputs";

  // No server or watchdog left; the watchdog may take a moment to clear up.
  std::vector<std::string> left;
  for (int i = 0; i < 300; ++i) {
    left = ProcessesUnder(scratch_.string());
    if (left.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(left.empty()) << "left running: " << testing::PrintToString(left);
  std::error_code ec;
  for (const fs::path& base : bases) {
    for (const auto& root : fs::directory_iterator(base, ec)) {
      if (root.path().filename().string().rfind("rehearse-", 0) != 0) continue;
      EXPECT_TRUE(boots) << "a run directory was made, so something booted: " << root.path();
      for (const auto& run : fs::directory_iterator(root.path(), ec))
        EXPECT_NE(run.path().filename().string().rfind("run-", 0), 0u) << "left: " << run.path();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInputTest, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace rehearse
