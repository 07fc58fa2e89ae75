#include <dikkat/optim/sgd.hpp>

namespace dikkat::optim {

SGD::SGD(std::vector<ParamGroup> groups, SGDOptions options)
    : Optimizer(std::move(groups), options.lr, options.weight_decay), options_(options) {
    if (!(options.momentum >= 0.0f)) throw ValueError("SGD: momentum must be >= 0");
    if (options.nesterov && (options.momentum <= 0.0f || options.dampening != 0.0f))
        throw ValueError("SGD: nesterov needs momentum > 0 and dampening = 0");
}

SGD::SGD(const nn::Module& model, SGDOptions options) : SGD(std::vector<ParamGroup>{group(model)}, options) {}

void SGD::update(Tensor& p, const Group& g, ParamState& state) {
    Array& w = p.mutable_value();
    Array grad = p.grad();
    if (g.weight_decay != 0.0f) grad += g.weight_decay * w;  // L2 term: d/dw (wd/2 |w|^2)
    const float mu = options_.momentum;
    if (mu != 0.0f) {
        auto found = state.buffers.find("momentum_buffer");
        if (found == state.buffers.end()) {
            state.buffers["momentum_buffer"] = grad;  // first step: buf = g
        } else {
            Array& buf = found->second;
            xt::noalias(buf) = mu * buf + (1.0f - options_.dampening) * grad;
        }
        const Array& buf = state.buffers["momentum_buffer"];
        if (options_.nesterov)
            grad += mu * buf;
        else
            grad = buf;
    }
    xt::noalias(w) -= g.lr * grad;
    ++state.step;
}

std::map<std::string, std::string> SGD::hyper() const {
    return {{"momentum", float_str(options_.momentum)},
            {"dampening", float_str(options_.dampening)},
            {"nesterov", options_.nesterov ? "true" : "false"}};
}

}  // namespace dikkat::optim
