// A translator for the decoding and evaluation tests whose answer is known without training.
#pragma once

#include <string>
#include <vector>

#include <dikkat/data/vocab.hpp>
#include <dikkat/seq2seq/translator.hpp>

namespace seq2seq_test {

/// Says its source again, id for id, then `<eos>`: row r's word at step t is source(r, t) (the
/// source's own `<eos>` ends it), and `<eos>` once the source is used up. Logit 0 for that
/// word, -5 for every other. Its attention at step t is one-hot at source position t (all
/// zeros past the end). The target vocabulary must hold every source id (`vocab` > the largest).
class CopyTranslator : public dikkat::seq2seq::Translator {
  public:
    explicit CopyTranslator(std::size_t vocab) : vocab_(vocab) {}

    struct Copy : State {
        dikkat::IndexArray source;  // (B, S)
        std::size_t t = 0;          // steps taken
        void select_rows(const std::vector<std::size_t>& rows) override {
            source = dikkat::IndexArray(xt::view(source, xt::keep(rows), xt::all()));
        }
    };

    dikkat::Tensor forward(const dikkat::seq2seq::Batch&, dikkat::Array* = nullptr) const override {
        throw dikkat::NotImplemented("CopyTranslator only decodes");
    }
    std::unique_ptr<State> start(const dikkat::IndexArray& source, const dikkat::Array&) const override {
        auto state = std::make_unique<Copy>();
        state->source = source;
        return state;
    }
    dikkat::Tensor step(State& state, const dikkat::IndexArray& previous) const override {
        auto& copy = dynamic_cast<Copy&>(state);
        const std::size_t B = copy.source.shape()[0], S = copy.source.shape()[1];
        if (previous.size() != B)
            throw dikkat::ShapeError("CopyTranslator: " + std::to_string(previous.size()) +
                                     " previous words for " + std::to_string(B) + " rows");
        dikkat::Array logits = xt::full_like(dikkat::Array(dikkat::Shape{B, vocab_}), -5.0f);  // (B, V)
        state.attention = xt::zeros<float>({B, S});                                            // (B, S)
        for (std::size_t r = 0; r < B; ++r) {
            const dikkat::Index word = copy.t < S ? copy.source(r, copy.t) : dikkat::data::Vocab::eos_id;
            logits(r, static_cast<std::size_t>(word)) = 0.0f;
            if (copy.t < S) state.attention(r, copy.t) = 1.0f;
        }
        ++copy.t;
        return dikkat::Tensor(logits);
    }

  private:
    std::size_t vocab_;
};

}  // namespace seq2seq_test
