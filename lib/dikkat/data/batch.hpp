// Batching: sequences of different lengths become one rectangular (B, T) array of ids, the
// short ones filled with <pad>, plus a mask that keeps the real positions (1) and hides the
// padding (0) — the one mask convention, see ops/mask.hpp.
//
//   sequences  [5 9 2] [7 2] [4 8 6 2]        ids   5 9 2 0      keep  1 1 1 0
//                                      --->        7 2 0 0            1 1 0 0
//                                                  4 8 6 2            1 1 1 1
//
// And the order of examples: shuffled afresh every epoch, from a seed (same seed, same order).
// Or bucketed by length (Batcher::bucketed), so that a batch holds sentences of about the
// same length and little of it is padding:
//
//   random     [ 4 31 12 38]  T = 38, 67 of 152 slots are padding
//   bucketed   [12 12 13 13]  T = 13,  2 of  52 slots are padding
//
// B batch, T time (the longest sequence in the batch)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
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

    /// A batcher that puts examples of about the same length together. `lengths[i]` is
    /// example i's length (for a translation pair, source and target together:
    /// ParallelCorpus::pair_lengths). Every epoch:
    ///
    ///  1. shuffle all examples;
    ///  2. cut them into pools of `pool_batches` × batch_size examples (a remainder smaller
    ///     than half a pool joins the last full one) and sort each pool by length (a stable
    ///     sort, so equal lengths stay in their random order);
    ///  3. cut each pool into batches of batch_size;
    ///  4. shuffle the order of all the batches.
    ///
    /// So each batch is nearly uniform in length, but which batches come when is random:
    /// short and long batches are interleaved, not a curriculum from short to long.
    /// `pool_batches = 0` sorts the whole epoch as one pool.
    ///
    /// The trade-off: a batch is no longer a random sample of the data. Its examples share
    /// a length, so its gradient is a little more biased than a random batch's (and the
    /// loss curve per step is noisier: a batch of 40-word sentences is harder than one of
    /// 5-word sentences). Smaller pools keep more randomness in which examples meet; larger
    /// pools pad less. Pools of 50 batches keep the padding within a few percent on the
    /// translation corpus (tests/tokenizers/test_bucketing.cpp measures it), which is about
    /// half of every step saved compared with random batches.
    ///
    /// Throws ValueError if batch_size is 0.
    static Batcher bucketed(const std::vector<std::size_t>& lengths, std::size_t batch_size,
                            std::uint64_t seed, std::size_t pool_batches = 50, bool drop_last = false);

    /// The next epoch's batches of example indices.
    std::vector<std::vector<std::size_t>> epoch();
    std::size_t batches_per_epoch() const;
    std::size_t epochs_done() const { return epochs_done_; }

    /// What decides the epochs still to come — the epochs done and the shuffling generator's
    /// state — as text, for a run that stops and resumes (io/resume.hpp).
    std::string state() const;
    /// Continues from a state() text. Throws ValueError (and changes nothing) if it is not one.
    void set_state(const std::string& text);

  private:
    std::vector<std::vector<std::size_t>> bucketed_epoch();

    std::size_t n_, batch_size_;
    bool shuffle_, drop_last_;
    Rng rng_;
    std::size_t epochs_done_ = 0;
    std::vector<std::size_t> lengths_;  // empty unless bucketed
    std::size_t pool_batches_ = 0;
};

/// The share of a batch's slots that are padding, over a whole epoch: sum over batches of
/// (B × T − real tokens), divided by the sum of B × T, where T is the batch's longest
/// length. 0 when every batch is uniform in length; 0 for an empty epoch. Throws
/// ValueError for an index outside `lengths`.
double padding_fraction(const std::vector<std::vector<std::size_t>>& batches,
                        const std::vector<std::size_t>& lengths);

}  // namespace dikkat::data
