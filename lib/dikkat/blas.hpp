// Which BLAS does Dikkat's matrix products, on which CPU kernels — and making sure they are the
// fast ones.
//
// Every matrix product goes through OpenBLAS's sgemm (ops/matmul.cpp). Debian's OpenBLAS is
// built for many CPUs at once (DYNAMIC_ARCH): when it loads, it reads the CPU's model number
// and picks a set of kernels, its "core" (Haswell, SkylakeX, Cooperlake, Zen, ...). A CPU newer
// than the library is not in its tables — OpenBLAS 0.3.21 does not know Intel's AVX-512-FP16
// generation (Sapphire Rapids) — and it then falls back, silently, to its generic Prescott
// kernels: sgemm at 25–28 GFLOP/s instead of 110–137, every lesson 3× slower.
//
// ensure_fast_core() puts that right before a program does any work:
//
//   1. It asks OpenBLAS which core it runs, and the CPU (CPUID, XGETBV) which instructions it
//      and the operating system support.
//   2. If OpenBLAS fell back to a generic core although a faster one runs on this CPU, it tests
//      that core in a child process: the same program, started again with OPENBLAS_CORETYPE
//      set and DIKKAT_BLAS_PROBE=<our pid>, multiplies matrices of awkward shapes and compares every
//      element with a plain loop. A crash or a hang there cannot take the lesson down.
//   3. If the child agrees, the program restarts itself with OPENBLAS_CORETYPE set (the core is
//      fixed when OpenBLAS loads, so a restart is the only way to change it). A marker in the
//      environment, DIKKAT_BLAS_SELECTED, stops it from ever restarting twice. If the child
//      disagrees, crashes or hangs, the fallback stays and one line on stderr says why.
//
// Your own OPENBLAS_CORETYPE is always respected, and DIKKAT_BLAS_AUTO=0 turns step 2 off.
// Every lesson prints the result in its configuration header and writes it to summary.json:
//
//     blas  OpenBLAS 0.3.21, core Cooperlake (OpenBLAS's own choice), 1 thread
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace dikkat::blas {

// ---- what the CPU can do -------------------------------------------------------------------

/// The instruction-set features that decide which OpenBLAS kernels can run, as CPUID reports
/// them, and whether the operating system saves the wide registers they need (XGETBV): a CPU
/// may support AVX-512 while the OS does not enable it.
struct CpuFeatures {
    std::string vendor;  ///< "GenuineIntel", "AuthenticAMD", ... ("" off x86)
    bool avx = false, avx2 = false, fma = false;
    bool avx512f = false, avx512cd = false, avx512bw = false, avx512dq = false, avx512vl = false;
    bool avx512_bf16 = false;
    bool os_avx = false;     ///< the OS saves the 256-bit YMM registers (XCR0 bits 1–2)
    bool os_avx512 = false;  ///< the OS saves the opmask and 512-bit ZMM registers (XCR0 bits 5–7)
};

/// This machine's features.
CpuFeatures cpu_features();

/// The OpenBLAS 0.3.21 cores faster than the generic ones that run on a CPU with these features,
/// fastest first: "Cooperlake" (AVX-512 with BF16), "SkylakeX" (AVX-512 F/CD/BW/DQ/VL), "Haswell"
/// or, on AMD, "Zen" (AVX2 and FMA), "Sandybridge" (AVX). Empty when only the generic ones run.
std::vector<std::string> runnable_cores(const CpuFeatures& cpu);

/// True for OpenBLAS's generic cores, those written for CPUs before AVX (Prescott, Core2,
/// Nehalem, ...): the ones it falls back to when it does not recognise a CPU.
bool is_generic_core(const std::string& core);

// ---- what OpenBLAS is doing ----------------------------------------------------------------

/// The BLAS in use, for the configuration header of every lesson and its summary.json.
struct Info {
    std::string library;    ///< "OpenBLAS"
    std::string version;    ///< "0.3.21"
    std::string core;       ///< the kernels in use: "Cooperlake"
    int threads = 1;        ///< threads a matrix product is split across (set_num_threads)
    std::string chosen_by;  ///< how the core was chosen, and why it is not a faster one
};

/// What OpenBLAS reports now, and how its core was chosen.
Info info();

/// "OpenBLAS 0.3.21, core Cooperlake (OpenBLAS's own choice), 1 thread"
std::string describe(const Info& info);

/// {"library": "OpenBLAS", "version": "0.3.21", "core": ..., "threads": ..., "chosen_by": ...}
nlohmann::json to_json(const Info& info);

/// How many threads a run uses (n >= 1): a matrix product of at least 2^20 multiply-adds is
/// split by rows across them, each block computed by OpenBLAS on one thread, and Dikkat's
/// row-by-row loops split the same way (parallel.hpp). OpenBLAS itself is kept at one thread, so
/// that the two never compete for the cores.
void set_num_threads(int n);

// ---- choosing a faster core ----------------------------------------------------------------

/// The environment variables the choice depends on ("" when unset).
struct Environment {
    std::string coretype;    ///< OPENBLAS_CORETYPE: yours, or Dikkat's after a restart
    std::string selected;    ///< DIKKAT_BLAS_SELECTED: set by Dikkat with the core it replaced
    std::string autoselect;  ///< DIKKAT_BLAS_AUTO: "0", "off", "no" or "false" turns the choice off
    static Environment current();
};

/// What ensure_fast_core() should do: test the `candidates` in turn (fastest first) and use the
/// first that passes, or — with no candidates — keep the core in use.
struct Decision {
    std::vector<std::string> candidates;  ///< cores to test; empty: keep the current one
    std::string reason;                   ///< why, in words
};

/// The choice, as a pure function of what OpenBLAS runs (`core`), what the CPU can do and the
/// environment — so that tests can feed it any CPU.
Decision decide(const std::string& core, const CpuFeatures& cpu, const Environment& env);

/// What the probe child reported.
struct ProbeResult {
    bool ok = false;
    std::string why;    ///< on failure: "the check crashed (signal 4, Illegal instruction)", ...
    bool hung = false;  ///< it did not finish in time (and was killed)
};

/// Runs this program again (/proc/self/exe) with OPENBLAS_CORETYPE=core and
/// DIKKAT_BLAS_PROBE=<this process's id> and waits up to `timeout_seconds` for its verdict; a
/// child that takes longer is killed. The program must call
/// ensure_fast_core() (or cli::Parser::parse) before any other work: that is where the child
/// runs probe_checks() and exits.
ProbeResult probe_core(const std::string& core, double timeout_seconds = 30.0);

/// The probe itself: products of awkward shapes — transposed or not, beta 0 or 1, edge tiles —
/// through the same sgemm the engine uses, each element compared with a loop in double.
/// Returns "" when all agree, else what disagreed and by how much.
std::string probe_checks();

/// Steps 1–3 above. Call it first thing in main(), with main's arguments (a restart reruns the
/// program with them). cli::Parser::parse(argc, argv) calls it, so every lesson does. It acts
/// once per process; later calls return at once. If a faster core hangs its check, the others
/// are not tried. Returns normally (perhaps after printing one line to stderr); a restart does
/// not return.
void ensure_fast_core(int argc, const char* const* argv);

}  // namespace dikkat::blas
