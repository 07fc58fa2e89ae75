#include <dikkat/ops/broadcast.hpp>

#include <algorithm>
#include <vector>

#include <dikkat/error.hpp>

namespace dikkat {

Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b) {
    if (a == b) return a;
    const std::size_t n = std::max(a.size(), b.size());
    Shape out(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Walk from the right; a missing leading axis acts as size 1.
        std::size_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
        std::size_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (da != db && da != 1 && db != 1)
            throw ShapeError(std::string(op) + ": shapes " + shape_str(a) + " and " + shape_str(b) +
                             " do not broadcast: axis -" + std::to_string(i + 1) + " has sizes " +
                             std::to_string(da) + " and " + std::to_string(db) +
                             "; sizes must be equal or one of them 1");
        out[n - 1 - i] = da == 1 ? db : da;  // a size-1 axis stretches (also to size 0)
    }
    return out;
}

Array sum_to(const Array& g, const Shape& shape) {
    if (g.shape() == shape) return g;
    if (g.size() == 0) return xt::zeros<float>(shape);  // a sum over nothing (xt::sum would crash)
    const std::size_t lead = g.dimension() - shape.size();
    std::vector<std::size_t> axes;
    for (std::size_t i = 0; i < g.dimension(); ++i)
        if (i < lead || (shape[i - lead] == 1 && g.shape()[i] != 1)) axes.push_back(i);
    Array s = xt::sum(g, axes, xt::evaluation_strategy::immediate);
    s.reshape(shape);
    return s;
}

BroadcastRows broadcast_rows(const Shape& from, const Shape& to) {
    BroadcastRows plan;
    const std::size_t nd = to.size(), nf = from.size();
    plan.n = nd == 0 ? 1 : to[nd - 1];
    const std::size_t rows = plan.n == 0 ? 0 : shape_numel(to) / plan.n;
    plan.offset.resize(rows);
    if (rows == 0) return plan;
    // from's step along each axis of `to`: 0 where from is repeated
    std::vector<std::size_t> step(std::max<std::size_t>(nd, 1), 0);
    for (std::size_t i = 0, s = 1; i < nf; ++i) {
        const std::size_t size = from[nf - 1 - i];
        step[nd - 1 - i] = size == 1 ? 0 : s;
        s *= size;
    }
    plan.step = nd == 0 ? 0 : step[nd - 1];
    std::vector<std::size_t> index(nd, 0);
    std::size_t offset = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        plan.offset[r] = offset;
        for (std::size_t i = nd == 0 ? 0 : nd - 1; i-- > 0;) {  // the next row: an odometer
            offset += step[i];
            if (++index[i] < to[i]) break;
            offset -= step[i] * to[i];
            index[i] = 0;
        }
    }
    return plan;
}

Array broadcast_to(const Array& a, const Shape& shape) {
    Array out(shape);
    const BroadcastRows plan = broadcast_rows(a.shape(), shape);
    for (std::size_t r = 0; r < plan.offset.size(); ++r) {
        float* row = out.data() + r * plan.n;
        if (plan.step == 1)
            std::copy_n(a.data() + plan.offset[r], plan.n, row);
        else
            std::fill_n(row, plan.n, a.data()[plan.offset[r]]);
    }
    return out;
}

std::size_t normalize_axis(const char* op, std::ptrdiff_t axis, std::size_t ndim) {
    const auto n = static_cast<std::ptrdiff_t>(ndim);
    if (axis < -n || axis >= n)
        throw ShapeError(std::string(op) + ": axis " + std::to_string(axis) +
                         " is out of range for a tensor with " + std::to_string(ndim) +
                         " dimensions (valid: " + std::to_string(-n) + " to " + std::to_string(n - 1) + ")");
    return static_cast<std::size_t>(axis < 0 ? axis + n : axis);
}

}  // namespace dikkat
