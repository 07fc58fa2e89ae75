# Flags shared by every translation unit, and the helpers that add lessons and tests.
#
# xsimd changes xarray's allocator type, so the XTENSOR_USE_XSIMD define and the -march flag
# must be identical everywhere: a mismatch breaks the ODR and makes the compiler silently
# skip the precompiled header. Everything therefore links `dikkat_flags`.

add_library(dikkat_flags INTERFACE)
target_compile_definitions(dikkat_flags INTERFACE XTENSOR_USE_XSIMD)
# -fopenmp-simd: `#pragma omp simd reduction` vectorises the sums of ops/vector_math.hpp (no
# OpenMP runtime, no threads: only the loop annotations are read). -fno-trapping-math: no
# program here reads the floating-point exception flags, and with them out of the way a
# comparison may become a blend, so loops like vec::exp's vectorise. Neither changes a value
# (PyTorch is built with the second too).
# -ffp-contract=off: a*b+c stays a multiply and an add, rounded twice, never one fused
# multiply-add. Both compilers would fuse on their own where the CPU has FMA (GCC from -O2, in
# C++ even with -std=c++17; clang within a statement), wherever inlining lets them, so a value's
# bits would depend on the compiler and on the optimisation level. Off, an expression gives the
# same bits in the tests, compiled at -O1 (below), as in the library at -O3: the kernels' tests
# compare with plain expressions bit for bit.
target_compile_options(dikkat_flags INTERFACE -fopenmp-simd -fno-trapping-math -ffp-contract=off)
target_link_libraries(dikkat_flags INTERFACE xtensor xtensor-blas xsimd ${BLAS_LIBRARIES})
if(DIKKAT_NATIVE)
  target_compile_options(dikkat_flags INTERFACE -march=native -mno-avx512f)
else()
  target_compile_options(dikkat_flags INTERFACE -msse4.2)
endif()
target_compile_options(dikkat_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wdouble-promotion
  $<$<BOOL:${DIKKAT_WERROR}>:-Werror>)
# Linking: with LLVM's lld where it is installed (Debian's lld; .ci/install-deps installs it),
# which links a program in a third of GNU ld's time (a test program: 0.24 s against 0.72 s). A
# build links about 140 programs, and a lesson's rebuild ends with one.
include(CheckLinkerFlag)
check_linker_flag(CXX "-fuse-ld=lld" DIKKAT_HAVE_LLD)
if(DIKKAT_HAVE_LLD)
  target_link_options(dikkat_flags INTERFACE -fuse-ld=lld)
endif()
# Ninja starts as many jobs as there are cores plus two, but a compile here keeps a core busy on
# its own (a unity piece of the library: half a minute and over a gigabyte): on 2 cores four at
# once only take turns, and thrash the caches. At most one compile per core (DIKKAT_COMPILE_JOBS);
# links and the drawing of the images run beside them. A clean build on 2 cores, one after the
# other: 4 min 21 s with four jobs, 3 min 41 s with two (docs/speed.md, Building).
cmake_host_system_information(RESULT dikkat_cores QUERY NUMBER_OF_LOGICAL_CORES)
set(DIKKAT_COMPILE_JOBS ${dikkat_cores} CACHE STRING "Compiles at once (Ninja): default, the number of cores")
set_property(GLOBAL APPEND PROPERTY JOB_POOLS dikkat_compile=${DIKKAT_COMPILE_JOBS})
set(CMAKE_JOB_POOL_COMPILE dikkat_compile)  # the precompiled headers too (CMake's default for them)

if(DIKKAT_SANITIZE)
  target_compile_options(dikkat_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                               -fno-sanitize-recover=undefined)
  target_link_options(dikkat_flags INTERFACE -fsanitize=address,undefined)
endif()

