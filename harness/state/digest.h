// Digest: a 128-bit XXH3 hash over a canonical byte encoding. XXH3 is not
// cryptographic; Rehearse compares states it built itself, so collision
// resistance against an adversary is not needed, and XXH3 runs an order of
// magnitude faster than SHA-256 over streamed COPY data.
#ifndef REHEARSE_STATE_DIGEST_H_
#define REHEARSE_STATE_DIGEST_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace rehearse {

struct Digest {
  uint64_t high = 0;
  uint64_t low = 0;

  std::string ToHex() const;  // 32 lowercase hex digits
  // Adds `o` modulo 2^128. Summing per-row digests gives a table digest that
  // does not depend on the order rows are read in, so a table can be read in
  // parallel chunks (a multiset hash).
  void Add(const Digest& o) {
    low += o.low;
    high += o.high + (low < o.low ? 1 : 0);
  }
  bool operator==(const Digest& o) const { return high == o.high && low == o.low; }
  bool operator!=(const Digest& o) const { return !(*this == o); }
};

// One-shot digest of `bytes`.
Digest HashBytes(std::string_view bytes);

// Streaming hasher. Feed bytes with Update, read with Finish (which leaves the
// builder usable for more input).
class DigestBuilder {
 public:
  DigestBuilder();
  ~DigestBuilder();
  DigestBuilder(const DigestBuilder&) = delete;
  DigestBuilder& operator=(const DigestBuilder&) = delete;

  void Update(std::string_view bytes);
  // Length-prefixed, so ("ab","c") and ("a","bc") hash differently.
  void UpdateField(std::string_view bytes);
  Digest Finish() const;

 private:
  void* state_;  // XXH3_state_t, kept opaque so xxhash.h stays out of headers
};

}  // namespace rehearse

#endif  // REHEARSE_STATE_DIGEST_H_
