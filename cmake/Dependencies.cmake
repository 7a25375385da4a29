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
# metadata: OOXML packages are zip archives, read and rewritten through libzip (no zip codec of
# our own; it keeps unchanged parts without recompressing them).
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
# media: animated GIF (giflib: palettes, delays, disposal kept frame by frame) and animated WebP
# (libwebp's demux/anim decoder and encoder, mux for the ICC and EXIF chunks).
find_package(GIF REQUIRED)
# media: labelled JPEGs written through libjpeg(-turbo) at the source's quality and subsampling
# (OpenCV 4.6 cannot set the subsampling).
find_package(JPEG REQUIRED)
pkg_check_modules(LIBWEBP REQUIRED IMPORTED_TARGET libwebp libwebpdemux libwebpmux)
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

# OpenCV from Debian's slim per-module -dev packages, which ship no CMake config (only
# libopencv-dev does, and it pulls every module): found by hand, one imported target each.
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
foreach(module core imgproc imgcodecs)
  find_library(OPENCV_${module}_LIBRARY opencv_${module} REQUIRED)
  add_library(opencv::${module} UNKNOWN IMPORTED)
  set_target_properties(opencv::${module} PROPERTIES
    IMPORTED_LOCATION ${OPENCV_${module}_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${OPENCV_INCLUDE_DIR})
endforeach()
