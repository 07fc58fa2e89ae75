#include <dikkat/nn/rnn.hpp>

#include <cmath>

#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/matmul.hpp>
#include <dikkat/ops/shape.hpp>

namespace dikkat::nn {

namespace {
// U(-1/sqrt(H), 1/sqrt(H)), PyTorch's initialisation for every weight of a recurrent cell.
Array init_uniform(Rng& rng, const Shape& shape, std::size_t hidden) {
    const float k = 1.0f / std::sqrt(static_cast<float>(hidden));
    return rng.uniform_array(shape, -k, k);
}
std::string sizes(std::size_t in, std::size_t h) {
    return "(" + std::to_string(in) + ", " + std::to_string(h) + ")";
}
}  // namespace

// ---- the common part ----------------------------------------------------------------------

CellState RecurrentCell::initial_state(std::size_t batch) const {
    return {zeros({batch, hidden_size_}), Tensor()};
}

void RecurrentCell::check_step(const Tensor& x, const CellState& state) const {
    if (x.dim() != 2 || x.shape()[1] != input_size_)
        throw ShapeError(describe() + ": input x is " + shape_str(x.shape()) + "; expected (B, " +
                         std::to_string(input_size_) + ")");
    if (!state.h.defined() || state.h.shape() != Shape{x.shape()[0], hidden_size_})
        throw ShapeError(describe() + ": state h is " +
                         (state.h.defined() ? shape_str(state.h.shape()) : std::string("missing")) +
                         "; expected (" + std::to_string(x.shape()[0]) + ", " + std::to_string(hidden_size_) +
                         ") for a batch of " + std::to_string(x.shape()[0]) + " (use initial_state(batch))");
}

// ---- RNN -----------------------------------------------------------------------------------

RNNCell::RNNCell(std::size_t input_size, std::size_t hidden_size, Rng& rng)
    : RecurrentCell(input_size, hidden_size) {
    weight_x = register_parameter("weight_x", init_uniform(rng, {input_size, hidden_size}, hidden_size));
    weight_h = register_parameter("weight_h", init_uniform(rng, {hidden_size, hidden_size}, hidden_size));
    bias = register_parameter("bias", init_uniform(rng, {hidden_size}, hidden_size));
}

std::string RNNCell::describe() const { return "RNNCell" + sizes(input_size(), hidden_size()); }

// [rnn_cell_forward]
Tensor rnn_step(const Tensor& x, const Tensor& h, const Tensor& W_x, const Tensor& W_h, const Tensor& b) {
    // h' = tanh(x W_x + h W_h + b)                   (B, I)@(I, H) + (B, H)@(H, H) + (H)
    return tanh(matmul(x, W_x) + matmul(h, W_h) + b);  // (B, H)
}

CellState RNNCell::forward(const Tensor& x, const CellState& state) const {
    check_step(x, state);
    return {rnn_step(x, state.h, weight_x, weight_h, bias), Tensor()};
}
// [rnn_cell_forward]

// ---- GRU -----------------------------------------------------------------------------------

GRUCell::GRUCell(std::size_t input_size, std::size_t hidden_size, Rng& rng)
    : RecurrentCell(input_size, hidden_size) {
    const std::size_t H = hidden_size;
    weight_x = register_parameter("weight_x", init_uniform(rng, {input_size, 3 * H}, H));
    weight_h = register_parameter("weight_h", init_uniform(rng, {H, 3 * H}, H));
    bias_x = register_parameter("bias_x", init_uniform(rng, {3 * H}, H));
    bias_h = register_parameter("bias_h", init_uniform(rng, {3 * H}, H));
}

std::string GRUCell::describe() const { return "GRUCell" + sizes(input_size(), hidden_size()); }

CellState GRUCell::forward(const Tensor& x, const CellState& state) const {
    check_step(x, state);
    const std::size_t H = hidden_size();
    Tensor gx = matmul(x, weight_x) + bias_x;                             // (B, 3H): x's part of r, z, n
    Tensor gh = matmul(state.h, weight_h) + bias_h;                       // (B, 3H): h's part of r, z, n
    Tensor r = sigmoid(slice(gx, 1, 0, H) + slice(gh, 1, 0, H));          // (B, H)
    Tensor z = sigmoid(slice(gx, 1, H, 2 * H) + slice(gh, 1, H, 2 * H));  // (B, H)
    Tensor n = tanh(slice(gx, 1, 2 * H, 3 * H) + r * slice(gh, 1, 2 * H, 3 * H));
    Tensor h = (1.0f - z) * n + z * state.h;  // (B, H): keep z of the old state
    return {h, Tensor()};
}

// ---- LSTM ----------------------------------------------------------------------------------

LSTMCell::LSTMCell(std::size_t input_size, std::size_t hidden_size, Rng& rng)
    : RecurrentCell(input_size, hidden_size) {
    const std::size_t H = hidden_size;
    weight_x = register_parameter("weight_x", init_uniform(rng, {input_size, 4 * H}, H));
    weight_h = register_parameter("weight_h", init_uniform(rng, {H, 4 * H}, H));
    bias = register_parameter("bias", init_uniform(rng, {4 * H}, H));
}

std::string LSTMCell::describe() const { return "LSTMCell" + sizes(input_size(), hidden_size()); }

CellState LSTMCell::initial_state(std::size_t batch) const {
    return {zeros({batch, hidden_size()}), zeros({batch, hidden_size()})};
}

CellState LSTMCell::forward(const Tensor& x, const CellState& state) const {
    check_step(x, state);
    const std::size_t H = hidden_size();
    if (!state.c.defined() || state.c.shape() != state.h.shape())
        throw ShapeError(describe() + ": the cell state c must have the shape of h " +
                         shape_str(state.h.shape()) + " (use initial_state(batch))");
    Tensor g = matmul(x, weight_x) + matmul(state.h, weight_h) + bias;  // (B, 4H)
    Tensor i = sigmoid(slice(g, 1, 0, H));                              // input gate   (B, H)
    Tensor f = sigmoid(slice(g, 1, H, 2 * H));                          // forget gate
    Tensor cand = tanh(slice(g, 1, 2 * H, 3 * H));                      // candidate
    Tensor o = sigmoid(slice(g, 1, 3 * H, 4 * H));                      // output gate
    Tensor c = f * state.c + i * cand;                                  // (B, H)
    return {o * tanh(c), c};
}

std::shared_ptr<RecurrentCell> make_cell(const std::string& kind, std::size_t input_size,
                                         std::size_t hidden_size, Rng& rng) {
    if (kind == "rnn") return std::make_shared<RNNCell>(input_size, hidden_size, rng);
    if (kind == "gru") return std::make_shared<GRUCell>(input_size, hidden_size, rng);
    if (kind == "lstm") return std::make_shared<LSTMCell>(input_size, hidden_size, rng);
    throw ValueError("unknown cell '" + kind + "': expected rnn, gru or lstm");
}

}  // namespace dikkat::nn
