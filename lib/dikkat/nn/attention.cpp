#include <dikkat/nn/attention.hpp>

#include <cmath>

#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/mask.hpp>
#include <dikkat/ops/matmul.hpp>
#include <dikkat/ops/nn_ops.hpp>
#include <dikkat/ops/shape.hpp>
#include <dikkat/ops/softmax.hpp>

// B batch, S source positions, Dq query size, Dk key size, Dv value size, A attention size
namespace dikkat::nn {

namespace {
std::ptrdiff_t signed_size(std::size_t n) { return static_cast<std::ptrdiff_t>(n); }
}  // namespace

// ---- the common part ----------------------------------------------------------------------

void Attention::check_keys(const Tensor& keys) const {
    if (keys.dim() != 3 || keys.shape()[2] != key_size_ || keys.shape()[1] == 0)
        throw ShapeError(describe() + ": keys are " + shape_str(keys.shape()) + "; expected (B, S, " +
                         std::to_string(key_size_) + ") with S >= 1 (batch, source positions, key size)");
}

void Attention::check_step(const Tensor& query, const Tensor& projected_keys, const Tensor& values,
                           const Array& keep) const {
    const auto fail = [&](const std::string& expected) {  // built only on failure
        return ShapeError(describe() + ": query is " + shape_str(query.shape()) + ", projected keys " +
                          shape_str(projected_keys.shape()) +
                          (values.defined() ? ", values " + shape_str(values.shape()) : std::string()) +
                          (has_keep(keep) ? ", keep " + shape_str(keep.shape()) : std::string()) + "; " +
                          expected);
    };
    if (query.dim() != 2 || query.shape()[1] != query_size_)
        throw fail("expected query (B, " + std::to_string(query_size_) + ")");
    const std::size_t B = query.shape()[0];
    const std::string b = std::to_string(B);
    const auto& pk = projected_keys.shape();
    if (projected_keys.dim() != 3 || pk[0] != B || pk[2] != projected_size_)
        throw fail("expected projected keys (" + b + ", S, " + std::to_string(projected_size_) +
                   "), from project_keys()");
    if (pk[1] == 0) throw fail("there is no source position to attend to (S = 0)");
    const std::string s = std::to_string(pk[1]);
    if (values.defined() && (values.dim() != 3 || values.shape()[0] != B || values.shape()[1] != pk[1]))
        throw fail("expected values (" + b + ", " + s + ", Dv), one per key");
    if (has_keep(keep) && keep.shape() != Shape{B, pk[1]})
        throw fail("expected keep (" + b + ", " + s + "): 1 at a real source token, 0 at padding");
}

void Attention::check_scores(const Tensor& query, const Tensor& projected_keys) const {
    check_step(query, projected_keys, Tensor(), Array());
}

// [attention_forward]
Attention::Output Attention::forward(const Tensor& query, const Tensor& projected_keys, const Tensor& values,
                                     const Array& keep) const {
    if (!values.defined())
        throw ShapeError(describe() + ": no values given (an empty Tensor): the context averages them");
    check_step(query, projected_keys, values, keep);
    const auto B = signed_size(values.shape()[0]), S = signed_size(values.shape()[1]);
    const auto Dv = signed_size(values.shape()[2]);
    Tensor e = scores(query, projected_keys);          // (B, S)
    Tensor a = masked_softmax(e, keep);                // (B, S), rows sum to 1; padding: weight exactly 0
    Tensor c = matmul(reshape(a, {B, 1, S}), values);  // (B, 1, S) @ (B, S, Dv) -> (B, 1, Dv)
    return {reshape(c, {B, Dv}), a};                   // (B, Dv), (B, S)
}
// [attention_forward]

// ---- additive ------------------------------------------------------------------------------

AdditiveAttention::AdditiveAttention(std::size_t query_size, std::size_t key_size, std::size_t attention_size,
                                     Rng& rng)
    : Attention(query_size, key_size, attention_size),
      query(query_size, attention_size, rng, /*with_bias=*/false),
      key(key_size, attention_size, rng) {
    register_module("query", query);
    register_module("key", key);
    const float r = 1.0f / std::sqrt(static_cast<float>(attention_size));
    v = register_parameter("v", rng.uniform_array({attention_size}, -r, r));  // (A)
}

std::string AdditiveAttention::describe() const {
    return "AdditiveAttention(" + std::to_string(query_size()) + ", " + std::to_string(key_size()) + ", " +
           std::to_string(attention_size()) + ")";
}

Tensor AdditiveAttention::project_keys(const Tensor& keys) const {
    check_keys(keys);
    return key(keys);  // (B, S, Dk) @ (Dk, A) + (A) -> (B, S, A)
}

Tensor AdditiveAttention::scores(const Tensor& s, const Tensor& projected_keys) const {
    check_scores(s, projected_keys);
    return additive_scores(query(s), projected_keys, v);  // (B, Dq) -> (B, A); -> (B, S)
}

// ---- dot -----------------------------------------------------------------------------------

DotAttention::DotAttention(std::size_t query_size, std::size_t key_size, Rng& rng)
    : Attention(query_size, key_size, key_size), query(query_size, key_size, rng, /*with_bias=*/false) {
    register_module("query", query);
}

std::string DotAttention::describe() const {
    return "DotAttention(" + std::to_string(query_size()) + ", " + std::to_string(key_size()) + ")";
}

Tensor DotAttention::project_keys(const Tensor& keys) const {
    check_keys(keys);
    return keys;  // (B, S, Dk), the same tensor
}

Tensor DotAttention::scores(const Tensor& s, const Tensor& projected_keys) const {
    check_scores(s, projected_keys);
    const auto B = signed_size(s.shape()[0]), S = signed_size(projected_keys.shape()[1]);
    const auto Dk = signed_size(key_size());
    Tensor q = reshape(query(s), {B, 1, Dk});                    // (B, Dq) @ (Dq, Dk) -> (B, 1, Dk)
    Tensor e = matmul(q, projected_keys, /*transpose_b=*/true);  // (B, 1, Dk) @ (B, S, Dk)^T -> (B, 1, S)
    return reshape(e, {B, S});                                   // (B, S)
}

// ---- by name -------------------------------------------------------------------------------

std::shared_ptr<Attention> make_attention(const std::string& score, std::size_t query_size,
                                          std::size_t key_size, std::size_t attention_size, Rng& rng) {
    if (score == "additive")
        return std::make_shared<AdditiveAttention>(query_size, key_size, attention_size, rng);
    if (score == "dot") return std::make_shared<DotAttention>(query_size, key_size, rng);
    throw ValueError("unknown attention score '" + score + "': expected additive or dot");
}

}  // namespace dikkat::nn
