#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace synthgate::watermark {

// The constraint-length-7, rate-1/3 convolutional code (generators 133, 171, 165 octal, as
// in LTE). Chosen over block codes because its Viterbi decoder uses soft values directly,
// which is worth about 2 dB on a channel where every chip is a noisy correlation.
inline constexpr int kConstraintLength = 7;
inline constexpr int kCodeRate = 3;

// Encodes bits (each 0 or 1), appending K-1 zero bits so that the trellis ends in state 0.
// Returns kCodeRate * (bits.size() + K - 1) coded bits.
std::vector<std::uint8_t> convolutional_encode(std::span<const std::uint8_t> bits);

// Maximum-likelihood decoding of `soft` (positive means 1, magnitude is confidence), which
// must hold kCodeRate * (message_bits + K - 1) values. Returns message_bits bits (all zero when
// `soft` has the wrong length). The list decoder below with a list of one.
std::vector<std::uint8_t> viterbi_decode(std::span<const float> soft, std::size_t message_bits);

// The `list_size` most likely messages, best first (parallel list Viterbi: every state keeps
// its `list_size` best paths). With a check over the message, trying each in turn recovers
// reads whose best path is wrong in a few bits: about 1 dB at a list of 16, for a false-accept
// chance `list_size` times that of one decode.
std::vector<std::vector<std::uint8_t>> list_viterbi_decode(std::span<const float> soft,
                                                           std::size_t message_bits,
                                                           std::size_t list_size);

}  // namespace synthgate::watermark
