// Dropout: during training, zero each element with probability p and scale the survivors by
// 1/(1-p) (so the expected value is unchanged); in evaluation, pass x through untouched.
// It has no parameters; it follows the module's train()/eval() mode.
//
// Randomness: the layer owns its own Rng, seeded from the Rng given to the constructor (one
// draw). Same seed, same masks — and no reference to an Rng that might die first. It registers
// it (Module::named_rngs), so a run that stops and resumes continues with the same masks.
#pragma once

#include <cstdint>

#include <dikkat/nn/module.hpp>
#include <dikkat/random.hpp>

namespace dikkat::nn {

class Dropout : public Module {
  public:
    /// p in [0, 1): the probability of zeroing an element.
    Dropout(float p, Rng& rng);
    Dropout(float p, std::uint64_t seed);

    /// x (any shape) -> same shape. Draws a new mask on every call in training mode.
    Tensor forward(const Tensor& x) const;
    Tensor operator()(const Tensor& x) const { return forward(x); }

    std::string describe() const override;
    float p() const { return p_; }

  private:
    float p_;
    /// mutable: drawing a mask advances the generator, but the generator is not part of what
    /// the layer computes (its parameters and mode), so forward() stays const like every other
    /// layer's — a const model holding a Dropout can still run.
    mutable Rng rng_;
};

}  // namespace dikkat::nn
