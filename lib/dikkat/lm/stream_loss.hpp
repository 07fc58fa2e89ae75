// How well a recurrent language model predicts a long text: its mean next-token loss, the text
// read as parallel streams with the state carried from each window into the next — the way it
// was trained (lesson 1's characters, lesson 6's words).
#pragma once

#include <cstddef>
#include <vector>

#include <dikkat/autograd.hpp>
#include <dikkat/data/streams.hpp>
#include <dikkat/nn/rnn.hpp>
#include <dikkat/ops/loss.hpp>

namespace dikkat::lm {

/// Mean cross-entropy of `model` on `tokens` in nats per token: `streams` streams side by side,
/// `window` tokens at a time, no gradient. `Model` is any recurrent language model whose
/// forward(x (B, T), state) returns its scores (B, T, V) and its run, whose `last` state the next
/// window starts from (lm::LstmLM, lesson 1's CharLM).
template <class Model>
double stream_nats(const Model& model, const std::vector<Index>& tokens, std::size_t streams,
                   std::size_t window) {
    NoGrad no_grad;
    data::StreamBatcher windows(tokens, streams, window);
    nn::CellState state;
    IndexArray x, y;
    double nats = 0.0;
    for (std::size_t w = 0; w < windows.windows_per_epoch(); ++w) {
        windows.next(x, y);
        const auto out = model.forward(x, state);
        nats += double(cross_entropy(out.scores, y).item());
        state = out.run.last;
    }
    return nats / static_cast<double>(windows.windows_per_epoch());
}

}  // namespace dikkat::lm
