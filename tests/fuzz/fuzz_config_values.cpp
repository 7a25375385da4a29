// Configuration values from the command line and the environment. The input is KEY '\n'
// VALUE; load_config must answer with a Config or an error, never crash. ListenAddress
// (server.listen) must print as text that parses back to the same address.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string key(input.substr(0, newline));
  const std::string value(newline == std::string_view::npos ? std::string_view{}
                                                            : input.substr(newline + 1));

  synthgate::ConfigSources from_flag;
  from_flag.flags = {{key, value}};
  if (auto config = synthgate::load_config(from_flag); !config) {
    FUZZ_CHECK(!config.error().message.empty());
  }

  synthgate::ConfigSources from_environment;
  from_environment.environment[synthgate::environment_variable_for(key)] = value;
  if (auto config = synthgate::load_config(from_environment); !config) {
    FUZZ_CHECK(!config.error().message.empty());
  }

  if (auto address = synthgate::ListenAddress::parse(value)) {
    const std::string printed = address->to_string();
    auto again = synthgate::ListenAddress::parse(printed);
    FUZZ_CHECK(again);
    FUZZ_CHECK(again->host == address->host);
    FUZZ_CHECK(again->port == address->port);
    FUZZ_CHECK(again->to_string() == printed);
  }
  return 0;
}
