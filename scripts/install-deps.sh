#!/usr/bin/env bash
# The single list of Debian packages SynthGate needs to build, run and test.
# Idempotent: asks dpkg first and calls apt-get only for what is missing.
# Usage: scripts/install-deps.sh            (everything: build, run, test)
set -euo pipefail

packages=(
  # toolchain
  cmake ninja-build g++-12 pkg-config make git ca-certificates
  # tests, benchmarks, formatting, fuzzing (clang 14 + its fuzzer runtime)
  libgtest-dev libgmock-dev libbenchmark-dev clang-format clang libclang-rt-14-dev
  # core
  libssl-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev
  libexpected-dev
  # store
  libsqlite3-dev libpq-dev postgresql-15
  # server
  libcpp-httplib-dev zlib1g-dev libbrotli-dev
  # metadata: XMP packets are XML (pugixml); exiftool reads and ImageMagick decodes in tests
  libpugixml-dev libimage-exiftool-perl imagemagick webp
  # metadata in documents: OOXML packages are zip archives (libzip, not a codec of our own);
  # the interop test checks PDFs with qpdf, lets exiftool read OOXML (it needs Archive::Zip)
  # and reads Markdown front matter with PyYAML and zips with unzip
  libzip-dev qpdf libarchive-zip-perl python3 python3-yaml unzip
  # media, watermark: OpenCV core, imgproc, imgcodecs. The slim -dev packages (found with
  # find_library in cmake/Dependencies.cmake), not libopencv-dev, which pulls every module.
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
  # media: animated GIF (giflib) and animated WebP (libwebp's demux, mux and anim API); JPEG
  # written at the source's quality and subsampling (libjpeg-turbo)
  libgif-dev libwebp-dev libjpeg-dev
  # moderation: Hyperscan API, OpenCC dictionaries, Unihan and UnicodeData, Chinese prose for
  # the false-positive test (Debian Reference, Simplified Chinese)
  libvectorscan-dev libopencc-dev libopencc-data unicode-data libbz2-dev debian-reference-zh-cn
  # labels: glyphs shaped by HarfBuzz and drawn by FreeType in Noto Sans CJK; audio and video
  # through FFmpeg (libraries, and the CLI that tests use to make media); Mandarin voice prompt
  # by espeak-ng; Tesseract (chi_sim) reads labelled images in the legibility test
  libharfbuzz-dev libfreetype-dev fonts-noto-cjk
  libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libswscale-dev ffmpeg
  espeak-ng libespeak-ng-dev tesseract-ocr tesseract-ocr-chi-sim
  # reports: PDFs drawn by cairo with text shaped by pango; poppler-utils reads them back in
  # tests (pdftotext, pdfinfo, pdftoppm)
  libcairo2-dev libpango1.0-dev poppler-utils
  # used by the test scripts; wrk loads the gateway in bench/gateway_wrk.sh
  curl procps python3 time bc wrk
  # the complaint form's browser test: Debian's Chromium driven by playwright-core from npm
  # (npm itself below: machines that have Node.js from elsewhere must not get Debian's)
  chromium
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

# Debian's npm conflicts with a Node.js installed another way; ask for it only when there is
# no npm at all.
command -v npm >/dev/null || missing+=(npm)

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
# The tests start throwaway PostgreSQL clusters of their own; Debian's default
# cluster would only hold port 5432 and memory.
if [[ ! -f /etc/postgresql-common/createcluster.d/no-main.conf ]]; then
  "${sudo_cmd[@]}" mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' | "${sudo_cmd[@]}" tee /etc/postgresql-common/createcluster.d/no-main.conf >/dev/null
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
