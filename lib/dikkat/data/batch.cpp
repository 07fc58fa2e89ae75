#include <dikkat/data/batch.hpp>

#include <algorithm>
#include <numeric>

namespace dikkat::data {

Batch pad_batch(const std::vector<std::vector<Index>>& sequences, Index pad_id) {
    if (sequences.empty()) throw ValueError("pad_batch: the batch is empty (no sequences)");
    const std::size_t B = sequences.size();
    std::size_t T = 0;
    for (const auto& s : sequences) T = std::max(T, s.size());

    Batch batch;
    batch.ids = IndexArray::from_shape({B, T});  // (B, T)
    batch.ids.fill(pad_id);
    batch.lengths.resize(B);
    for (std::size_t b = 0; b < B; ++b) {
        const auto& s = sequences[b];
        for (std::size_t t = 0; t < s.size(); ++t) batch.ids(b, t) = s[t];
        batch.lengths[b] = s.size();
    }
    batch.keep = padding_mask(batch.lengths, T);  // (B, T)
    return batch;
}

std::vector<std::size_t> shuffled_indices(std::size_t n, Rng& rng) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    rng.shuffle(order);
    return order;
}

Batcher::Batcher(std::size_t n, std::size_t batch_size, std::uint64_t seed, bool shuffle, bool drop_last)
    : n_(n), batch_size_(batch_size), shuffle_(shuffle), drop_last_(drop_last), rng_(seed) {
    if (batch_size == 0) throw ValueError("Batcher: batch_size must be at least 1");
}

std::size_t Batcher::batches_per_epoch() const {
    return drop_last_ ? n_ / batch_size_ : (n_ + batch_size_ - 1) / batch_size_;
}

std::vector<std::vector<std::size_t>> Batcher::epoch() {
    std::vector<std::size_t> order(n_);
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (shuffle_) order = shuffled_indices(n_, rng_);
    std::vector<std::vector<std::size_t>> batches;
    for (std::size_t start = 0; start < n_; start += batch_size_) {
        const std::size_t end = std::min(n_, start + batch_size_);
        if (drop_last_ && end - start < batch_size_) break;
        batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(start),
                             order.begin() + static_cast<std::ptrdiff_t>(end));
    }
    ++epochs_done_;
    return batches;
}

}  // namespace dikkat::data
