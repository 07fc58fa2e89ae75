#include "probes.hpp"

#include <cmath>

#include <dikkat/data/streams.hpp>
#include <dikkat/dikkat.hpp>

using namespace dikkat;

// B windows side by side, T positions, V vocabulary
namespace lesson5 {

namespace {
constexpr std::size_t eval_streams = 16;

// Whether `target` is among the k highest of scores(b, t, :).
bool in_top(const Array& scores, std::size_t b, std::size_t t, Index target, std::size_t k) {
    const float mine = scores(b, t, static_cast<std::size_t>(target));
    std::size_t above = 0;  // scores strictly higher than the target's
    for (std::size_t v = 0; v < scores.shape()[2] && above < k; ++v)
        if (scores(b, t, v) > mine) ++above;
    return above < k;
}
}  // namespace

double perplexity(const TransformerLM& gpt, const std::vector<Index>& tokens) {
    NoGrad no_grad;
    data::StreamBatcher windows(tokens, eval_streams, gpt.config().context);
    IndexArray x, y;
    double nats = 0;
    for (std::size_t w = 0; w < windows.windows_per_epoch(); ++w) {
        windows.next(x, y);  // (B, T) and the words after them
        nats += double(cross_entropy(gpt(x), y).item());
    }
    return std::exp(nats / double(windows.windows_per_epoch()));
}

// [masked_accuracy]
MaskedScores masked_accuracy(const TransformerLM* bert, const TransformerLM* gpt, Index unigram_id,
                             const std::vector<Index>& tokens, std::size_t context,
                             const data::MaskingOptions& options, std::uint64_t seed) {
    NoGrad no_grad;
    Rng rng(seed);
    data::StreamBatcher windows(tokens, eval_streams, context);
    IndexArray x, y;
    MaskedScores s;
    for (std::size_t w = 0; w < windows.windows_per_epoch(); ++w) {
        windows.next(x, y);  // (B, T)
        const data::Masked m =
            data::mask_tokens(x, gpt ? gpt->config().vocab : bert->config().vocab, rng, options);
        const Array bert_scores = bert ? (*bert)(m.inputs).value() : Array();  // (B, T, V): the word at t
        const Array gpt_scores = gpt ? (*gpt)(x).value() : Array();            // (B, T, V): the word after t
        for (std::size_t b = 0; b < x.shape()[0]; ++b)
            for (std::size_t t = 1; t < x.shape()[1]; ++t) {  // t = 0 has no left context
                const Index target = m.targets(b, t);
                if (target == options.ignore_index) continue;
                ++s.positions;
                s.unigram_top1 += target == unigram_id;
                if (bert) {
                    s.bert_top1 += in_top(bert_scores, b, t, target, 1);
                    s.bert_top5 += in_top(bert_scores, b, t, target, 5);
                }
                if (gpt) {  // from the words before the gap, unmasked: the scores at t - 1
                    s.gpt_top1 += in_top(gpt_scores, b, t - 1, target, 1);
                    s.gpt_top5 += in_top(gpt_scores, b, t - 1, target, 5);
                }
            }
    }
    const double n = double(std::max<std::size_t>(s.positions, 1));
    for (double* v : {&s.bert_top1, &s.bert_top5, &s.gpt_top1, &s.gpt_top5, &s.unigram_top1}) *v /= n;
    return s;
}
// [masked_accuracy]

NextWordScores next_word_accuracy(const TransformerLM* gpt, const TransformerLM* bert,
                                  const std::vector<Index>& tokens, std::size_t context, std::size_t count,
                                  std::uint64_t seed) {
    NoGrad no_grad;
    Rng rng(seed);
    NextWordScores s;
    if (tokens.size() < context + 1) return s;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t length =
            4 + rng.below(static_cast<std::uint32_t>(context - 4));  // 4 .. context - 1
        const std::size_t start = rng.below(static_cast<std::uint32_t>(tokens.size() - length));
        const Index target = tokens[start + length];
        if (target <= data::Vocab::mask_id) continue;  // score words only
        ++s.positions;
        IndexArray prefix(IndexArray::shape_type{1, length + 1});
        for (std::size_t t = 0; t < length; ++t) prefix(0, t) = tokens[start + t];
        prefix(0, length) = data::Vocab::mask_id;  // BERT's gap at the end; GPT never reads it
        if (gpt) s.gpt_top1 += in_top((*gpt)(prefix).value(), 0, length - 1, target, 1);
        if (bert) s.bert_top1 += in_top((*bert)(prefix).value(), 0, length, target, 1);
    }
    const double n = double(std::max<std::size_t>(s.positions, 1));
    s.gpt_top1 /= n;
    s.bert_top1 /= n;
    return s;
}

Index most_frequent_word(const std::vector<Index>& tokens, std::size_t vocab_size) {
    std::vector<std::size_t> counts(vocab_size, 0);
    for (Index id : tokens) counts[static_cast<std::size_t>(id)]++;
    Index best = data::Vocab::mask_id + 1;
    for (std::size_t v = static_cast<std::size_t>(best); v < vocab_size; ++v)
        if (counts[v] > counts[static_cast<std::size_t>(best)]) best = static_cast<Index>(v);
    return best;
}

}  // namespace lesson5
