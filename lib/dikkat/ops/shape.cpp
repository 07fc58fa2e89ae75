#include <dikkat/ops/shape.hpp>

#include <cstring>
#include <numeric>

#include <dikkat/ops/broadcast.hpp>
#include <dikkat/ops/lanes.hpp>

namespace dikkat {

// ---- reshape ------------------------------------------------------------------------------

// y = x viewed as `shape`     dx += dy reshaped to x's shape
Tensor reshape(const Tensor& x, const std::vector<std::ptrdiff_t>& shape) {
    auto requested = [&] {
        std::string s = "(";
        for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
        return s + (shape.size() == 1 ? ",)" : ")");
    };
    Shape out(shape.size());
    std::size_t known = 1, infer = shape.size();
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == -1) {
            if (infer != shape.size())
                throw ShapeError("reshape: only one size may be -1, got " + requested());
            infer = i;
        } else if (shape[i] < 0) {
            throw ShapeError("reshape: negative size in " + requested());
        } else {
            out[i] = static_cast<std::size_t>(shape[i]);
            known *= out[i];
        }
    }
    const std::size_t n = x.numel();
    if (infer != shape.size()) {
        if (known == 0 || n % known != 0)
            throw ShapeError("reshape: cannot reshape " + shape_str(x.shape()) + " (" + std::to_string(n) +
                             " elements) to " + requested() + ": " + std::to_string(n) +
                             " is not a multiple of " + std::to_string(known));
        out[infer] = n / known;
    } else if (known != n) {
        throw ShapeError("reshape: cannot reshape " + shape_str(x.shape()) + " (" + std::to_string(n) +
                         " elements) to " + requested() + " (" + std::to_string(known) +
                         " elements); the element counts must match");
    }
    Array v = x.value();
    v.reshape(out);
    Tensor y = make_result("reshape", std::move(v), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            Node& in = *self.inputs[0];
            Array g = self.take_grad();
            g.reshape(in.value.shape());
            in.accumulate(std::move(g));
        };
    return y;
}

// ---- permute / transpose ------------------------------------------------------------------

namespace {
// x with its axes reordered: output axis i is input axis perm[i]. The output is written in
// order; the trailing output axes that are also contiguous in x (the last axis, when it stays
// last, as in (B, T, H, d) -> (B, H, T, d)) are copied as one run each.
// x_shape is the shape x is read as (its own, or another of the same size: a view).
Array permuted(const float* x, const Shape& x_shape, const std::vector<std::size_t>& perm) {
    const std::size_t nd = perm.size();
    Shape shape(nd);
    std::vector<std::size_t> stride(nd);  // x's step along output axis i
    std::vector<std::size_t> x_stride(nd);
    for (std::size_t i = nd, s = 1; i-- > 0; s *= x_shape[i]) x_stride[i] = s;
    for (std::size_t i = 0; i < nd; ++i) {
        shape[i] = x_shape[perm[i]];
        stride[i] = x_stride[perm[i]];
    }
    Array y(shape);
    if (y.size() == 0) return y;
    std::size_t run = 1, k = nd;  // output axes [k, nd) form one contiguous run of x
    while (k > 0 && stride[k - 1] == run) run *= shape[--k];
    std::vector<std::size_t> index(k, 0);
    const float* src = x;
    float* dst = y.data();
    std::size_t offset = 0;
    for (std::size_t n = y.size() / run; n-- > 0; dst += run) {
        std::memcpy(dst, src + offset, run * sizeof(float));
        for (std::size_t i = k; i-- > 0;) {  // odometer increment over the outer output axes
            offset += stride[i];
            if (++index[i] < shape[i]) break;
            offset -= stride[i] * shape[i];
            index[i] = 0;
        }
    }
    return y;
}
Array permuted(const Array& x, const std::vector<std::size_t>& perm) {
    return permuted(x.data(), x.shape(), perm);
}
}  // namespace

// y = x with axes reordered   dx += dy with the inverse order
Tensor permute(const Tensor& x, const std::vector<std::size_t>& perm) {
    const std::size_t nd = x.dim();
    std::vector<bool> seen(nd, false);
    bool ok = perm.size() == nd;
    for (std::size_t p : perm) ok = ok && p < nd && !seen[p] && (seen[p] = true);
    if (!ok) {
        std::string s = "(";
        for (std::size_t i = 0; i < perm.size(); ++i) s += (i ? ", " : "") + std::to_string(perm[i]);
        throw ShapeError("permute: " + s + ") is not a permutation of the " + std::to_string(nd) +
                         " axes of a tensor of shape " + shape_str(x.shape()));
    }
    Tensor y = make_result("permute", permuted(x.value(), perm), {x});
    if (y.requires_grad()) {
        std::vector<std::size_t> inverse(nd);
        for (std::size_t i = 0; i < nd; ++i) inverse[perm[i]] = i;
        y.node().backward = [inverse](Node& self) {
            self.inputs[0]->accumulate(permuted(self.grad, inverse));
        };
    }
    return y;
}

