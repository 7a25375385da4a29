# Every external library, found once. Names and pitfalls: shared/reference/dependency-notes.md.
find_package(PkgConfig REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED CONFIG)
find_package(tl-expected REQUIRED CONFIG)
find_package(fmt REQUIRED CONFIG)
find_package(spdlog REQUIRED CONFIG)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(Threads REQUIRED)
# moderation: Hyperscan API (Debian's vectorscan), OpenCC dictionaries, bzip2 for Unihan.
pkg_check_modules(HS REQUIRED IMPORTED_TARGET libhs)
pkg_check_modules(OPENCC REQUIRED IMPORTED_TARGET opencc)
find_package(BZip2 REQUIRED)
# media: OpenCV core, imgproc and imgcodecs only. Debian's slim -dev packages ship no CMake
# config (only libopencv-dev does, and it pulls every module), so the three are found by hand.
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
find_library(OPENCV_CORE_LIBRARY opencv_core REQUIRED)
find_library(OPENCV_IMGPROC_LIBRARY opencv_imgproc REQUIRED)
find_library(OPENCV_IMGCODECS_LIBRARY opencv_imgcodecs REQUIRED)
add_library(SynthGate::OpenCV INTERFACE IMPORTED)
set_target_properties(SynthGate::OpenCV PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES ${OPENCV_INCLUDE_DIR}
  INTERFACE_LINK_LIBRARIES "${OPENCV_IMGCODECS_LIBRARY};${OPENCV_IMGPROC_LIBRARY};${OPENCV_CORE_LIBRARY}")
if(NOT SYNTHGATE_FUZZ)
  find_package(tomlplusplus REQUIRED CONFIG)
  find_package(CLI11 REQUIRED CONFIG)
  # cpp-httplib is a compiled library in Debian; its .pc carries the defines that fix its ABI.
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
else()
  # Fuzz builds: Debian's libtomlplusplus.so is not instrumented, so src/core (config.cpp)
  # compiles toml++ header-only instead (shared/reference/dependency-notes.md, libFuzzer).
  find_path(TOMLPLUSPLUS_INCLUDE_DIR toml++/toml.h REQUIRED)
  add_library(tomlplusplus::tomlplusplus INTERFACE IMPORTED)
  set_target_properties(tomlplusplus::tomlplusplus PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES ${TOMLPLUSPLUS_INCLUDE_DIR}
    INTERFACE_COMPILE_DEFINITIONS "TOML_HEADER_ONLY=1")
endif()
