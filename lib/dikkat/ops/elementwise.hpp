// Elementwise ops. Binary ops broadcast as NumPy does; their backward sums the gradient
// back to each input's shape (see sum_to in broadcast.hpp).
#pragma once

#include <dikkat/autograd.hpp>

namespace dikkat {

/// \f$ y = a + b \f$; \f$ \partial L/\partial a = \bar y \f$, \f$ \partial L/\partial b = \bar y \f$ (each summed to its shape).
Tensor add(const Tensor& a, const Tensor& b);
/// \f$ y = a - b \f$; \f$ \bar a = \bar y \f$, \f$ \bar b = -\bar y \f$.
Tensor sub(const Tensor& a, const Tensor& b);
/// \f$ y = a \odot b \f$; \f$ \bar a = \bar y \odot b \f$, \f$ \bar b = \bar y \odot a \f$.
Tensor mul(const Tensor& a, const Tensor& b);
/// \f$ y = a / b \f$; \f$ \bar a = \bar y / b \f$, \f$ \bar b = -\bar y \, y / b \f$.
Tensor div(const Tensor& a, const Tensor& b);

/// \f$ y = x + s \f$ for a constant s.
Tensor add(const Tensor& x, float s);
/// \f$ y = x \cdot s \f$ for a constant s; \f$ \bar x = s\,\bar y \f$.
Tensor mul(const Tensor& x, float s);
/// \f$ y = s / x \f$ for a constant s; \f$ \bar x = -\bar y\, y / x \f$.
Tensor rdiv(float s, const Tensor& x);

/// \f$ y = -x \f$.
Tensor neg(const Tensor& x);
/// \f$ y = e^x \f$; \f$ \bar x = \bar y\, y \f$.
Tensor exp(const Tensor& x);
/// \f$ y = \ln x \f$; \f$ \bar x = \bar y / x \f$.
Tensor log(const Tensor& x);
/// \f$ y = \sqrt{x} \f$; \f$ \bar x = \bar y / (2y) \f$.
Tensor sqrt(const Tensor& x);
/// \f$ y = x^p \f$ for a constant p; \f$ \bar x = \bar y\, p\, x^{p-1} \f$.
Tensor pow(const Tensor& x, float p);
/// \f$ y = \tanh x \f$; \f$ \bar x = \bar y\,(1 - y^2) \f$.
Tensor tanh(const Tensor& x);
/// \f$ y = \sigma(x) = 1/(1+e^{-x}) \f$; \f$ \bar x = \bar y\, y(1-y) \f$.
Tensor sigmoid(const Tensor& x);
/// \f$ y = \max(x, 0) \f$; \f$ \bar x = \bar y\,[x > 0] \f$.
Tensor relu(const Tensor& x);
/// \f$ y = x\,\Phi(x) \f$ (exact GELU, with \f$\Phi\f$ the standard normal CDF);
/// \f$ \bar x = \bar y\,(\Phi(x) + x\,\varphi(x)) \f$.
Tensor gelu(const Tensor& x);

inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator-(const Tensor& x) { return neg(x); }
inline Tensor operator+(const Tensor& x, float s) { return add(x, s); }
inline Tensor operator+(float s, const Tensor& x) { return add(x, s); }
inline Tensor operator-(const Tensor& x, float s) { return add(x, -s); }
inline Tensor operator-(float s, const Tensor& x) { return add(neg(x), s); }
inline Tensor operator*(const Tensor& x, float s) { return mul(x, s); }
inline Tensor operator*(float s, const Tensor& x) { return mul(x, s); }
inline Tensor operator/(const Tensor& x, float s) { return mul(x, 1.0f / s); }
inline Tensor operator/(float s, const Tensor& x) { return rdiv(s, x); }

}  // namespace dikkat
