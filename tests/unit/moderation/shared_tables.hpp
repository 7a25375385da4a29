#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "moderation/character_tables.hpp"

namespace synthgate::testing {

// The real tables from Debian's unicode-data and OpenCC, loaded once per test program
// (about a second) and shared by every test in it.
inline std::shared_ptr<const moderation::CharacterTables> shared_tables() {
  static const auto tables = [] {
    auto loaded = moderation::load_character_tables({});
    if (!loaded) {
      ADD_FAILURE() << loaded.error().message;
      std::abort();
    }
    return *loaded;
  }();
  return tables;
}

}  // namespace synthgate::testing
