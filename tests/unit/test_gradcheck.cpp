// One gradient check per op: backward() against central differences (see gradcheck.hpp for
// the step size and tolerance). Broadcasting and batched cases get checks of their own.
#include <doctest/doctest.h>

#include <dikkat/dikkat.hpp>
#include <dikkat/exercise.hpp>

#include "../support/gradients.hpp"

using namespace dikkat;
using Inputs = std::vector<Tensor>;

namespace {
Array positive(const Shape& shape, std::uint64_t seed) {  // in [0.5, 2]
    Rng rng(seed);
    return rng.uniform_array(shape, 0.5f, 2.0f);
}
}  // namespace

// ---- elementwise -------------------------------------------------------------------------

TEST_CASE("gradcheck: add") {
    check_gradients("add", [](const Inputs& x) { return x[0] + x[1]; }, {randn({3, 4}, 1), randn({3, 4}, 2)});
}
TEST_CASE("gradcheck: add broadcasting a bias (B, T, C) + (C)") {
    check_gradients("add (broadcast)", [](const Inputs& x) { return x[0] + x[1]; },
                    {randn({2, 3, 4}, 1), randn({4}, 2)});
}
TEST_CASE("gradcheck: add broadcasting both ways (3, 1) + (1, 4)") {
    check_gradients("add (broadcast both)", [](const Inputs& x) { return x[0] + x[1]; },
                    {randn({3, 1}, 1), randn({1, 4}, 2)});
}
TEST_CASE("gradcheck: sub with broadcasting") {
    check_gradients("sub", [](const Inputs& x) { return x[0] - x[1]; }, {randn({2, 3}, 3), randn({2, 1}, 4)});
}
TEST_CASE("gradcheck: mul with broadcasting") {
    check_gradients("mul", [](const Inputs& x) { return x[0] * x[1]; },
                    {randn({2, 3, 4}, 5), randn({3, 1}, 6)});
}
TEST_CASE("gradcheck: div with broadcasting") {
    check_gradients("div", [](const Inputs& x) { return x[0] / x[1]; }, {randn({3, 4}, 7), positive({4}, 8)});
}
TEST_CASE("gradcheck: scalar add, mul, rdiv") {
    check_gradients("add_scalar", [](const Inputs& x) { return x[0] + 2.5f; }, {randn({5}, 9)});
    check_gradients("mul_scalar", [](const Inputs& x) { return x[0] * -1.5f; }, {randn({5}, 10)});
    check_gradients("rdiv_scalar", [](const Inputs& x) { return 2.0f / x[0]; }, {positive({5}, 11)});
}
TEST_CASE("gradcheck: neg") {
    check_gradients("neg", [](const Inputs& x) { return -x[0]; }, {randn({4}, 12)});
}
TEST_CASE("gradcheck: exp") {
    check_gradients("exp", [](const Inputs& x) { return exp(x[0]); }, {randn({3, 3}, 13)});
}
TEST_CASE("gradcheck: log") {
    check_gradients("log", [](const Inputs& x) { return log(x[0]); }, {positive({3, 3}, 14)});
}
TEST_CASE("gradcheck: sqrt") {
    check_gradients("sqrt", [](const Inputs& x) { return sqrt(x[0]); }, {positive({3, 3}, 15)});
}
TEST_CASE("gradcheck: pow") {
    check_gradients("pow", [](const Inputs& x) { return pow(x[0], 3.0f); }, {randn({3, 3}, 16)});
    check_gradients("pow (fractional)", [](const Inputs& x) { return pow(x[0], -1.5f); },
                    {positive({4}, 17)});
}
TEST_CASE("gradcheck: tanh") {
    check_gradients("tanh", [](const Inputs& x) { return tanh(x[0]); }, {randn({3, 4}, 18)});
}
TEST_CASE("gradcheck: sigmoid") {
    check_gradients("sigmoid", [](const Inputs& x) { return sigmoid(x[0]); }, {randn({3, 4}, 19)});
}
TEST_CASE("gradcheck: relu (inputs away from the kink at 0)") {
    check_gradients("relu", [](const Inputs& x) { return relu(x[0]); }, {spread({3, 4}, 20)});
}
TEST_CASE("gradcheck: gelu") {
    check_gradients("gelu", [](const Inputs& x) { return gelu(x[0]); }, {randn({3, 4}, 21)});
}

// ---- matmul --------------------------------------------------------------------------------

