// Where the project's own files are (migrations/, scenarios/), for commands
// that use them when no folder is named: $REHEARSE_ROOT when set, else the
// installed data beside the executable (<prefix>/share/rehearse for
// <prefix>/bin/rehearse, as `cmake --install` lays it out), else the first
// directory holding migrations/0000_baseline above the executable
// (build/rehearse is one level below the root) or above the working
// directory. An installed binary never needs the source tree.
#ifndef REHEARSE_CLI_PROJECT_ROOT_H_
#define REHEARSE_CLI_PROJECT_ROOT_H_

#include <string>

#include "harness/common/status.h"

namespace rehearse {

// kInvalidInput naming where it looked when no root is found.
Status FindProjectRoot(std::string* root);

}  // namespace rehearse

#endif  // REHEARSE_CLI_PROJECT_ROOT_H_
