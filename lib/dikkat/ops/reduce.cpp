#include <dikkat/ops/reduce.hpp>

#include <algorithm>

#include <dikkat/ops/broadcast.hpp>
#include <dikkat/ops/lanes.hpp>
#include <dikkat/ops/shape.hpp>
#include <dikkat/ops/topk.hpp>

namespace dikkat {

namespace {
// Sorted, de-duplicated, non-negative axes.
std::vector<std::size_t> normalize_axes(const char* op, const std::vector<std::ptrdiff_t>& axes,
                                        std::size_t ndim) {
    std::vector<std::size_t> r;
    for (std::ptrdiff_t a : axes) r.push_back(normalize_axis(op, a, ndim));
    std::sort(r.begin(), r.end());
    if (std::adjacent_find(r.begin(), r.end()) != r.end())
        throw ShapeError(std::string(op) + ": an axis is listed twice");
    return r;
}

// x's shape without the reduced axes.
Shape reduced_shape(const Shape& s, const std::vector<std::size_t>& axes) {
    Shape r;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (std::find(axes.begin(), axes.end(), i) == axes.end()) r.push_back(s[i]);
    return r;
}

// x's shape with the reduced axes set to 1: the shape dy is broadcast from in backward.
Shape kept_shape(const Shape& s, const std::vector<std::size_t>& axes) {
    Shape k = s;
    for (std::size_t a : axes) k[a] = 1;
    return k;
}

Tensor sum_impl(const char* op, const Tensor& x, const std::vector<std::size_t>& axes, bool keepdims,
                float scale) {
    // xt::sum crashes on an empty input: a sum over nothing is zeros of the reduced shape.
    Array v = x.numel() == 0 ? Array(xt::zeros<float>(reduced_shape(x.shape(), axes)))
                             : Array(xt::sum(x.value(), axes, xt::evaluation_strategy::immediate));
    if (scale != 1.0f) v *= scale;
    const Shape keep = kept_shape(x.shape(), axes);
    if (keepdims) v.reshape(keep);
    Tensor y = make_result(op, std::move(v), {x});
    if (y.requires_grad())
        y.node().backward = [keep, scale](Node& self) {
            Node& in = *self.inputs[0];
            Array g = self.take_grad();
            g.reshape(keep);
            if (scale != 1.0f) g *= scale;
            in.accumulate(broadcast_to(g, in.value.shape()));
        };
    return y;
}

std::vector<std::size_t> all_axes(std::size_t ndim) {
    std::vector<std::size_t> a(ndim);
    for (std::size_t i = 0; i < ndim; ++i) a[i] = i;
    return a;
}
}  // namespace

// y = sum(x)                dx += dy (broadcast over the summed axes)
Tensor sum(const Tensor& x) { return sum_impl("sum", x, all_axes(x.dim()), false, 1.0f); }

Tensor sum(const Tensor& x, const std::vector<std::ptrdiff_t>& axes, bool keepdims) {
    return sum_impl("sum", x, normalize_axes("sum", axes, x.dim()), keepdims, 1.0f);
}

// y = sum(x) / n            dx += dy / n
Tensor mean(const Tensor& x) {
    if (x.numel() == 0) throw ShapeError("mean: the tensor is empty " + shape_str(x.shape()));
    return sum_impl("mean", x, all_axes(x.dim()), false, 1.0f / static_cast<float>(x.numel()));
}

Tensor mean(const Tensor& x, const std::vector<std::ptrdiff_t>& axes, bool keepdims) {
    auto ax = normalize_axes("mean", axes, x.dim());
    std::size_t n = 1;
    for (std::size_t a : ax) n *= x.shape()[a];
    if (n == 0) throw ShapeError("mean: reducing over an empty axis of " + shape_str(x.shape()));
    return sum_impl("mean", x, ax, keepdims, 1.0f / static_cast<float>(n));
}

// y = max over a lane       dx[argmax] += dy
Tensor max(const Tensor& x, std::ptrdiff_t axis_, bool keepdims) {
    const std::size_t axis = normalize_axis("max", axis_, x.dim());
    if (x.shape()[axis] == 0) throw ShapeError("max: axis " + std::to_string(axis) + " is empty");
    const Lanes L = lanes_of(x.shape(), axis);
    Shape out_shape = x.shape();
    if (keepdims)
        out_shape[axis] = 1;
    else
        out_shape.erase(out_shape.begin() + static_cast<std::ptrdiff_t>(axis));
    Array out(out_shape);
    const IndexArray best = argmax(x.value(), static_cast<std::ptrdiff_t>(axis));  // position in each lane
    std::vector<std::size_t> arg(L.count());  // flat offset of each lane's maximum
    for (std::size_t l = 0; l < L.count(); ++l) {
        arg[l] = L.start(l) + static_cast<std::size_t>(best.data()[l]) * L.inner;
        out.data()[l] = x.value().data()[arg[l]];
    }
    Tensor y = make_result("max", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [arg = std::move(arg)](Node& self) {
            self.inputs[0]->accumulate_in_place([&](Array& grad) {
                for (std::size_t l = 0; l < arg.size(); ++l) grad.data()[arg[l]] += self.grad.data()[l];
            });
        };
    return y;
}

Tensor max(const Tensor& x) {
    if (x.numel() == 0) throw ShapeError("max: the tensor is empty " + shape_str(x.shape()));
    return max(reshape(x, {-1}), 0, false);
}

}  // namespace dikkat
