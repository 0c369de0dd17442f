// errors.h: the one exception type of the core. Its message is what a user reads (the CLI prints it
// on stderr, the page shows it): it names the field, the value and what is allowed.
#pragma once
#include <stdexcept>
#include <string>

namespace nnplay {

struct Error : std::runtime_error {
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace nnplay
