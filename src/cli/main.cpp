#include <iostream>

#include "arxivc/core/version.hpp"

int main() {
  std::cout << "arxivc " << arxivc::version() << "\n";
  return 0;
}
