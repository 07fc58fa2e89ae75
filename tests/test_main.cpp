// The one main() of every doctest executable. Like a lesson, it first makes sure OpenBLAS runs
// a fast core (blas::ensure_fast_core), so the tests run on the kernels the lessons use; with
// -s (print every check) it also says which BLAS that is.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstring>
#include <iostream>

#include <dikkat/blas.hpp>

int main(int argc, char** argv) {
    dikkat::blas::ensure_fast_core(argc, argv);
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "-s") == 0 || std::strcmp(argv[i], "--success") == 0)
            std::cout << "blas: " << dikkat::blas::describe(dikkat::blas::info()) << "\n";
    doctest::Context context(argc, argv);
    return context.run();
}
