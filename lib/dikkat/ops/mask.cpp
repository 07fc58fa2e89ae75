#include <dikkat/ops/mask.hpp>

#include <dikkat/ops/broadcast.hpp>

namespace dikkat {

// y = keep ? x : value      dx += keep ? dy : 0
Tensor fill_hidden(const Tensor& x, const Array& keep, float value) {
    if (broadcast_shapes("fill_hidden", x.shape(), keep.shape()) != x.shape())
        throw ShapeError("fill_hidden: keep " + shape_str(keep.shape()) +
                         " must broadcast to the shape of x " + shape_str(x.shape()) +
                         " without making it larger");
    // kept[i] = 1 where x[i] is kept, 0 where it is hidden. A loop, not keep * x + ...:
    // an Inf at a hidden position must not turn into NaN (0 * Inf).
    Array kept = broadcast_to(keep, x.shape());
    Array out(x.shape());
    const float* px = x.value().data();
    float* pk = kept.data();
    float* po = out.data();
    for (std::size_t i = 0; i < out.size(); ++i) {
        pk[i] = pk[i] != 0.0f ? 1.0f : 0.0f;
        po[i] = pk[i] != 0.0f ? px[i] : value;
    }
    Tensor y = make_result("fill_hidden", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [kept = std::move(kept)](Node& self) {
            Array g(self.grad.shape());
            for (std::size_t i = 0; i < g.size(); ++i)  // exactly 0 where hidden, whatever dy is
                g.data()[i] = kept.data()[i] != 0.0f ? self.grad.data()[i] : 0.0f;
            self.inputs[0]->accumulate(std::move(g));
        };
    return y;
}

Array causal_mask(std::size_t T) {
    Array keep = xt::zeros<float>({T, T});  // (Tq, Tk)
    for (std::size_t i = 0; i < T; ++i)
        for (std::size_t j = 0; j <= i; ++j) keep(i, j) = 1.0f;
    return keep;
}

Array padding_mask(const std::vector<std::size_t>& lengths, std::size_t T) {
    Array keep = xt::zeros<float>({lengths.size(), T});  // (B, T)
    for (std::size_t b = 0; b < lengths.size(); ++b) {
        if (lengths[b] > T)
            throw ValueError("padding_mask: sequence " + std::to_string(b) + " has length " +
                             std::to_string(lengths[b]) + ", more than the " + std::to_string(T) +
                             " positions of the mask");
        for (std::size_t t = 0; t < lengths[b]; ++t) keep(b, t) = 1.0f;
    }
    return keep;
}

}  // namespace dikkat
