#include <dikkat/gradcheck.hpp>

#include <cmath>
#include <cstdio>

#include <dikkat/random.hpp>

namespace dikkat {

namespace {
// L = sum(y * R), accumulated in double.
double weighted_sum(const Array& y, const Array& R) {
    double s = 0.0;
    for (std::size_t i = 0; i < y.size(); ++i)
        s += static_cast<double>(y.data()[i]) * static_cast<double>(R.data()[i]);
    return s;
}
}  // namespace

std::string GradcheckResult::summary() const {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%s: max error %.2e at input %zu %s (analytic %.6g, numeric %.6g) over %zu elements — %s",
                  name.c_str(), max_error, input, index.c_str(), analytic, numeric, checked,
                  passed ? "ok" : "FAILED");
    return buf;
}

GradcheckResult gradcheck(const std::string& name, const std::function<Tensor(const std::vector<Tensor>&)>& f,
                          const std::vector<Array>& inputs, GradcheckOptions options) {
    GradcheckResult result;
    result.name = name;

    // Analytic gradients: one backward() of L = sum(f(x) * R).
    std::vector<Tensor> xs;
    for (const Array& a : inputs) xs.emplace_back(a, /*requires_grad=*/true);
    Tensor y = f(xs);
    Rng rng(options.seed);
    const Array R = rng.normal_array(y.shape());
    y.backward(R);

    for (std::size_t k = 0; k < inputs.size(); ++k) {
        const Array analytic = xs[k].has_grad() ? xs[k].grad() : Array(xt::zeros<float>(inputs[k].shape()));
        for (std::size_t i = 0; i < inputs[k].size(); ++i) {
            // Numeric: perturb one element, rerun f without building a graph.
            auto evaluate = [&](float delta) {
                NoGrad no_grad;
                std::vector<Tensor> moved;
                for (std::size_t j = 0; j < inputs.size(); ++j) {
                    Array a = inputs[j];
                    if (j == k) a.data()[i] += delta;
                    moved.emplace_back(std::move(a));
                }
                return weighted_sum(f(moved).value(), R);
            };
            // The step actually taken, after rounding x + eps to float.
            const float x0 = inputs[k].data()[i];
            const double step = static_cast<double>((x0 + options.eps) - (x0 - options.eps));
            const double numeric = (evaluate(options.eps) - evaluate(-options.eps)) / step;
            const double a = analytic.data()[i];
            const double err = std::abs(a - numeric) / std::max({std::abs(a), std::abs(numeric), 1.0});
            ++result.checked;
            if (err > result.max_error || result.index.empty()) {
                result.max_error = err;
                result.input = k;
                result.index = index_str(inputs[k].shape(), i);
                result.analytic = a;
                result.numeric = numeric;
            }
        }
    }
    result.passed = result.max_error <= options.tolerance;
    return result;
}

}  // namespace dikkat