# Code whose speed nobody waits for is compiled with less optimisation than the library's -O3,
# for a shorter build, and gives the same values (no fast-math, no fused multiply-add: above):
# - the dataset generator and a lesson's own files (main.cpp and the files beside it) at -O1 in an
#   optimised build (dikkat_light_opt): a third to a half less compile time than -O3. A lesson's
#   files build its models and run its experiment from the library's parts; the library, where
#   training spends its time, keeps -O3. Lessons 1 and 3-7 at --quick, built both ways, one after
#   the other: the same summary.json to the last digit and the same time within the machine's
#   noise (docs/speed.md, Building);
# - the test programs' own code at -O0 in every build (dikkat_test_opt): under GCC a third less
#   compile time than -O1, under clang (the sanitizers) two thirds, and the unit tests, which
#   spend their time in the library, ran in 22 s one after another against 17 at -O1. A
#   precompiled header records whether it was optimised, so the tests read their own,
#   dikkat_test_main's (tests/CMakeLists.txt).
# Such a program links the library first, whole (dikkat_library_first): of a template both
# compile (an xarray's constructor, an assignment loop) the linker keeps the copy it meets first,
# so the library runs its own optimised code, not the program's copy.
add_library(dikkat_library_first INTERFACE)
target_link_options(dikkat_library_first INTERFACE "LINKER:--whole-archive" "$<TARGET_FILE:dikkat>"
                    "LINKER:--no-whole-archive")
set(DIKKAT_LIGHT_OPT "$<$<CONFIG:Release>:-O1>")
add_library(dikkat_light_opt INTERFACE)
target_compile_options(dikkat_light_opt INTERFACE ${DIKKAT_LIGHT_OPT})
target_link_libraries(dikkat_light_opt INTERFACE dikkat_library_first)
add_library(dikkat_test_opt INTERFACE)
target_compile_options(dikkat_test_opt INTERFACE -O0)
target_link_libraries(dikkat_test_opt INTERFACE dikkat_library_first)

