// A bridge between two legs that share no codec: decode the payload of one,
// resample, encode 20 ms frames of the other (DESIGN.md §5).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "media/codec/codec.hpp"
#include "media/codec/resampler.hpp"

namespace switchboard::media {

class Transcoder {
 public:
  /// `from` decodes what arrives, `to` encodes what leaves.
  static Result<Transcoder> create(std::unique_ptr<Codec> from, std::unique_ptr<Codec> to);
  /// The same by encoding name (see make_codec()).
  static Result<Transcoder> create(std::string_view from, std::string_view to);

  const CodecInfo& from() const { return from_->info(); }
  const CodecInfo& to() const { return to_->info(); }

  /// One received payload in; every complete 20 ms frame of `to` it
  /// completes is appended to `out` as one payload (0, 1 or more: a 30 ms
  /// packet yields one frame now and leaves 10 ms for the next).
  Status transcode(std::span<const std::uint8_t> payload,
                   std::vector<std::vector<std::uint8_t>>& out);

  /// A lost packet of `from`: its concealment goes through the same chain.
  Status lost(std::vector<std::vector<std::uint8_t>>& out);

 private:
  Transcoder(std::unique_ptr<Codec> from, std::unique_ptr<Codec> to, Resampler resampler);
  Status push(std::span<const std::int16_t> pcm, std::vector<std::vector<std::uint8_t>>& out);

  std::unique_ptr<Codec> from_;
  std::unique_ptr<Codec> to_;
  Resampler resampler_;
  std::vector<std::int16_t> decoded_;    // kMaxDecodedSamples at from's rate
  std::vector<std::int16_t> resampled_;  // the same at to's rate
  std::vector<std::int16_t> pending_;    // PCM at to's rate not yet a full frame
};

}  // namespace switchboard::media
