#include <dikkat/lm/generate.hpp>

#include <algorithm>
#include <cmath>

#include <dikkat/nn/sample.hpp>
#include <dikkat/ops/topk.hpp>

// T positions, V vocabulary
namespace dikkat::lm {

namespace {
// (1, T) from a vector of ids.
IndexArray one_row(const std::vector<Index>& ids) {
    IndexArray x(IndexArray::shape_type{1, ids.size()});
    std::copy(ids.begin(), ids.end(), x.begin());
    return x;
}

// Row `t` of the model's scores for the single sequence `ids`, with every special token but
// <eos> hidden: (V).
Array scores_at(const TransformerLM& model, const std::vector<Index>& ids, std::size_t t) {
    const Tensor logits = model.forward(one_row(ids));  // (1, T, V)
    Array row = xt::view(logits.value(), 0, t, xt::all());
    for (Index id = 0; id <= data::Vocab::mask_id; ++id)
        if (id != data::Vocab::eos_id) row(static_cast<std::size_t>(id)) = -1e9f;
    return row;
}
}  // namespace

std::vector<Index> continue_text(const TransformerLM& model, std::vector<Index> prompt, std::size_t words,
                                 const Sampling& sampling, Rng& rng) {
    if (prompt.empty()) throw ValueError("continue_text: the prompt has no words");
    for (Index id : prompt)
        if (id < 0 || static_cast<std::size_t>(id) >= model.config().vocab)
            throw ValueError("continue_text: id " + std::to_string(id) +
                             " in the prompt is outside the vocabulary [0, " +
                             std::to_string(model.config().vocab) + ")");
    NoGrad no_grad;
    const bool gpt = model.config().objective == Objective::gpt;
    const std::size_t context = model.config().context;
    for (std::size_t i = 0; i < words; ++i) {
        // GPT: the scores after the last word. BERT: a <mask> appended, and its scores.
        std::vector<Index> window(
            prompt.end() - static_cast<std::ptrdiff_t>(std::min(prompt.size(), context - (gpt ? 0 : 1))),
            prompt.end());
        if (!gpt) window.push_back(data::Vocab::mask_id);
        const Index next = nn::sample_token(scores_at(model, window, window.size() - 1), sampling.temperature,
                                            rng, sampling.top_k);
        prompt.push_back(next);
        if (next == data::Vocab::eos_id) break;
    }
    return prompt;
}

std::vector<std::vector<Candidate>> fill_masks(const TransformerLM& model, const std::vector<Index>& ids,
                                               std::size_t k) {
    if (ids.size() > model.config().context)
        throw ValueError("fill_masks: " + std::to_string(ids.size()) + " words; the model reads at most " +
                         std::to_string(model.config().context));
    const bool gpt = model.config().objective == Objective::gpt;
    std::vector<std::size_t> gaps;
    for (std::size_t t = 0; t < ids.size(); ++t)
        if (ids[t] == data::Vocab::mask_id) gaps.push_back(t);
    if (gaps.empty()) throw ValueError("fill_masks: the text has no <mask> to fill in");
    if (gpt && gaps.front() == 0)
        throw ValueError(
            "fill_masks: GPT predicts a word from the words before it, and the gap is the first word");
    NoGrad no_grad;
    const Tensor logits = model.forward(one_row(ids));  // (1, T, V)
    std::vector<std::vector<Candidate>> out;
    for (std::size_t t : gaps) {
        Array row =
            xt::view(logits.value(), 0, gpt ? t - 1 : t, xt::all());  // GPT: the scores for the next word
        for (Index id = 0; id <= data::Vocab::mask_id; ++id) row(static_cast<std::size_t>(id)) = -1e9f;
        const float top = xt::amax(row)();
        const Array p = xt::exp(row - top) / xt::sum(xt::exp(row - top))();                 // softmax
        const TopK best = topk(p, std::min(k, p.size() - data::Vocab::specials().size()));  // words only
        std::vector<Candidate> gap;
        for (std::size_t i = 0; i < best.indices.size(); ++i)
            gap.push_back({best.indices(i), double(best.values(i))});
        out.push_back(gap);
    }
    return out;
}

}  // namespace dikkat::lm
