// Random numbers that are the same on every compiler and standard library.
//
// std::mt19937's output is fixed by the C++ standard, but std::normal_distribution and
// friends are not: libstdc++ and libc++ turn the same bits into different numbers. So Dikkat
// draws raw 32-bit words from std::mt19937 and does every transformation itself. Same seed,
// same numbers — for initial weights, dropout masks, shuffles and the dataset generators.
//
// A generator's state — everything that decides the numbers still to come — can be written
// out as text and read back (state(), set_state()): how a training run stopped with Ctrl-C
// continues with the very numbers it would have drawn (io/resume.hpp).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <dikkat/tensor.hpp>

namespace dikkat {

class Rng {
  public:
    explicit Rng(std::uint64_t seed = 0) : engine_(static_cast<std::uint32_t>(seed ^ (seed >> 32))) {}

    /// A raw 32-bit word.
    std::uint32_t next_u32() { return static_cast<std::uint32_t>(engine_()); }
    /// Uniform in [0, 1), 24 random bits (exactly representable as float).
    float uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }
    /// Uniform in [lo, hi).
    float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
    /// Uniform integer in [0, n), without modulo bias. n must be > 0.
    std::uint32_t below(std::uint32_t n);
    /// Standard normal (Box–Muller; the second value of each pair is kept for the next call).
    float normal();
    float normal(float mean, float stddev) { return mean + stddev * normal(); }
    /// True with probability p.
    bool bernoulli(float p) { return uniform() < p; }
    /// Fisher–Yates shuffle.
    template <class T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) {
            std::size_t j = below(static_cast<std::uint32_t>(i));
            std::swap(v[i - 1], v[j]);
        }
    }
    /// Index drawn with probability proportional to weights[i] (weights >= 0, not all zero).
    std::size_t categorical(const std::vector<double>& weights);

    /// Arrays of the given shape.
    Array normal_array(const Shape& shape, float mean = 0.0f, float stddev = 1.0f);
    Array uniform_array(const Shape& shape, float lo = 0.0f, float hi = 1.0f);

    /// The generator's state as text: mt19937's 624 words and position, then the Box–Muller
    /// value kept for the next normal() (its bits, so that it comes back exactly).
    std::string state() const;
    /// Continues from a state() text: the numbers drawn next are the ones the saved generator
    /// would have drawn. Throws ValueError (and changes nothing) if `text` is not a state() text.
    void set_state(const std::string& text);

  private:
    std::mt19937 engine_;
    float spare_ = 0.0f;
    bool has_spare_ = false;
};

}  // namespace dikkat