TEST_CASE("gradcheck: matmul 2-D") {
    check_gradients("matmul", [](const Inputs& x) { return matmul(x[0], x[1]); },
                    {randn({3, 4}, 22), randn({4, 5}, 23)});
}
TEST_CASE("gradcheck: matmul batched times a shared matrix (B, T, C) @ (C, D)") {
    check_gradients("matmul (B,T,C)@(C,D)", [](const Inputs& x) { return matmul(x[0], x[1]); },
                    {randn({2, 3, 4}, 24), randn({4, 5}, 25)});
}
TEST_CASE("gradcheck: matmul batched on both sides (B, H, T, d) @ (B, H, d, T)") {
    check_gradients("matmul (B,H,T,d)@(B,H,d,T)", [](const Inputs& x) { return matmul(x[0], x[1]); },
                    {randn({2, 2, 3, 4}, 26), randn({2, 2, 4, 3}, 27)});
}
TEST_CASE("gradcheck: matmul with broadcast batch dimensions (2, 1, 3, 4) @ (3, 4, 2)") {
    check_gradients("matmul (broadcast batch)", [](const Inputs& x) { return matmul(x[0], x[1]); },
                    {randn({2, 1, 3, 4}, 28), randn({3, 4, 2}, 29)});
}
TEST_CASE("gradcheck: matmul of a shared matrix times a batch (n, k) @ (B, k, m)") {
    check_gradients("matmul (n,k)@(B,k,m)", [](const Inputs& x) { return matmul(x[0], x[1]); },
                    {randn({3, 4}, 30), randn({2, 4, 2}, 31)});
}
namespace {
Tensor matmul_tb(const Inputs& x) { return matmul(x[0], x[1], /*transpose_b=*/true); }
}  // namespace
TEST_CASE("gradcheck: affine x W + b, batched (B, T, in) and a single vector, with and without a bias") {
    check_gradients("affine", [](const Inputs& x) { return affine(x[0], x[1], x[2]); },
                    {randn({2, 3, 4}, 1), randn({4, 5}, 2), randn({5}, 3)});
    check_gradients("affine (vector)", [](const Inputs& x) { return affine(x[0], x[1], x[2]); },
                    {randn({4}, 1), randn({4, 5}, 2), randn({5}, 3)});
    check_gradients("affine (no bias)", [](const Inputs& x) { return affine(x[0], x[1], Tensor()); },
                    {randn({3, 4}, 1), randn({4, 2}, 2)});
    // relu(x W + b): inputs whose pre-activations stay away from the kink at 0
    check_gradients("affine (relu)", [](const Inputs& x) { return affine(x[0], x[1], x[2], /*relu=*/true); },
                    {Array{{1.0f, 2.0f}, {-1.0f, 0.5f}}, Array{{1.0f, -1.0f, 0.3f}, {0.5f, 2.0f, -0.2f}},
                     Array{0.1f, -0.3f, 0.2f}});
}
TEST_CASE("gradcheck: matmul with b transposed, 2-D and tied-output (B, T, D) @ (V, D)^T") {
    check_gradients("matmul_tb (n,k)@(m,k)^T", matmul_tb, {randn({3, 4}, 64), randn({5, 4}, 65)});
    check_gradients("matmul_tb (B,T,D)@(V,D)^T", matmul_tb, {randn({2, 3, 4}, 66), randn({5, 4}, 67)});
}
TEST_CASE("gradcheck: matmul with b transposed and broadcast batches, Q K^T (B, H, T, d)") {
    check_gradients("matmul_tb (B,H,T,d)@(B,H,T,d)^T", matmul_tb,
                    {randn({2, 2, 3, 4}, 68), randn({2, 2, 5, 4}, 69)});
    check_gradients("matmul_tb (2,1,3,4)@(3,2,4)^T", matmul_tb,
                    {randn({2, 1, 3, 4}, 70), randn({3, 2, 4}, 71)});
    check_gradients("matmul_tb x x^T (one input used twice)",
                    [](const Inputs& x) { return matmul(x[0], x[0], /*transpose_b=*/true); },
                    {randn({2, 3, 4}, 72)});
}

// ---- shapes --------------------------------------------------------------------------------