// y = reshape(permute(reshape(x, view), perm), shape)      dx += the same, backwards
// One copy and one node where the three ops would copy twice or three times.
Tensor permute(const Tensor& x, const Shape& view, const std::vector<std::size_t>& perm, const Shape& shape) {
    const std::size_t nd = view.size();
    std::vector<bool> seen(nd, false);
    bool ok = perm.size() == nd && shape_numel(view) == x.numel();
    for (std::size_t p : perm) ok = ok && p < nd && !seen[p] && (seen[p] = true);
    Shape permuted_view(nd);
    for (std::size_t i = 0; ok && i < nd; ++i) permuted_view[i] = view[perm[i]];
    const Shape out_shape = shape.empty() ? permuted_view : shape;
    if (!ok || shape_numel(out_shape) != x.numel())
        throw ShapeError("permute: cannot read x " + shape_str(x.shape()) + " as " + shape_str(view) +
                         ", reorder its axes by a permutation of " + std::to_string(nd) +
                         " and give it shape " + shape_str(out_shape) +
                         ": the element counts must match and the order be a permutation");
    Array y = permuted(x.value().data(), view, perm);
    y.reshape(out_shape);
    Tensor result = make_result("permute", std::move(y), {x});
    if (result.requires_grad()) {
        std::vector<std::size_t> inverse(nd);
        for (std::size_t i = 0; i < nd; ++i) inverse[perm[i]] = i;
        result.node().backward = [inverse, permuted_view](Node& self) {
            Node& in = *self.inputs[0];
            Array g = permuted(self.grad.data(), permuted_view, inverse);
            g.reshape(in.value.shape());
            in.accumulate(std::move(g));
        };
    }
    return result;
}

Tensor transpose(const Tensor& x, std::ptrdiff_t axis0, std::ptrdiff_t axis1) {
    const std::size_t a = normalize_axis("transpose", axis0, x.dim());
    const std::size_t b = normalize_axis("transpose", axis1, x.dim());
    std::vector<std::size_t> perm(x.dim());
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::swap(perm[a], perm[b]);
    return permute(x, perm);
}

// ---- slice / select ------------------------------------------------------------------------
// A tensor seen as (outer, n, inner) around one axis (see lanes.hpp): slicing copies runs.

namespace {
// The [start, start + len) range of `axis` of a big (outer, n, inner) array, and a compact
// (outer, len, inner) array holding just that range: per outer index, one run of len * inner.
// An empty run copies nothing: an empty array's data() may be null, which memcpy must not get
// even for 0 bytes.

// compact = big[..., start:start+len, ...]      (slice/select forward, concat/stack backward)
void gather_range(const float* big, float* compact, Lanes L, std::size_t start, std::size_t len) {
    const std::size_t run = len * L.inner;
    if (run == 0) return;
    for (std::size_t o = 0; o < L.outer; ++o)
        std::memcpy(compact + o * run, big + (o * L.n + start) * L.inner, run * sizeof(float));
}

// big[..., start:start+len, ...] = compact      (concat/stack forward)
void scatter_range(const float* compact, float* big, Lanes L, std::size_t start, std::size_t len) {
    const std::size_t run = len * L.inner;
    if (run == 0) return;
    for (std::size_t o = 0; o < L.outer; ++o)
        std::memcpy(big + (o * L.n + start) * L.inner, compact + o * run, run * sizeof(float));
}

// big[..., start:start+len, ...] += compact     (slice/select backward)
void add_range(const float* compact, float* big, Lanes L, std::size_t start, std::size_t len) {
    const std::size_t run = len * L.inner;
    for (std::size_t o = 0; o < L.outer; ++o) {
        float* dst = big + (o * L.n + start) * L.inner;
        for (std::size_t i = 0; i < run; ++i) dst[i] += compact[o * run + i];
    }
}
}  // namespace

