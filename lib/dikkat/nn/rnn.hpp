// Recurrent cells: one step of a network that reads a sequence one element at a time and
// carries a hidden state from step to step. The hidden state is the network's memory.
//
//     B batch, I input size, H hidden size
//
//     RNNCell    h' = tanh(x W_x + h W_h + b)
//     GRUCell    r  = σ(x W_xr + b_xr + h W_hr + b_hr)          reset gate
//                z  = σ(x W_xz + b_xz + h W_hz + b_hz)          update gate
//                n  = tanh(x W_xn + b_xn + r ⊙ (h W_hn + b_hn))  candidate
//                h' = (1 − z) ⊙ n + z ⊙ h
//     LSTMCell   i, f, g, o = σ, σ, tanh, σ of (x W_x + h W_h + b), split in four
//                c' = f ⊙ c + i ⊙ g                             cell state
//                h' = o ⊙ tanh(c')
//
// Weights are stored (in, out) like nn::Linear (PyTorch stores the transpose). The gates of
// GRU and LSTM are fused into one matrix each for x and h — (I, 3H) and (H, 3H) for GRU,
// (I, 4H) and (H, 4H) for LSTM, gates side by side in the order above — so a step costs two
// matrix products however many gates there are.
//
// Initialisation, as PyTorch's RNN cells: every weight and bias from U(-k, k), k = 1/sqrt(H).
// Parameter counts: RNN  I·H + H·H + H;   GRU 3(I·H + H·H + 2H);   LSTM 4(I·H + H·H + H).
// (PyTorch's LSTM has two bias vectors, b_ih and b_hh, that only ever appear as their sum;
// Dikkat keeps one. GRU needs both: b_hn sits inside r ⊙ (…).)
//
// A cell takes one step. To run one over a whole (padded) sequence, or both ways at once, see
// nn::unroll and nn::RNN in nn/sequence.hpp.
#pragma once

#include <dikkat/nn/module.hpp>
#include <dikkat/random.hpp>

namespace dikkat::nn {

/// What a cell carries from one step to the next: h for RNN and GRU, h and c for LSTM.
struct CellState {
    Tensor h;  ///< hidden state (B, H)
    Tensor c;  ///< LSTM cell state (B, H); undefined for the other cells

    /// The same state cut off from the graph. Truncated backpropagation through time: the next
    /// window starts from this state, but its gradient stops here.
    CellState detach() const { return {h.detach(), c.defined() ? c.detach() : Tensor()}; }
};

/// The common interface of the three cells, so a lesson can switch with `--cell rnn|gru|lstm`.
/// nn::unroll uses a cell only through forward(), initial_state() and the two sizes, so a
/// wrapper that overrides forward() — one that ignores the incoming state, say — runs there too.
class RecurrentCell : public Module {
  public:
    RecurrentCell(std::size_t input_size, std::size_t hidden_size)
        : input_size_(input_size), hidden_size_(hidden_size) {}
    /// One step: x (B, I) and the state after the previous step -> the state after this one.
    virtual CellState forward(const Tensor& x, const CellState& state) const = 0;
    CellState operator()(const Tensor& x, const CellState& state) const { return forward(x, state); }
    /// All-zero state for a batch of B sequences (the state before the first step).
    virtual CellState initial_state(std::size_t batch) const;
    std::size_t input_size() const { return input_size_; }
    std::size_t hidden_size() const { return hidden_size_; }

  protected:
    /// Throws ShapeError naming the cell unless x is (B, I) and h (B, H).
    void check_step(const Tensor& x, const CellState& state) const;

  private:
    std::size_t input_size_, hidden_size_;
};

/// The plain (Elman) RNN cell: h' = tanh(x W_x + h W_h + b).
class RNNCell : public RecurrentCell {
  public:
    RNNCell(std::size_t input_size, std::size_t hidden_size, Rng& rng);
    CellState forward(const Tensor& x, const CellState& state) const override;
    std::string describe() const override;

    Tensor weight_x;  ///< (I, H)
    Tensor weight_h;  ///< (H, H)
    Tensor bias;      ///< (H)
};

/// The gated recurrent unit (Cho et al., 2014).
class GRUCell : public RecurrentCell {
  public:
    GRUCell(std::size_t input_size, std::size_t hidden_size, Rng& rng);
    CellState forward(const Tensor& x, const CellState& state) const override;
    std::string describe() const override;

    Tensor weight_x;  ///< (I, 3H): reset, update, candidate
    Tensor weight_h;  ///< (H, 3H)
    Tensor bias_x;    ///< (3H)
    Tensor bias_h;    ///< (3H)
};

/// Long short-term memory (Hochreiter & Schmidhuber, 1997).
class LSTMCell : public RecurrentCell {
  public:
    LSTMCell(std::size_t input_size, std::size_t hidden_size, Rng& rng);
    CellState forward(const Tensor& x, const CellState& state) const override;
    CellState initial_state(std::size_t batch) const override;
    std::string describe() const override;

    Tensor weight_x;  ///< (I, 4H): input, forget, candidate, output
    Tensor weight_h;  ///< (H, 4H)
    Tensor bias;      ///< (4H)
};

/// The RNN step as a plain function of its weights: tanh(x W_x + h W_h + b).
/// x (B, I), h (B, H), W_x (I, H), W_h (H, H), b (H) -> (B, H). RNNCell::forward calls it.
Tensor rnn_step(const Tensor& x, const Tensor& h, const Tensor& W_x, const Tensor& W_h, const Tensor& b);

/// Builds a cell by name: "rnn", "gru" or "lstm" (ValueError otherwise).
std::shared_ptr<RecurrentCell> make_cell(const std::string& kind, std::size_t input_size,
                                         std::size_t hidden_size, Rng& rng);

}  // namespace dikkat::nn
