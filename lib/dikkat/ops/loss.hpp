// Losses: the single number training pushes down.
#pragma once

#include <dikkat/autograd.hpp>
#include <dikkat/ops/nn_ops.hpp>

namespace dikkat {

/// Mean negative log-likelihood of the right class, from unnormalised scores:
/// logits (..., C), targets (...) with ids in [0, C) or `ignore_index` (padding; skipped).
/// \f$ L = -\frac1N \sum_{n} \log \mathrm{softmax}(z_n)_{t_n} \f$ over the N counted positions.
/// Backward: \f$ \bar z_n = \bar L\,(\mathrm{softmax}(z_n) - \mathrm{onehot}(t_n)) / N \f$.
/// If every position is ignored the loss is 0 and so is the gradient. A target that is neither
/// a class id nor `ignore_index` is a ValueError naming it and its position.
///
/// With `label_smoothing` ε > 0 the target is not the one-hot vector but (1 - ε) onehot(t) + ε/C
/// (Szegedy et al., 2016): the model is never asked for probability 1, so its scores stay
/// finite and its probabilities less overconfident.
/// \f$ L_n = (1-\varepsilon)(\log Z_n - z_{n t_n}) + \varepsilon (\log Z_n - \frac1C \sum_c z_{nc}) \f$,
/// backward \f$ \bar z_n = \bar L\,(\mathrm{softmax}(z_n) - (1-\varepsilon)\,\mathrm{onehot}(t_n) - \varepsilon/C) / N \f$.
/// (PyTorch: `F.cross_entropy(z, t, ignore_index=..., label_smoothing=ε)`.) Throws ValueError
/// unless 0 <= ε < 1.
Tensor cross_entropy(const Tensor& logits, const IndexArray& targets, Index ignore_index = -100,
                     float label_smoothing = 0.0f);

/// Mean squared error \f$ L = \frac1n \sum_i (p_i - t_i)^2 \f$; the shapes must be equal and
/// hold at least one element (ShapeError otherwise).
/// \f$ \bar p = \bar L\, 2 (p - t)/n \f$ (and the negative for t when it needs a gradient).
Tensor mse(const Tensor& pred, const Tensor& target);

}  // namespace dikkat
