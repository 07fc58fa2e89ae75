#include <dikkat/exercise.hpp>

#include <cmath>
#include <cstdio>
#include <ostream>

#include <dikkat/random.hpp>

namespace dikkat {

namespace {
constexpr double kTolerance = 1e-4;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// "" when equal within tolerance, else a sentence naming the first element that differs.
std::string compare(const std::string& what, const Array& expected, const Array& actual) {
    if (expected.shape() != actual.shape())
        return what + " has shape " + shape_str(actual.shape()) + "; expected " + shape_str(expected.shape());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const double e = expected.data()[i], a = actual.data()[i];
        if (!(std::abs(e - a) <= kTolerance * std::max(1.0, std::abs(e))))
            return what + " differs at " + index_str(expected.shape(), i) + ": expected " + num(e) +
                   ", got " + num(a);
    }
    return "";
}
}  // namespace

ExerciseResult check_exercise(const Exercise& ex, std::uint64_t seed, int trials) {
    const std::string name = ex.id + " (" + ex.title + ")";
    auto fail = [&](const std::string& what) {
        return ExerciseResult{false, name + ": " + what + "\n  hint: " + ex.hint + "\n  see: " + ex.where};
    };
    Rng rng(seed);
    for (int trial = 0; trial < trials; ++trial) {
        std::vector<Array> values;
        for (const Shape& s : ex.input_shapes) values.push_back(rng.normal_array(s));
        auto run = [&](const std::function<Tensor(const std::vector<Tensor>&)>& f,
                       std::vector<Tensor>& inputs) {
            for (const Array& v : values) inputs.emplace_back(v, /*requires_grad=*/true);
            return f(inputs);
        };
        std::vector<Tensor> ref_in, my_in;
        Tensor expected = run(ex.reference, ref_in);
        Tensor actual;
        try {
            actual = run(ex.mine, my_in);
        } catch (const NotImplemented& e) {
            return {false, name + " is not written yet:\n  " + e.what() + "\n  see: " + ex.where};
        } catch (const std::exception& e) {
            return fail(std::string("your function threw an error: ") + e.what());
        }
        if (!actual.defined()) return fail("your function returned an empty Tensor");
        if (std::string msg = compare("the value", expected.value(), actual.value()); !msg.empty())
            return fail(msg + " (forward pass, trial " + std::to_string(trial + 1) + ")");

        // Gradients: the same random seed gradient through both.
        const Array seed_grad = rng.normal_array(expected.shape());
        expected.backward(seed_grad);
        if (!actual.requires_grad())
            return fail(
                "the result does not require a gradient: it is not connected to the "
                "inputs (did you build it from .value() arrays instead of ops?)");
        try {
            actual.backward(seed_grad);
        } catch (const NotImplemented& e) {
            return {false, name + " is not written yet:\n  " + e.what() + "\n  see: " + ex.where};
        } catch (const std::exception& e) {
            return fail(std::string("backward threw an error: ") + e.what() +
                        " (check the shape of what you pass to accumulate)");
        }
        for (std::size_t k = 0; k < values.size(); ++k) {
            const Array zero = xt::zeros<float>(values[k].shape());
            const Array& eg = ref_in[k].has_grad() ? ref_in[k].grad() : zero;
            const Array& ag = my_in[k].has_grad() ? my_in[k].grad() : zero;
            if (std::string msg = compare("the gradient of input " + std::to_string(k), eg, ag); !msg.empty())
                return fail(msg + " (backward pass, trial " + std::to_string(trial + 1) + ")");
        }
    }
    return {true, name + ": values and gradients match on " + std::to_string(trials) + " random inputs"};
}

int run_exercise_checks(const std::vector<Exercise>& exercises, std::ostream& out) {
    int passed = 0, failed = 0;
    for (const Exercise& ex : exercises) {
        ExerciseResult r = check_exercise(ex);
        out << (r.passed ? "PASS " : "FAIL ") << r.message << "\n";
        (r.passed ? passed : failed)++;
    }
    out << "exercises: " << passed << " of " << (passed + failed) << " pass\n";
    return failed == 0 ? 0 : 1;
}

}  // namespace dikkat
