// The message of the error a call throws — tests compare it with what a learner should read.
#pragma once

#include <string>
#include <vector>

#include <doctest/doctest.h>

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

/// Calls f, expects an E, and checks that its message contains every part.
template <class E, class F>
void check_error(F&& f, const std::vector<std::string>& parts) {
    const std::string msg = error_of<E>(f);
    for (const auto& p : parts) CHECK_MESSAGE(msg.find(p) != std::string::npos, msg, " lacks ", p);
}
