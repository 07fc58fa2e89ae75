# Flags shared by every translation unit, and the helpers that add lessons and tests.
#
# xsimd changes xarray's allocator type, so the XTENSOR_USE_XSIMD define and the -march flag
# must be identical everywhere: a mismatch breaks the ODR and makes the compiler silently
# skip the precompiled header. Everything therefore links `dikkat_flags`.

add_library(dikkat_flags INTERFACE)
target_compile_definitions(dikkat_flags INTERFACE XTENSOR_USE_XSIMD)
target_link_libraries(dikkat_flags INTERFACE xtensor xtensor-blas xsimd ${BLAS_LIBRARIES})
if(DIKKAT_NATIVE)
  target_compile_options(dikkat_flags INTERFACE -march=native -mno-avx512f)
else()
  target_compile_options(dikkat_flags INTERFACE -msse4.2)
endif()
target_compile_options(dikkat_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion
  $<$<BOOL:${DIKKAT_WERROR}>:-Werror>)
if(DIKKAT_SANITIZE)
  target_compile_options(dikkat_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                               -fno-sanitize-recover=undefined)
  target_link_options(dikkat_flags INTERFACE -fsanitize=address,undefined)
endif()

# dikkat_lesson(NN_name [SOURCES extra.cpp ...])
# One executable per lesson, named after its folder, built into build/lessons/, plus a smoke
# test that runs it with --quick (the lesson's tests/ check the numbers it writes).
function(dikkat_lesson name)
  cmake_parse_arguments(L "" "" "SOURCES" ${ARGN})
  add_executable(${name} main.cpp ${L_SOURCES})
  target_link_libraries(${name} PRIVATE dikkat)
  target_precompile_headers(${name} REUSE_FROM dikkat)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/lessons")
endfunction()

# dikkat_test(name LABELS unit;gradcheck SOURCES a.cpp b.cpp)
# One doctest executable; every TEST_CASE becomes its own ctest test with the given labels.
function(dikkat_test name)
  cmake_parse_arguments(T "" "" "LABELS;SOURCES" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE dikkat doctest::doctest dikkat_test_main)
  target_precompile_headers(${name} REUSE_FROM dikkat)
  doctest_discover_tests(${name} PROPERTIES LABELS "${T_LABELS}"
                         WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
endfunction()
