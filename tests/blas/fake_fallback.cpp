// A stand-in for a CPU that OpenBLAS does not recognise, for the tests of blas::ensure_fast_core.
// Loaded with LD_PRELOAD in front of the real OpenBLAS, it changes two things:
//
//   openblas_get_corename()  says "Prescott" (the generic fallback) unless OPENBLAS_CORETYPE is
//                            set — as OpenBLAS 0.3.21 does on a Sapphire Rapids CPU. With
//                            FAKE_FALLBACK_STUCK=1 it says "Prescott" even then (a library
//                            that ignores OPENBLAS_CORETYPE: the restart must not loop).
//   cblas_sgemm()            misbehaves on the candidate core (OPENBLAS_CORETYPE set) when
//                            FAKE_FALLBACK_FAULT is "wrong" (one element off by 1), "crash"
//                            (SIGSEGV) or "hang" (never returns) — the failures the probe
//                            must survive.
//
// Everything else is the real OpenBLAS, found with dlsym(RTLD_NEXT).
#include <dlfcn.h>
#include <signal.h>
#include <unistd.h>

#include <cblas.h>
#include <cstdlib>
#include <cstring>

namespace {
template <class F>
F real(const char* name) {
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}
bool is(const char* var, const char* value) {
    const char* v = std::getenv(var);
    return v && std::strcmp(v, value) == 0;
}
}  // namespace

extern "C" char* openblas_get_corename(void) {
    static char prescott[] = "Prescott";
    if (!std::getenv("OPENBLAS_CORETYPE") || is("FAKE_FALLBACK_STUCK", "1")) return prescott;
    return real<char* (*)(void)>("openblas_get_corename")();
}

extern "C" void cblas_sgemm(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE ta,
                            const enum CBLAS_TRANSPOSE tb, const blasint M, const blasint N, const blasint K,
                            const float alpha, const float* A, const blasint lda, const float* B,
                            const blasint ldb, const float beta, float* C, const blasint ldc) {
    using Sgemm = void (*)(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, float,
                           const float*, blasint, const float*, blasint, float, float*, blasint);
    const bool candidate = std::getenv("OPENBLAS_CORETYPE") != nullptr;
    if (candidate && is("FAKE_FALLBACK_FAULT", "crash")) raise(SIGSEGV);
    if (candidate && is("FAKE_FALLBACK_FAULT", "hang"))
        for (;;) pause();
    real<Sgemm>("cblas_sgemm")(order, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    if (candidate && is("FAKE_FALLBACK_FAULT", "wrong") && M > 0 && N > 0) C[0] += 1.0f;
}
