# Every dependency comes from Debian 12 and is found with find_package.

# BLAS must be OpenBLAS. A fresh Debian image has the reference BLAS, which FindBLAS would
# link quietly; it is many times slower for the matrix products every lesson is made of.
set(BLA_VENDOR OpenBLAS)
find_package(BLAS)
if(NOT BLAS_FOUND)
  message(FATAL_ERROR
    "OpenBLAS was not found. Dikkat does its matrix products through OpenBLAS and refuses the "
    "slow reference BLAS.\n  Install it with:  sudo apt-get install libopenblas-dev")
endif()
foreach(lib IN LISTS BLAS_LIBRARIES)
  get_filename_component(real "${lib}" REALPATH)
  if(NOT real MATCHES "openblas")
    message(FATAL_ERROR
      "BLAS resolved to ${real}, which is not OpenBLAS (the reference BLAS is too slow).\n"
      "  Install it with:  sudo apt-get install libopenblas-dev")
  endif()
endforeach()
message(STATUS "BLAS: ${BLAS_LIBRARIES}")

find_package(xtl REQUIRED)
find_package(xsimd REQUIRED)
find_package(xtensor REQUIRED)
find_package(xtensor-blas REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(doctest REQUIRED)
find_package(Doxygen COMPONENTS dot)
find_program(DOT_EXECUTABLE dot)
