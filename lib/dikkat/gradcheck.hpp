// Layer 5 — checking analytic gradients against finite differences.
//
// For a function f of some input tensors, gradcheck compares the gradient backward()
// computes with the central difference
//     dL/dx_i  ≈  (L(x + eps e_i) - L(x - eps e_i)) / (2 eps)
// for every element of every input, where L = sum(f(x) * R) with a fixed random R (so every
// output element takes part, with its own weight). It reports the worst element.
//
// Why eps = 1e-2 and a tolerance of 5e-3, not 1e-6: Dikkat computes in float32, which keeps
// about 7 significant digits. The difference L(x+eps) - L(x-eps) cancels most of them: with
// eps = 1e-4 only about three would be left. eps = 1e-2 keeps about five, while the error of
// the central difference itself (eps^2 f''' / 6) stays near 1e-5 for smooth ops. L is summed
// in double so the sum adds no error of its own. The error measure is
//     |analytic - numeric| / max(|analytic|, |numeric|, 1)
// — relative for large gradients, absolute for small ones (a relative error of two numbers
// near zero says nothing). Dikkat's own ops measure between 1e-7 and 4e-4 (the largest for
// 1/x, whose third derivative is large); a wrong gradient (a missing factor, a sign, a dropped
// broadcast sum) is off by 0.1 or more, far above the tolerance.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <dikkat/autograd.hpp>

namespace dikkat {

struct GradcheckOptions {
    float eps = 1e-2f;        ///< finite-difference step
    double tolerance = 5e-3;  ///< largest acceptable error (see the measure above)
    std::uint64_t seed = 0;   ///< for the random output weights R
};

struct GradcheckResult {
    std::string name;  ///< what was checked (an op name, usually)
    bool passed = true;
    double max_error = 0.0;   ///< worst error over all elements of all inputs
    std::size_t input = 0;    ///< which input holds the worst element
    std::string index;        ///< its index, e.g. "[1, 2]"
    double analytic = 0.0;    ///< backward()'s value there
    double numeric = 0.0;     ///< the central difference there
    std::size_t checked = 0;  ///< number of elements compared
    /// "tanh: max error 3.1e-04 at input 0 [1, 2] (analytic 0.41998, numeric 0.41985) — ok"
    std::string summary() const;
};

/// Compares backward() with central differences for every element of `inputs`.
/// `f` must be deterministic (dropout: pass a freshly seeded Rng inside f).
GradcheckResult gradcheck(const std::string& name, const std::function<Tensor(const std::vector<Tensor>&)>& f,
                          const std::vector<Array>& inputs, GradcheckOptions options = {});

}  // namespace dikkat
