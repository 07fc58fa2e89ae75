#include <dikkat/eval/bigram.hpp>

#include <cmath>
#include <string>

#include <dikkat/error.hpp>

namespace dikkat::eval {

namespace {

void check_ids(const std::vector<Index>& ids, std::size_t vocab_size, const char* which) {
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (ids[i] < 0 || static_cast<std::size_t>(ids[i]) >= vocab_size)
            throw ValueError(std::string("bigram_nats_per_token: ") + which + " token " + std::to_string(i) +
                             " is id " + std::to_string(ids[i]) + ", outside the vocabulary of " +
                             std::to_string(vocab_size));
}

}  // namespace

double bigram_nats_per_token(const std::vector<Index>& train, const std::vector<Index>& valid,
                             std::size_t vocab_size, double k) {
    if (!(k > 0.0)) throw ValueError("bigram_nats_per_token: k must be positive, got " + std::to_string(k));
    if (valid.size() < 2)
        throw ValueError("bigram_nats_per_token: the validation text needs at least two tokens, has " +
                         std::to_string(valid.size()));
    check_ids(train, vocab_size, "training");
    check_ids(valid, vocab_size, "validation");
    const std::size_t V = vocab_size;
    std::vector<double> counts(V * V, k), totals(V, k * static_cast<double>(V));
    for (std::size_t i = 0; i + 1 < train.size(); ++i) {
        counts[static_cast<std::size_t>(train[i]) * V + static_cast<std::size_t>(train[i + 1])] += 1.0;
        totals[static_cast<std::size_t>(train[i])] += 1.0;
    }
    double nats = 0.0;
    for (std::size_t i = 0; i + 1 < valid.size(); ++i) {
        const auto a = static_cast<std::size_t>(valid[i]), b = static_cast<std::size_t>(valid[i + 1]);
        nats -= std::log(counts[a * V + b] / totals[a]);
    }
    return nats / static_cast<double>(valid.size() - 1);
}

}  // namespace dikkat::eval
