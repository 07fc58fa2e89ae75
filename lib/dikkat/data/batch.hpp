// Batching: sequences of different lengths become one rectangular (B, T) array of ids, the
// short ones filled with <pad>, plus a mask that keeps the real positions (1) and hides the
// padding (0) — the one mask convention, see ops/mask.hpp.
//
//   sequences  [5 9 2] [7 2] [4 8 6 2]        ids   5 9 2 0      keep  1 1 1 0
//                                      --->        7 2 0 0            1 1 0 0
//                                                  4 8 6 2            1 1 1 1
//
// And the order of examples: shuffled afresh every epoch, from a seed (same seed, same order).
// B batch, T time (the longest sequence in the batch)
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <dikkat/data/vocab.hpp>
#include <dikkat/ops/mask.hpp>
#include <dikkat/random.hpp>

namespace dikkat::data {

struct Batch {
    IndexArray ids;                    ///< (B, T) token ids, padded with pad_id
    Array keep;                        ///< (B, T) 1 at a real token, 0 at padding (padding_mask)
    std::vector<std::size_t> lengths;  ///< (B) real length of each sequence
};

/// Pads every sequence to the longest one's length T. Throws ValueError on an empty batch.
Batch pad_batch(const std::vector<std::vector<Index>>& sequences, Index pad_id = Vocab::pad_id);

/// 0, 1, ..., n-1 in an order drawn from `rng` (Fisher–Yates).
std::vector<std::size_t> shuffled_indices(std::size_t n, Rng& rng);

/// The items at `indices`, in that order: `pad_batch(gather(train_ids, batch_indices))`.
template <class T>
std::vector<T> gather(const std::vector<T>& items, const std::vector<std::size_t>& indices) {
    std::vector<T> out;
    out.reserve(indices.size());
    for (std::size_t i : indices) out.push_back(items.at(i));
    return out;
}

/// Splits n examples into batches of indices, reshuffled every epoch:
///
///     data::Batcher batcher(train.size(), /*batch_size=*/32, /*seed=*/opts.seed);
///     for (int epoch = 0; epoch < epochs; ++epoch)
///         for (const auto& indices : batcher.epoch()) {
///             data::Batch batch = data::pad_batch(data::gather(train_ids, indices));
///             ...
///         }
///
/// Epoch k's order depends only on the seed and k. The last batch may be smaller than
/// batch_size unless drop_last is set.
class Batcher {
  public:
    Batcher(std::size_t n, std::size_t batch_size, std::uint64_t seed, bool shuffle = true,
            bool drop_last = false);
    /// The next epoch's batches of example indices.
    std::vector<std::vector<std::size_t>> epoch();
    std::size_t batches_per_epoch() const;
    std::size_t epochs_done() const { return epochs_done_; }

  private:
    std::size_t n_, batch_size_;
    bool shuffle_, drop_last_;
    Rng rng_;
    std::size_t epochs_done_ = 0;
};

}  // namespace dikkat::data
