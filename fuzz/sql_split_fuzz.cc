// SQL statement splitting (harness/db/sql_script.h): any bytes split without
// a crash, in time linear in the input, into statements that lie inside the
// text, in order, with non-decreasing line numbers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "harness/db/sql_script.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  rehearse::SqlSplitter splitter(text);
  rehearse::SqlStatementView st;
  const char* last_end = text.data();
  int last_line = 1;
  while (splitter.Next(&st)) {
    if (st.text.empty() || st.text.data() < last_end ||
        st.text.data() + st.text.size() > text.data() + text.size() || st.line < last_line)
      std::abort();
    last_end = st.text.data() + st.text.size();
    last_line = st.line;
  }
  return 0;
}
