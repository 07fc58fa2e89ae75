// What the tests of nn/transformer.hpp share: tiny sizes, masks, attention computed by hand
// loops, parameter counts by formula.
//
//     B batch, T query positions, S key positions, D model size, H heads, d = D / H, F feed-forward
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>

#include "../support/compare.hpp"
#include "../support/error_of.hpp"

// A test file opens this namespace around its cases rather than `using` it: the unity build
// compiles it in one piece with other tests, whose own tiny sizes (D, H, F) may be visible too,
// and names of the enclosing namespace are found first.
namespace transformer_test {
using namespace dikkat;

inline constexpr std::size_t B = 2, T = 3, S = 4, D = 8, H = 2, F = 16;

// The second sentence has 2 real words of S = 4: keep (B, S), and (B, 1, 1, S) for the scores
// (B, H, T, S).
inline Array source_keep() { return padding_mask({S, 2}, S); }
inline Array key_keep() {
    Array keep = source_keep();
    keep.reshape({B, std::size_t{1}, std::size_t{1}, S});
    return keep;
}

// What an attention computes, by loops in double: q (B, T, d), k (B, S, d), v (B, S, dv), keep
// (B, S) (0 hides key j from every query of sentence b) ->
//     weights(b, i, j) = softmax_j(scale * q_bi . k_bj) over the kept keys, 0 at the hidden ones
//     output(b, i, :)  = sum_j weights(b, i, j) v_bj
struct HandAttention {
    Array output, weights;
};
inline HandAttention hand_attention(const Array& q, const Array& k, const Array& v, const Array& keep,
                                    double scale) {
    const std::size_t nb = q.shape()[0], nt = q.shape()[1], ns = k.shape()[1];
    const std::size_t nd = q.shape()[2], nv = v.shape()[2];
    HandAttention out{Array(Shape{nb, nt, nv}), Array(Shape{nb, nt, ns})};
    for (std::size_t b = 0; b < nb; ++b)
        for (std::size_t i = 0; i < nt; ++i) {
            std::vector<double> e(ns, 0.0);
            double largest = -1e300;
            for (std::size_t j = 0; j < ns; ++j) {
                if (keep(b, j) == 0.0f) continue;
                for (std::size_t c = 0; c < nd; ++c)
                    e[j] += static_cast<double>(q(b, i, c)) * static_cast<double>(k(b, j, c));
                e[j] *= scale;
                largest = std::max(largest, e[j]);
            }
            double total = 0.0;
            for (std::size_t j = 0; j < ns; ++j) {
                e[j] = keep(b, j) == 0.0f ? 0.0 : std::exp(e[j] - largest);
                total += e[j];
            }
            for (std::size_t j = 0; j < ns; ++j) out.weights(b, i, j) = static_cast<float>(e[j] / total);
            for (std::size_t c = 0; c < nv; ++c) {
                double y = 0.0;
                for (std::size_t j = 0; j < ns; ++j) y += e[j] / total * static_cast<double>(v(b, j, c));
                out.output(b, i, c) = static_cast<float>(y);
            }
        }
    return out;
}

// Columns [from, to) of a (rows, cols) matrix, or elements [from, to) of a vector.
inline Tensor columns(const Tensor& w, std::size_t from, std::size_t to) {
    if (w.dim() == 1) return Tensor(Array(xt::view(w.value(), xt::range(from, to))));
    return Tensor(Array(xt::view(w.value(), xt::all(), xt::range(from, to))));
}

// Tiny stacks for the tests, dropout off.
inline nn::TransformerSizes tiny_sizes(std::size_t encoder_layers, std::size_t decoder_layers) {
    nn::TransformerSizes sizes;
    sizes.dim = D;
    sizes.heads = H;
    sizes.ff = F;
    sizes.encoder_layers = encoder_layers;
    sizes.decoder_layers = decoder_layers;
    sizes.dropout = 0.0f;
    return sizes;
}

// Parameter counts by the formulas of nn/transformer.hpp.
inline std::size_t attention_parameters(std::size_t dim) { return 4 * (dim * dim + dim); }
inline std::size_t feed_forward_parameters(std::size_t dim, std::size_t ff) {
    return 2 * dim * ff + ff + dim;
}
inline std::size_t encoder_layer_parameters(std::size_t dim, std::size_t ff) {
    return attention_parameters(dim) + feed_forward_parameters(dim, ff) + 2 * 2 * dim;  // two LayerNorms
}
inline std::size_t decoder_layer_parameters(std::size_t dim, std::size_t ff) {
    return 2 * attention_parameters(dim) + feed_forward_parameters(dim, ff) +
           3 * 2 * dim;  // three LayerNorms
}
inline std::size_t transformer_parameters(const nn::TransformerSizes& s) {
    return s.encoder_layers * encoder_layer_parameters(s.dim, s.ff) + 2 * s.dim +  // + the final LayerNorm
           s.decoder_layers * decoder_layer_parameters(s.dim, s.ff) + 2 * s.dim;
}

// An attention that counts its calls (AttentionFunction is a plain function pointer, so the
// count lives outside it) and otherwise is the library's.
inline int attention_calls = 0;
inline nn::AttentionResult counting_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                              const Array& keep, bool scaled) {
    ++attention_calls;
    return nn::scaled_dot_product_attention(q, k, v, keep, scaled);
}
}  // namespace transformer_test
