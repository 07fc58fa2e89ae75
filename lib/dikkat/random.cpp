#include <dikkat/random.hpp>

#include <cmath>
#include <cstring>
#include <sstream>

#include <dikkat/error.hpp>

namespace dikkat {

std::uint32_t Rng::below(std::uint32_t n) {
    if (n == 0) throw ValueError("Rng::below: n must be positive");
    // Reject the top sliver of the 32-bit range that would make some residues likelier.
    const std::uint32_t limit = std::uint32_t(-1) - (std::uint32_t(-1) % n + 1) % n;
    std::uint32_t r;
    do {
        r = next_u32();
    } while (r > limit);
    return r % n;
}

float Rng::normal() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    // Box–Muller in double so the result does not depend on float rounding of log/cos.
    double u1 = (static_cast<double>(next_u32()) + 1.0) / 4294967296.0;  // (0, 1]
    double u2 = static_cast<double>(next_u32()) / 4294967296.0;          // [0, 1)
    double r = std::sqrt(-2.0 * std::log(u1));
    double theta = 6.283185307179586 * u2;
    spare_ = static_cast<float>(r * std::sin(theta));
    has_spare_ = true;
    return static_cast<float>(r * std::cos(theta));
}

std::size_t Rng::categorical(const std::vector<double>& weights) {
    double total = 0.0;
    for (double w : weights) total += w;
    if (!(total > 0.0)) throw ValueError("Rng::categorical: weights must have a positive sum");
    double u = (static_cast<double>(next_u32()) / 4294967296.0) * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (u < weights[i]) return i;
        u -= weights[i];
    }
    // Rounding can leave u a hair above the last positive weight.
    for (std::size_t i = weights.size(); i-- > 0;)
        if (weights[i] > 0.0) return i;
    return 0;
}

Array Rng::normal_array(const Shape& shape, float mean, float stddev) {
    Array a(shape);
    for (float& v : a) v = normal(mean, stddev);
    return a;
}

Array Rng::uniform_array(const Shape& shape, float lo, float hi) {
    Array a(shape);
    for (float& v : a) v = uniform(lo, hi);
    return a;
}

// "mt19937 <624 words and the position> normal <0|1> <the kept value's bits, hex>"
std::string Rng::state() const {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &spare_, sizeof bits);
    std::ostringstream out;
    out << "mt19937 " << engine_ << " normal " << (has_spare_ ? 1 : 0) << ' ' << std::hex << bits;
    return out.str();
}

void Rng::set_state(const std::string& text) {
    std::istringstream in(text);
    std::string engine_tag, normal_tag, rest;
    std::mt19937 engine;
    int has_spare = -1;
    std::uint32_t bits = 0;
    in >> engine_tag >> engine >> normal_tag >> has_spare >> std::hex >> bits;
    if (!in || engine_tag != "mt19937" || normal_tag != "normal" || (has_spare != 0 && has_spare != 1) ||
        (in >> rest))
        throw ValueError(
            "Rng::set_state: not the state of a random generator (expected what Rng::state() "
            "writes: \"mt19937 <its words> normal <0|1> <hex>\"), got \"" +
            text.substr(0, 60) + (text.size() > 60 ? "...\"" : "\""));
    engine_ = engine;
    has_spare_ = has_spare == 1;
    std::memcpy(&spare_, &bits, sizeof bits);
}

}  // namespace dikkat
