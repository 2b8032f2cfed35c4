#include "scenarios/workloads/time_zone_rules.h"

#include <algorithm>

#include "fixtures/fixture_time.h"
#include "harness/common/input_file.h"

namespace rehearse {

namespace {

// A TZif file is a few kilobytes; anything far larger is not one.
constexpr uint64_t kMaxZoneFileBytes = 1 << 20;

bool SafeZoneName(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '+' || c == '-' || c == '/';
  });
}

// Big-endian reads over the file's bytes, bounds-checked by the caller.
int64_t ReadBigEndian(const std::string& bytes, size_t pos, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[pos + i]);
  if (width == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

struct Counts {
  int64_t isut, isstd, leap, time, type, chars;
};

// Reads one header at `pos`; false when it is not a TZif header.
bool ReadHeader(const std::string& bytes, size_t pos, Counts* c) {
  if (bytes.size() < pos + 44 || bytes.compare(pos, 4, "TZif") != 0) return false;
  c->isut = ReadBigEndian(bytes, pos + 20, 4);
  c->isstd = ReadBigEndian(bytes, pos + 24, 4);
  c->leap = ReadBigEndian(bytes, pos + 28, 4);
  c->time = ReadBigEndian(bytes, pos + 32, 4);
  c->type = ReadBigEndian(bytes, pos + 36, 4);
  c->chars = ReadBigEndian(bytes, pos + 40, 4);
  return c->isut >= 0 && c->isstd >= 0 && c->leap >= 0 && c->time >= 0 && c->type > 0 &&
         c->chars >= 0;
}

int64_t BlockSize(const Counts& c, int64_t time_width) {
  return c.time * time_width + c.time + c.type * 6 + c.chars + c.leap * (time_width + 4) + c.isstd +
         c.isut;
}

}  // namespace

TimeZoneRules TimeZoneRules::Utc() { return TimeZoneRules(); }

Status TimeZoneRules::Load(const std::string& name, TimeZoneRules* out,
                           const std::string& zoneinfo_dir) {
  if (!SafeZoneName(name)) return Status::NotFound("not a time zone name: '" + name + "'");
  const std::string path = zoneinfo_dir + "/" + name;
  std::string bytes;
  if (!ReadInputFile(path, &bytes, kMaxZoneFileBytes).ok())
    return Status::NotFound("no time zone file " + path);

  Counts c;
  if (!ReadHeader(bytes, 0, &c)) return Status::Corruption(path + ": not a TZif file");
  size_t pos = 44;
  int64_t width = 4;
  // Version 2 and later repeat the data with 64-bit times after the first
  // block; those are the ones to read.
  if (bytes[4] >= '2') {
    pos += static_cast<size_t>(BlockSize(c, 4));
    if (!ReadHeader(bytes, pos, &c)) return Status::Corruption(path + ": bad second header");
    pos += 44;
    width = 8;
  }
  if (bytes.size() < pos + static_cast<size_t>(BlockSize(c, width))) {
    return Status::Corruption(path + ": truncated");
  }
  TimeZoneRules rules;
  rules.name_ = name;
  const size_t times = pos;
  const size_t indexes = times + static_cast<size_t>(c.time * width);
  const size_t types = indexes + static_cast<size_t>(c.time);
  auto type_offset = [&](int64_t type) {
    return static_cast<int32_t>(ReadBigEndian(bytes, types + static_cast<size_t>(type) * 6, 4));
  };
  for (int64_t i = 0; i < c.time; ++i) {
    const int64_t type = static_cast<unsigned char>(bytes[indexes + static_cast<size_t>(i)]);
    if (type >= c.type) return Status::Corruption(path + ": bad local time type index");
    rules.transitions_.push_back(
        ReadBigEndian(bytes, times + static_cast<size_t>(i * width), static_cast<size_t>(width)));
    rules.offsets_.push_back(type_offset(type));
  }
  rules.initial_offset_ = type_offset(0);
  *out = std::move(rules);
  return Status::OK();
}

int64_t TimeZoneRules::OffsetSecondsAt(int64_t utc_micros) const {
  const int64_t seconds =
      utc_micros >= 0 ? utc_micros / kMicrosPerSecond : -((-utc_micros + 999999) / 1000000);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), seconds);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_[static_cast<size_t>(it - transitions_.begin() - 1)];
}

int64_t TimeZoneRules::ToLocal(int64_t utc_micros) const {
  return utc_micros + OffsetSecondsAt(utc_micros) * kMicrosPerSecond;
}

int64_t TimeZoneRules::ToUtc(int64_t local_micros) const {
  // The offset can only be one of the two in force around the reading: try
  // the earlier one first, so a repeated hour gives the earlier instant.
  const int64_t day_before = local_micros - kMicrosPerDay;
  const int64_t early = OffsetSecondsAt(day_before) * kMicrosPerSecond;
  const int64_t late = OffsetSecondsAt(local_micros + kMicrosPerDay) * kMicrosPerSecond;
  for (int64_t offset : {early, late}) {
    const int64_t utc = local_micros - offset;
    if (ToLocal(utc) == local_micros) return utc;
  }
  // In a gap: no instant shows this reading. Use the offset before the gap.
  return local_micros - early;
}

}  // namespace rehearse
