// Sequential: layers applied one after another, y = f_n(... f_2(f_1(x))).
//
//     nn::Sequential mlp;
//     mlp.add<nn::Linear>(/*in=*/4, /*out=*/8, rng);     // "0.weight", "0.bias"
//     mlp.add(relu);                                      // "1" (no parameters)
//     mlp.add<nn::Linear>(/*in=*/8, /*out=*/2, rng);     // "2.weight", "2.bias"
//     Tensor y = mlp(x);                                  // (B, 4) -> (B, 2)
//
// Steps are numbered from 0 as in PyTorch's nn.Sequential, functions included, so parameter
// names line up with a PyTorch model built the same way. Each module step must have
// `Tensor forward(const Tensor&)`.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <dikkat/nn/module.hpp>

namespace dikkat::nn {

class Sequential : public Module {
  public:
    using Fn = std::function<Tensor(const Tensor&)>;

    Sequential() = default;

    /// Builds a module in place as the next step and returns it.
    template <class M, class... Args>
    M& add(Args&&... args) {
        return add(std::make_shared<M>(std::forward<Args>(args)...));
    }
    /// Adds an existing module (shared: the caller may keep a handle) as the next step.
    template <class M>
    M& add(std::shared_ptr<M> module) {
        M& m = register_module(std::to_string(steps_.size()), std::move(module));
        M* p = &m;
        steps_.push_back([p](const Tensor& x) { return p->forward(x); });
        kinds_.push_back(m.describe());
        return m;
    }
    /// Adds a parameter-free function (relu, tanh, ...) as the next step.
    Sequential& add(Fn fn, std::string label = "fn");
    Sequential& add(Tensor (*fn)(const Tensor&), std::string label = "fn") {
        return add(Fn(fn), std::move(label));
    }

    /// x -> every step in order.
    Tensor forward(const Tensor& x) const;
    Tensor operator()(const Tensor& x) const { return forward(x); }

    std::size_t size() const { return steps_.size(); }
    std::string describe() const override;

  private:
    std::vector<Fn> steps_;
    std::vector<std::string> kinds_;
};

}  // namespace dikkat::nn