// y = x[..., start:stop, ...]   dx[..., start:stop, ...] += dy
Tensor slice(const Tensor& x, std::ptrdiff_t axis_, std::size_t start, std::size_t stop) {
    const std::size_t axis = normalize_axis("slice", axis_, x.dim());
    const std::size_t n = x.shape()[axis];
    if (start > stop || stop > n)
        throw ShapeError("slice: range [" + std::to_string(start) + ", " + std::to_string(stop) +
                         ") is out of bounds for axis " + std::to_string(axis) + " of size " +
                         std::to_string(n) + " (shape " + shape_str(x.shape()) + ")");
    Shape out_shape = x.shape();
    out_shape[axis] = stop - start;
    Array out(out_shape);
    const Lanes big = lanes_of(x.shape(), axis);
    gather_range(x.value().data(), out.data(), big, start, stop - start);
    Tensor y = make_result("slice", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [big, start, len = stop - start](Node& self) {
            self.inputs[0]->accumulate_in_place(
                [&](Array& grad) { add_range(self.grad.data(), grad.data(), big, start, len); });
        };
    return y;
}

// y = x[..., index, ...] (axis removed)
Tensor select(const Tensor& x, std::ptrdiff_t axis_, std::size_t index) {
    const std::size_t axis = normalize_axis("select", axis_, x.dim());
    if (index >= x.shape()[axis])
        throw ShapeError("select: index " + std::to_string(index) + " is out of bounds for axis " +
                         std::to_string(axis) + " of size " + std::to_string(x.shape()[axis]) + " (shape " +
                         shape_str(x.shape()) + ")");
    Shape out_shape = x.shape();
    out_shape.erase(out_shape.begin() + static_cast<std::ptrdiff_t>(axis));
    Array out(out_shape);
    const Lanes big = lanes_of(x.shape(), axis);
    gather_range(x.value().data(), out.data(), big, index, 1);
    Tensor y = make_result("select", std::move(out), {x});
    if (y.requires_grad())
        y.node().backward = [big, index](Node& self) {
            self.inputs[0]->accumulate_in_place(
                [&](Array& grad) { add_range(self.grad.data(), grad.data(), big, index, 1); });
        };
    return y;
}

// ---- concat / stack ------------------------------------------------------------------------

// y = [x0, x1, ...] along axis   dx_i += the matching range of dy
Tensor concat(const std::vector<Tensor>& xs, std::ptrdiff_t axis_) {
    if (xs.empty()) throw ShapeError("concat: needs at least one tensor");
    const Shape& first = xs[0].shape();
    const std::size_t axis = normalize_axis("concat", axis_, first.size());
    std::size_t total = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const Shape& s = xs[i].shape();
        bool ok = s.size() == first.size();
        for (std::size_t d = 0; ok && d < s.size(); ++d) ok = d == axis || s[d] == first[d];
        if (!ok)
            throw ShapeError("concat: tensor " + std::to_string(i) + " has shape " + shape_str(s) +
                             " but tensor 0 has shape " + shape_str(first) + "; all sizes except axis " +
                             std::to_string(axis) + " must match");
        total += s[axis];
    }
    Shape out_shape = first;
    out_shape[axis] = total;
    Array out(out_shape);
    const Lanes big = lanes_of(out_shape, axis);
    std::vector<std::size_t> starts;
    std::size_t at = 0;
    for (const Tensor& x : xs) {
        starts.push_back(at);
        scatter_range(x.value().data(), out.data(), big, at, x.shape()[axis]);
        at += x.shape()[axis];
    }
    Tensor y = make_result("concat", std::move(out), xs);
    if (y.requires_grad())
        y.node().backward = [big, starts, axis](Node& self) {
            for (std::size_t i = 0; i < self.inputs.size(); ++i) {
                Node& in = *self.inputs[i];
                if (!in.requires_grad) continue;
                Array g(in.value.shape());
                gather_range(self.grad.data(), g.data(), big, starts[i], in.value.shape()[axis]);
                in.accumulate(std::move(g));
            }
        };
    return y;
}

Tensor stack(const std::vector<Tensor>& xs, std::ptrdiff_t axis_) {
    if (xs.empty()) throw ShapeError("stack: needs at least one tensor");
    const Shape& first = xs[0].shape();
    const std::size_t axis = normalize_axis("stack", axis_, first.size() + 1);
    for (std::size_t i = 1; i < xs.size(); ++i)
        if (xs[i].shape() != first)
            throw ShapeError("stack: tensor " + std::to_string(i) + " has shape " + shape_str(xs[i].shape()) +
                             " but tensor 0 has shape " + shape_str(first) + "; stack needs equal shapes");
    Shape out_shape(first.size() + 1);  // first's sizes with xs.size() inserted at axis
    for (std::size_t d = 0, src = 0; d < out_shape.size(); ++d)
        out_shape[d] = d == axis ? xs.size() : first[src++];
    Array out(out_shape);
    const Lanes big = lanes_of(out_shape, axis);
    for (std::size_t i = 0; i < xs.size(); ++i) scatter_range(xs[i].value().data(), out.data(), big, i, 1);
    Tensor y = make_result("stack", std::move(out), xs);
    if (y.requires_grad())
        y.node().backward = [big](Node& self) {
            for (std::size_t i = 0; i < self.inputs.size(); ++i) {
                Node& in = *self.inputs[i];
                if (!in.requires_grad) continue;
                Array g(in.value.shape());
                gather_range(self.grad.data(), g.data(), big, i, 1);
                in.accumulate(std::move(g));
            }
        };
    return y;
}

}  // namespace dikkat
