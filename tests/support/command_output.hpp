#pragma once

#include <cstdio>
#include <memory>
#include <string>

namespace synthgate::testing {

// What a shell command prints on stdout, bytes as they come (ffmpeg's raw frames included);
// empty when it cannot start. Tests use it to ask independent tools (ffmpeg, ffprobe,
// identify, pdftotext) about what SynthGate wrote.
inline std::string command_output(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), &::pclose);
  std::string out;
  if (!pipe) return out;
  char buffer[65536];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe.get())) > 0) out.append(buffer, n);
  return out;
}

}  // namespace synthgate::testing
