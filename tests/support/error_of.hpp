// The message of the error a call throws — tests compare it with what a learner should read.
#pragma once

#include <string>

#include <dikkat/error.hpp>

/// What `f()` throws as an `E` (a dikkat::Error by default), or "(no error)". Any other
/// exception escapes, so a test also fails when the error has the wrong type.
template <class E = dikkat::Error, class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    return "(no error)";
}