TEST_CASE("gradcheck: reshape") {
    check_gradients("reshape",
                    [](const Inputs& x) {
                        return reshape(x[0], {4, -1}) * x[1];
                    },
                    {randn({2, 3, 2}, 32), randn({4, 3}, 33)});
}
TEST_CASE("gradcheck: permute and transpose") {
    check_gradients("permute",
                    [](const Inputs& x) {
                        return permute(x[0], {2, 0, 1}) * x[1];
                    },
                    {randn({2, 3, 4}, 34), randn({4, 2, 3}, 35)});
    check_gradients("transpose", [](const Inputs& x) { return transpose(x[0]) * x[1]; },
                    {randn({2, 3, 4}, 36), randn({2, 4, 3}, 37)});
}
TEST_CASE("gradcheck: permute of a view, with a new shape (split and merge heads)") {
    check_gradients("permute (view)",
                    [](const Inputs& x) {
                        return permute(x[0], {2, 3, 2, 2}, {0, 2, 1, 3});
                    },  // (2, 3, 4) as heads
                    {randn({2, 3, 4}, 61)});
    check_gradients("permute (view, reshaped)",
                    [](const Inputs& x) {
                        return permute(x[0], x[0].shape(), {0, 2, 1, 3}, {2, 3, 4});
                    },
                    {randn({2, 2, 3, 2}, 62)});
}
TEST_CASE("gradcheck: slice") {
    check_gradients("slice", [](const Inputs& x) { return slice(x[0], 1, 1, 3); }, {randn({2, 4, 3}, 38)});
}
TEST_CASE("gradcheck: select") {
    check_gradients("select", [](const Inputs& x) { return select(x[0], -2, 2) + select(x[0], 1, 0); },
                    {randn({2, 4, 3}, 39)});
}
TEST_CASE("gradcheck: concat") {
    check_gradients("concat",
                    [](const Inputs& x) {
                        return concat({x[0], x[1], x[0]}, 1);
                    },
                    {randn({2, 2, 3}, 40), randn({2, 1, 3}, 41)});
}
TEST_CASE("gradcheck: stack") {
    check_gradients("stack",
                    [](const Inputs& x) {
                        return stack({x[0], x[1]}, 1);
                    },
                    {randn({2, 3}, 42), randn({2, 3}, 43)});
}

// ---- reductions ------------------------------------------------------------------------------

TEST_CASE("gradcheck: sum (all, axes, keepdims)") {
    check_gradients("sum", [](const Inputs& x) { return sum(x[0]); }, {randn({2, 3}, 44)});
    check_gradients("sum axes", [](const Inputs& x) { return sum(x[0], {0, 2}); }, {randn({2, 3, 4}, 45)});
    check_gradients("sum keepdims", [](const Inputs& x) { return sum(x[0], {-1}, true) * x[0]; },
                    {randn({2, 3}, 46)});
}
TEST_CASE("gradcheck: mean (all, axes, keepdims)") {
    check_gradients("mean", [](const Inputs& x) { return mean(x[0]); }, {randn({2, 3}, 47)});
    check_gradients("mean axes", [](const Inputs& x) { return mean(x[0], {1}, true); },
                    {randn({2, 3, 4}, 48)});
}
TEST_CASE("gradcheck: max (all and along an axis)") {
    check_gradients("max", [](const Inputs& x) { return max(x[0]); }, {spread({3, 3}, 49)});
    check_gradients("max axis", [](const Inputs& x) { return max(x[0], 1); }, {spread({2, 4, 2}, 50)});
}

// ---- softmax and masking ---------------------------------------------------------------------

TEST_CASE("gradcheck: softmax (last axis and a middle axis)") {
    check_gradients("softmax", [](const Inputs& x) { return softmax(x[0]); }, {randn({3, 5}, 51)});
    check_gradients("softmax axis 1", [](const Inputs& x) { return softmax(x[0], 1); },
                    {randn({2, 4, 3}, 52)});
}
TEST_CASE("gradcheck: log_softmax") {
    check_gradients("log_softmax", [](const Inputs& x) { return log_softmax(x[0]); }, {randn({3, 5}, 53)});
    check_gradients("log_softmax axis 0", [](const Inputs& x) { return log_softmax(x[0], 0); },
                    {randn({4, 3}, 54)});
}
TEST_CASE("gradcheck: fill_hidden with a broadcast causal mask") {
    const Array causal = causal_mask(3);  // (3, 3) over (2, 3, 3)
    check_gradients("fill_hidden",
                    [causal](const Inputs& x) { return softmax(fill_hidden(x[0], causal, -1e9f)); },
                    {randn({2, 3, 3}, 55)});
}
TEST_CASE("gradcheck: masked_softmax, scaled, with a causal, a padding and no mask") {
    const Array causal = causal_mask(3);  // (3, 3) over (2, 3, 3)
    check_gradients("masked_softmax (causal)",
                    [causal](const Inputs& x) { return masked_softmax(x[0], causal, 0.5f); },
                    {randn({2, 3, 3}, 56)});
    Array keep = padding_mask({4, 2}, 4);  // (2, 4) -> (2, 1, 4) over (2, 3, 4)
    keep.reshape({2, 1, 4});
    check_gradients("masked_softmax (padding)",
                    [keep](const Inputs& x) { return masked_softmax(x[0], keep, 2.0f); },
                    {randn({2, 3, 4}, 57)});
    check_gradients("masked_softmax (none)", [](const Inputs& x) { return masked_softmax(x[0], Array()); },
                    {randn({3, 5}, 58)});
}
TEST_CASE("gradcheck: fill_hidden with a padding mask over the keys (B, 1, Tk)") {
    Array keep = padding_mask({4, 2}, 4);  // (2, 4)
    keep.reshape({2, 1, 4});
    check_gradients("fill_hidden (padding)",
                    [keep](const Inputs& x) { return fill_hidden(x[0], keep, 0.5f) * x[0]; },
                    {randn({2, 3, 4}, 73)});
}

