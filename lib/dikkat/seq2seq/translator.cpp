#include <dikkat/seq2seq/translator.hpp>

#include <string>

#include <dikkat/data/batch.hpp>

namespace dikkat::seq2seq {

Batch make_batch(const std::vector<std::vector<Index>>& sources,
                 const std::vector<std::vector<Index>>& targets) {
    if (sources.empty()) throw ValueError("make_batch: the batch is empty (no sentence pairs)");
    if (sources.size() != targets.size())
        throw ValueError("make_batch: " + std::to_string(sources.size()) + " sources but " +
                         std::to_string(targets.size()) + " targets");
    std::vector<std::vector<Index>> in, out;  // the target without its last / first id
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const auto& t = targets[i];
        if (t.size() < 2)
            throw ValueError("make_batch: target " + std::to_string(i) + " has " + std::to_string(t.size()) +
                             " ids; it needs at least <bos> and <eos>");
        in.emplace_back(t.begin(), t.end() - 1);
        out.emplace_back(t.begin() + 1, t.end());
    }
    data::Batch src = data::pad_batch(sources);  // (B, S)
    return {std::move(src.ids), std::move(src.keep), data::pad_batch(in).ids, data::pad_batch(out).ids};
}

std::vector<std::vector<Array>> Translator::source_attention(const Batch& batch) const {
    NoGrad no_grad;
    Array weights;  // (B, T, S), or left empty by a model without attention
    forward(batch, &weights);
    if (weights.dimension() != 3) return {};
    return {{weights}};
}

}  // namespace dikkat::seq2seq
