// Layer 2 — typed errors. Library code throws these and never exits or aborts on user input;
// every lesson's main() catches dikkat::Error, prints what(), and exits non-zero.
#pragma once

#include <stdexcept>
#include <string>

namespace dikkat {

/// Base of every error Dikkat throws on purpose. The message says what is wrong and where.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Shapes that an op cannot combine: names the op, both shapes and what was expected.
class ShapeError : public Error {
  public:
    using Error::Error;
};

/// A value out of range, a bad argument, a NaN caught by anomaly mode.
class ValueError : public Error {
  public:
    using Error::Error;
};

/// A file that cannot be read or written, or whose contents are malformed (names the file).
class IoError : public Error {
  public:
    using Error::Error;
};

/// An exercise stub the learner has not written yet: "Exercise 1.2: ... see chapter §..."
class NotImplemented : public Error {
  public:
    using Error::Error;
};

}  // namespace dikkat
