# Writes the attention explorer's data (docs/explorer.md) as JavaScript, for the docs build:
#   cmake -DIN_DIR=docs/explorer -DOUT=build/docs/explorer_data.js -P docs/explorer_data.cmake
# Each docs/explorer/*.json (a lesson's attention.json from a default run; docs/refresh_figures
# copies them) becomes one DIKKAT_ATTENTION.push(...) line. A page opened from file:// may not
# fetch() a JSON file, but it may load a script: so the data is a script.
if(NOT IN_DIR OR NOT OUT)
  message(FATAL_ERROR "explorer_data.cmake: pass -DIN_DIR=<folder of the .json files> -DOUT=<.js to write>")
endif()
file(GLOB files "${IN_DIR}/*.json")
list(SORT files)
set(js "// Made by docs/explorer_data.cmake from docs/explorer/*.json: the attention explorer's data.\n")
string(APPEND js "var DIKKAT_ATTENTION = [];\n")
foreach(f IN LISTS files)
  file(READ "${f}" json)
  string(STRIP "${json}" json)
  string(APPEND js "DIKKAT_ATTENTION.push(${json});\n")
endforeach()
list(LENGTH files n)
if(n EQUAL 0)
  message(WARNING "explorer_data.cmake: no .json in ${IN_DIR}: the attention explorer will have nothing to show")
endif()
file(WRITE "${OUT}" "${js}")
