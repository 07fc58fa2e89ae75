// What a lesson does first, and nothing else: ensure_fast_core(), then print the BLAS in use.
// The tests in test_blas.cpp run it under fake_fallback (LD_PRELOAD) and read what it says.
#include <iostream>

#include <dikkat/blas.hpp>

int main(int argc, char** argv) {
    dikkat::blas::ensure_fast_core(argc, argv);
    std::cout << "blas: " << dikkat::blas::describe(dikkat::blas::info()) << std::endl;
    return 0;
}
