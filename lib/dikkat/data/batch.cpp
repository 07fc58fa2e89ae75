#include <dikkat/data/batch.hpp>

#include <algorithm>
#include <numeric>
#include <string>

#include <dikkat/error.hpp>

namespace dikkat::data {

namespace {

// Appends order[from, to) to `batches` in slices of batch_size; a shorter last slice is
// kept unless drop_last.
void cut_into_batches(const std::vector<std::size_t>& order, std::size_t from, std::size_t to,
                      std::size_t batch_size, bool drop_last,
                      std::vector<std::vector<std::size_t>>& batches) {
    for (std::size_t start = from; start < to; start += batch_size) {
        const std::size_t end = std::min(to, start + batch_size);
        if (drop_last && end - start < batch_size) break;
        batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(start),
                             order.begin() + static_cast<std::ptrdiff_t>(end));
    }
}

}  // namespace

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

Batcher Batcher::bucketed(const std::vector<std::size_t>& lengths, std::size_t batch_size, std::uint64_t seed,
                          std::size_t pool_batches, bool drop_last) {
    Batcher batcher(lengths.size(), batch_size, seed, /*shuffle=*/true, drop_last);
    batcher.lengths_ = lengths;
    batcher.pool_batches_ = pool_batches;
    return batcher;
}

// "<epochs done> <the generator's state>"
std::string Batcher::state() const { return std::to_string(epochs_done_) + " " + rng_.state(); }

void Batcher::set_state(const std::string& text) {
    const std::size_t space = text.find(' ');
    const std::string count = text.substr(0, space);
    if (space == std::string::npos || count.empty() || count.size() > 18 ||
        count.find_first_not_of("0123456789") != std::string::npos)
        throw ValueError("Batcher::set_state: expected \"<epochs done> <generator state>\", got \"" +
                         text.substr(0, 40) + "\"");
    Rng rng = rng_;
    rng.set_state(text.substr(space + 1));
    epochs_done_ = static_cast<std::size_t>(std::stoull(count));
    rng_ = rng;
}

std::vector<std::vector<std::size_t>> Batcher::epoch() {
    if (!lengths_.empty()) return bucketed_epoch();
    std::vector<std::size_t> order(n_);
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (shuffle_) order = shuffled_indices(n_, rng_);
    std::vector<std::vector<std::size_t>> batches;
    cut_into_batches(order, 0, n_, batch_size_, drop_last_, batches);
    ++epochs_done_;
    return batches;
}

// Shuffle, sort by length within pools, cut into batches, shuffle the batches (see batch.hpp).
std::vector<std::vector<std::size_t>> Batcher::bucketed_epoch() {
    std::vector<std::size_t> order = shuffled_indices(n_, rng_);
    const std::size_t pool = pool_batches_ == 0 ? n_ : pool_batches_ * batch_size_;
    std::vector<std::vector<std::size_t>> batches;
    for (std::size_t from = 0, to = 0; from < n_; from = to) {
        to = std::min(n_, from + pool);
        if (n_ - to < pool / 2) to = n_;  // a last pool too small to sort well joins this one
        // stable: examples of equal length keep their shuffled order (random tie-breaking)
        std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(from),
                         order.begin() + static_cast<std::ptrdiff_t>(to),
                         [&](std::size_t a, std::size_t b) { return lengths_[a] < lengths_[b]; });
        // every pool but the last holds whole batches, so an epoch has at most one short batch
        cut_into_batches(order, from, to, batch_size_, drop_last_, batches);
    }
    rng_.shuffle(batches);
    ++epochs_done_;
    return batches;
}

double padding_fraction(const std::vector<std::vector<std::size_t>>& batches,
                        const std::vector<std::size_t>& lengths) {
    std::size_t slots = 0, real = 0;
    for (const auto& batch : batches) {
        std::size_t T = 0;
        for (std::size_t i : batch) {
            if (i >= lengths.size())
                throw ValueError("padding_fraction: example index " + std::to_string(i) +
                                 " is outside lengths (size " + std::to_string(lengths.size()) + ")");
            T = std::max(T, lengths[i]);
            real += lengths[i];
        }
        slots += batch.size() * T;
    }
    return slots == 0 ? 0.0 : static_cast<double>(slots - real) / static_cast<double>(slots);
}

}  // namespace dikkat::data
