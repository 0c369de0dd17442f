// names.h: how an enum maps from its name (activation, loss, init, optimizer): each concept keeps
// one list of names in enum order, so a dropdown's string and the core's enum stay in step.
#pragma once
#include <string>
#include <vector>

namespace nnplay {

// Sets out to the enum value whose name is s; false if s is not one of the names.
template <typename Enum>
inline bool parse_enum(const std::vector<std::string>& names, const std::string& s, Enum& out) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) {
      out = static_cast<Enum>(i);
      return true;
    }
  return false;
}

}  // namespace nnplay