// ---- layers and losses -----------------------------------------------------------------------

TEST_CASE("gradcheck: embedding (a repeated id accumulates)") {
    IndexArray ids = {{0, 2, 2}, {3, 0, 1}};
    check_gradients("embedding", [ids](const Inputs& x) { return embedding(x[0], ids); },
                    {randn({4, 3}, 56)});
}
TEST_CASE("gradcheck: layer_norm") {
    check_gradients("layer_norm", [](const Inputs& x) { return layer_norm(x[0], x[1], x[2]); },
                    {randn({2, 3, 5}, 57), randn({5}, 58), randn({5}, 59)});
}
TEST_CASE("gradcheck: dropout (same mask every call)") {
    check_gradients("dropout",
                    [](const Inputs& x) {
                        Rng rng(7);
                        return dropout(x[0], 0.3f, rng);
                    },
                    {randn({4, 5}, 60)});
}
TEST_CASE("gradcheck: cross_entropy with an ignored position") {
    IndexArray targets = {{1, 4, -100}, {0, 2, 3}};
    check_gradients("cross_entropy", [targets](const Inputs& x) { return cross_entropy(x[0], targets); },
                    {randn({2, 3, 5}, 61)});
}
TEST_CASE("gradcheck: cross_entropy with label smoothing 0.4 and two ignored positions") {
    IndexArray targets = {{1, -100, 4}, {0, 2, -100}};
    check_gradients("cross_entropy (smoothed)",
                    [targets](const Inputs& x) { return cross_entropy(x[0], targets, -100, 0.4f); },
                    {randn({2, 3, 5}, 64)});
}
TEST_CASE("gradcheck: cross_entropy with label smoothing catches a backward that forgets the smoothing") {
    // The same loss with a backward for ε = 0: gradcheck must see the difference, so the check
    // above can fail.
    IndexArray targets = {{1, -100, 4}, {0, 2, -100}};
    auto wrong = [targets](const Inputs& x) {
        Tensor smoothed = cross_entropy(x[0], targets, -100, 0.4f);
        Tensor plain = cross_entropy(x[0], targets, -100, 0.0f);
        return plain + Tensor(Array(smoothed.value() - plain.value()));  // value smoothed, gradient not
    };
    CHECK_FALSE(gradcheck("cross_entropy (smoothing forgotten)", wrong, {randn({2, 3, 5}, 64)}).passed);
}
TEST_CASE("gradcheck: mse") {
    check_gradients("mse", [](const Inputs& x) { return mse(x[0], x[1]); },
                    {randn({3, 4}, 62), randn({3, 4}, 63)});
}

TEST_CASE("gradcheck catches a wrong gradient and names the element") {
    // A deliberately broken op: forward x^2, backward claims 3x instead of 2x.
    auto broken = [](const Inputs& x) {
        Tensor y = make_result("broken_square", x[0].value() * x[0].value(), {x[0]});
        y.node().backward = [](Node& self) {
            Node& in = *self.inputs[0];
            in.accumulate(Array(self.grad * 3.0f * in.value));
        };
        return y;
    };
    GradcheckResult r = gradcheck("broken_square", broken, {Array{1.0f, -2.0f, 0.5f}});
    CHECK_FALSE(r.passed);
    CHECK(r.max_error > 0.1);
    CHECK(r.summary().find("FAILED") != std::string::npos);
    CHECK(r.summary().find("broken_square") != std::string::npos);
}

TEST_CASE("the exercise checker reports a learner's xtensor error instead of crashing") {
    Exercise e{"Exercise 9.9",
               "a broken backward",
               "nowhere",
               "look at the shapes",
               [](const Inputs& x) {
                   Tensor y = make_result("broken", x[0].value() * 2.0f, {x[0]});
                   y.node().backward = [](Node& self) {  // broadcasts (4, 5) against (3): xtensor throws
                       self.inputs[0]->accumulate(Array(self.grad * Array(xt::ones<float>({3}))));
                   };
                   return y;
               },
               [](const Inputs& x) { return x[0] * 2.0f; },
               {{4, 5}}};
    ExerciseResult r = check_exercise(e);
    CHECK_FALSE(r.passed);
    CHECK(r.message.find("Exercise 9.9") != std::string::npos);
    CHECK(r.message.find("backward threw an error") != std::string::npos);
}