# The fuzz build (tests/fuzz/, preset fuzz): the library gets libFuzzer's coverage instrumentation
# and both sanitizers; each fuzz target links libFuzzer's main (tests/fuzz/CMakeLists.txt).
if(DIKKAT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DIKKAT_FUZZ needs clang, whose libFuzzer it links: cmake --preset fuzz uses clang++-14 "
                        "(.ci/install-clang installs it)")
  endif()
  target_compile_options(dikkat_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                               -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(dikkat_flags INTERFACE -fsanitize=address,undefined)
endif()
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  # clang's -Wdouble-promotion also flags a double initialised from a float (`const double d = f;`),
  # a widening that is exact and meant, where GCC's flags only the promotions inside arithmetic and
  # calls it exists to catch: off with clang (GCC keeps its own).
  target_compile_options(dikkat_flags INTERFACE -Wno-double-promotion)
  if(DIKKAT_SANITIZE OR DIKKAT_FUZZ)
    # The sanitizers' checks inside a `#pragma omp simd` loop keep it from vectorising, which
    # -Wpass-failed reports: speed does not matter in a sanitized build.
    target_compile_options(dikkat_flags INTERFACE -Wno-pass-failed)
  endif()
endif()

# What the sanitizer preset runs (ctest --preset asan: labels unit, gradcheck and quick) needs
# the unit and gradient-check programs and the lessons, not every program: `dikkat_sanitized`
# builds just those (cmake --build --preset asan builds it). A sanitized compile is slow.
add_custom_target(dikkat_sanitized)

# The lessons' precompiled header: xtensor, as the library's (tensor.hpp), and also every header
# of the library and the standard headers a lesson includes. A lesson's main.cpp is the file a
# learner edits and rebuilds; reading those headers was a quarter of its compile (docs/speed.md,
# Building). Not the JSON library: the library's headers declare JSON only (json_fwd.hpp), and a
# lesson's main.cpp fills its summary with io::JsonObject. Even precompiled, <nlohmann/json.hpp>
# costs every file that includes it most of a second: the parser behind its `_json` literal is
# compiled again at the end of each one. The files beside a lesson's main.cpp that read or write
# JSON include it themselves. Only the lessons' own files read this header: loading it costs half
# a second, more than the small exercise files and checkers spend reading the few headers they
# include, so they keep the library's. The library's own files are compiled with their headers
# as they are, so that every warning in them shows: a precompiled header counts as a system
# header, whose warnings the compiler keeps quiet.
file(GLOB_RECURSE DIKKAT_LESSON_PCH_HEADERS CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/lib/dikkat/*.hpp")
list(APPEND DIKKAT_LESSON_PCH_HEADERS <filesystem> <fstream> <iostream> <sstream>)
set(pch_source "${PROJECT_BINARY_DIR}/dikkat_lesson_pch.cpp")
if(NOT EXISTS "${pch_source}")
  file(WRITE "${pch_source}" "// Compiled only to build the lessons' precompiled header (cmake/DikkatTargets.cmake).\n")
endif()
add_library(dikkat_lesson_pch OBJECT EXCLUDE_FROM_ALL "${pch_source}")
target_link_libraries(dikkat_lesson_pch PRIVATE dikkat)
target_precompile_headers(dikkat_lesson_pch PRIVATE ${DIKKAT_LESSON_PCH_HEADERS})

# dikkat_runs(program target ...): program runs what these targets build (a helper program, a
# preloaded library, lesson 7's drawn images), so building program builds them first. With Ninja,
# only program's link waits for them (LINK_DEPENDS on the file each one makes). add_dependencies()
# would hold back compiling program's own files too: test_unit's piece, a minute of compiling,
# waited for two small programs that wait for the library, and then ran alone at the end of a clean
# build (docs/speed.md, Building). Other generators take add_dependencies(). A custom target names
# the file it makes in its property DIKKAT_OUTPUT.
function(dikkat_runs program)
  foreach(t IN LISTS ARGN)
    if(NOT CMAKE_GENERATOR MATCHES "Ninja")
      add_dependencies(${program} ${t})
      continue()
    endif()
    get_target_property(type ${t} TYPE)
    if(type STREQUAL "UTILITY")
      get_target_property(file ${t} DIKKAT_OUTPUT)
      if(NOT file)
        message(FATAL_ERROR "dikkat_runs(${program} ${t}): custom target ${t} has no DIKKAT_OUTPUT property")
      endif()
    else()
      set(file "$<TARGET_FILE:${t}>")
    endif()
    set_property(TARGET ${program} APPEND PROPERTY LINK_DEPENDS "${file}")
  endforeach()
endfunction()

# dikkat_lesson(NN_name [SOURCES extra.cpp ...]
#               [EXERCISES my_x.cpp ... SOLUTIONS solutions/my_x.cpp ... CHECK check.cpp]
#               [QUICK_ARGS --flag value ... QUICK_NEEDS run_NN_other ...]
#               [SANITIZE_ARGS --steps 40 ...])
# One executable per lesson, named after its folder, built into build/lessons/, and a smoke
# test that runs it with --quick into build/test-runs/NN_name (fixture run_NN_name: the
# lesson's test in tests/lessons/ reads the summary.json it wrote and checks the claim).
# QUICK_ARGS are added to that run (say, another lesson's test run to compare with), and
# QUICK_NEEDS names the fixtures it needs (that lesson's run_NN_other). In the sanitizer build,
# where a lesson runs 15 to 20 times slower, SANITIZE_ARGS shorten that run further: fewer steps
# of the same code, so that every part of the lesson still runs under the sanitizers.
# With exercises: the lesson and build/lessons/NN_name_check are built with the learner's
# files (the stubs); a second checker built with the reference solutions is a test.
function(dikkat_lesson name)
  cmake_parse_arguments(L "" "" "SOURCES;EXERCISES;SOLUTIONS;CHECK;QUICK_ARGS;QUICK_NEEDS;SANITIZE_ARGS" ${ARGN})
  if(DIKKAT_SANITIZE)
    list(APPEND L_QUICK_ARGS ${L_SANITIZE_ARGS})
  endif()
  set(bin "${PROJECT_BINARY_DIR}/lessons")
  add_executable(${name} main.cpp ${L_SOURCES})
  # A lesson's own files only call what does the work, the library: -O1 (above) makes the build and
  # the edit-run loop shorter.
  set_source_files_properties(main.cpp ${L_SOURCES} PROPERTIES COMPILE_OPTIONS "${DIKKAT_LIGHT_OPT}")
  target_link_libraries(${name} PRIVATE dikkat dikkat_library_first)
  target_precompile_headers(${name} REUSE_FROM dikkat_lesson_pch)
  # The learner's exercise files and the checker's main are compiled once each, then linked
  # into every program that uses them (the lesson and its checker; the checker of the solutions).
  if(L_EXERCISES)
    add_library(${name}_exercises OBJECT ${L_EXERCISES})
    target_link_libraries(${name}_exercises PRIVATE dikkat)
    target_precompile_headers(${name}_exercises REUSE_FROM dikkat)
    target_sources(${name} PRIVATE $<TARGET_OBJECTS:${name}_exercises>)
  endif()
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${bin}")
  add_dependencies(dikkat_sanitized ${name})
  # One thread: ctest runs two tests at a time on two cores, where a lesson's second thread would
  # only wait for the other test (lessons 5-7 at --quick: 156 s of CPU at one thread, 224 at two).
  # A lesson's numbers are the same at any thread count (tests/unit/test_parallel.cpp).
  add_test(NAME "lesson ${name} runs --quick"
           COMMAND ${name} --quick --threads 1 --out "${PROJECT_BINARY_DIR}/test-runs/${name}" ${L_QUICK_ARGS}
           WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
  set_tests_properties("lesson ${name} runs --quick" PROPERTIES LABELS "lesson;quick" FIXTURES_SETUP run_${name})
  if(DIKKAT_SANITIZE)  # lesson 6 computes features of every review it classifies: minutes under ASan
    set_tests_properties("lesson ${name} runs --quick" PROPERTIES TIMEOUT 3600)
  endif()
  if(L_QUICK_NEEDS)
    set_tests_properties("lesson ${name} runs --quick" PROPERTIES FIXTURES_REQUIRED "${L_QUICK_NEEDS}")
  endif()
  if(L_CHECK)
    add_library(${name}_checker OBJECT ${L_CHECK})
    add_executable(${name}_check $<TARGET_OBJECTS:${name}_checker> $<TARGET_OBJECTS:${name}_exercises>)
    add_executable(${name}_check_solutions $<TARGET_OBJECTS:${name}_checker> ${L_SOLUTIONS})
    foreach(t ${name}_checker ${name}_check ${name}_check_solutions)
      target_link_libraries(${t} PRIVATE dikkat)
      target_precompile_headers(${t} REUSE_FROM dikkat)
    endforeach()
    set_target_properties(${name}_check PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${bin}")
    set_target_properties(${name}_check_solutions PROPERTIES
                          RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/tests/exercises")
    add_test(NAME "exercises of ${name}: the checker passes with the reference solutions"
             COMMAND ${name}_check_solutions)
    set_tests_properties("exercises of ${name}: the checker passes with the reference solutions"
                         PROPERTIES LABELS exercise)
  endif()
endfunction()

# The doctest programs: one per label, built into build/tests/ (tests/CMakeLists.txt makes them),
# each holding the test files of every folder under tests/ that carry that label. Every TEST_CASE
# becomes its own ctest test with the program's label. Fewer, larger programs build faster: a
# program's files are compiled as one piece of up to 64 files (DIKKAT_UNITY), so the xtensor, JSON
# and doctest code they all use is generated once and linked once, where 27 small programs in
# pieces of sixteen generated it 27 times: compiling tests/ went from 227 s to 112 s of CPU
# (docs/speed.md, Building). The price: an edit to one test file recompiles its program's whole
# piece, about 45 s for test_unit (-DDIKKAT_UNITY=OFF compiles each file by itself). A test file
# whose file-scope names would clash with another's in the piece opens a namespace of its own
# around its cases (tests/lm/lm_test_util.hpp).
#
# dikkat_test_program(name LABELS label [CASE_FIXTURES "case name start" fixture,fixture ...])
# CASE_FIXTURES: pairs of the start of a case's name and the fixtures (lesson runs) of the cases
# whose names start so ("lesson 03 --quick:" needs lesson 2's and lesson 3's runs), so that
# `ctest -R "lesson 03"` runs only the lesson runs it reads.
function(dikkat_test_program name)
  cmake_parse_arguments(T "" "" "LABELS;CASE_FIXTURES" ${ARGN})
  add_executable(${name})
  set_target_properties(${name} PROPERTIES UNITY_BUILD ${DIKKAT_UNITY} UNITY_BUILD_BATCH_SIZE 64)
  target_link_libraries(${name} PRIVATE dikkat doctest::doctest dikkat_test_main dikkat_test_opt)
  target_precompile_headers(${name} REUSE_FROM dikkat_test_main)
  if(T_LABELS MATCHES "unit|gradcheck")
    add_dependencies(dikkat_sanitized ${name})
  endif()
  doctest_discover_tests(${name} PROPERTIES WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
  # doctest_discover_tests writes its PROPERTIES out one list element at a time, so a list value
  # (two fixtures, two labels) would lose its second element and every property after it. These
  # are set by a file ctest reads after doctest's list of the tests (${name}_TESTS), each value whole.
  set(properties "${CMAKE_CURRENT_BINARY_DIR}/${name}_properties.cmake")
  file(WRITE "${properties}"
       "if(${name}_TESTS)\n"
       "  set_tests_properties(\${${name}_TESTS} PROPERTIES\n"
       "    LABELS [==[${T_LABELS}]==]\n"
       "    ENVIRONMENT [==[DIKKAT_BUILD_DIR=${PROJECT_BINARY_DIR}]==])\n"
       "endif()\n")
  list(LENGTH T_CASE_FIXTURES n)
  math(EXPR odd "${n} % 2")
  if(odd)
    message(FATAL_ERROR "dikkat_test_program(${name}): CASE_FIXTURES takes pairs: the start of a case's name, "
                        "then its fixtures separated by commas")
  endif()
  while(T_CASE_FIXTURES)
    list(POP_FRONT T_CASE_FIXTURES start fixtures)
    string(REPLACE "," ";" fixtures "${fixtures}")
    file(APPEND "${properties}"
         "set(found FALSE)\n"
         "foreach(t IN LISTS ${name}_TESTS)\n"
         "  string(FIND \"\${t}\" [==[${start}]==] at)\n"
         "  if(at EQUAL 0)\n"
         "    set_tests_properties(\"\${t}\" PROPERTIES FIXTURES_REQUIRED [==[${fixtures}]==])\n"
         "    set(found TRUE)\n"
         "  endif()\n"
         "endforeach()\n"
         "if(${name}_TESTS AND NOT found)\n"
         "  message(WARNING [==[${name}: no test case's name starts with '${start}' (CASE_FIXTURES in tests/CMakeLists.txt)]==])\n"
         "endif()\n")
  endwhile()
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${properties}")
endfunction()

# dikkat_test(program SOURCES a.cpp b.cpp ...), in a folder under tests/: adds those files to a
# test program of dikkat_test_program (test_unit, test_gradcheck, test_data, test_lessons).
function(dikkat_test program)
  cmake_parse_arguments(T "" "" "SOURCES" ${ARGN})
  # ctest splits a test name at ';' and would then run no case at all, and pass: refuse such names.
  # (An unbalanced '[' or ']' breaks CMake's reading of the file's test list too: keep them paired.)
  foreach(src IN LISTS T_SOURCES)
    file(STRINGS "${CMAKE_CURRENT_SOURCE_DIR}/${src}" bad REGEX "TEST_CASE\\(\"[^\"]*;")
    if(bad)
      message(FATAL_ERROR "${src}: a TEST_CASE name holds ';', which ctest would split into names that run "
                          "nothing: ${bad}")
    endif()
  endforeach()
  list(TRANSFORM T_SOURCES PREPEND "${CMAKE_CURRENT_SOURCE_DIR}/")
  target_sources(${program} PRIVATE ${T_SOURCES})
endfunction()
