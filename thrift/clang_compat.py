#!/usr/bin/env python3
"""Makes the generated HMS types compile with clang 14 and libstdc++ 12 in C++20.

CreationMetadata holds a std::vector<SourceTable>, and SourceTable (which embeds a Table, which
embeds a CreationMetadata) is defined after it. GCC accepts the inline default constructor and
operator== that Thrift writes into the class body; clang 14 instantiates the C++20 constexpr
members of std::vector there and rejects the still incomplete SourceTable. This moves those two
members out of the header into the .cpp, where every type is complete. The wire code is untouched.

Usage: clang_compat.py <hive_metastore_types.h> <hive_metastore_types.cpp>
"""
import sys

CLASS = "CreationMetadata"


def cut_member(text, start_marker, end_marker):
    """Returns (text without the member, the member's text)."""
    start = text.index(start_marker)
    end = text.index(end_marker, start) + len(end_marker)
    return text[:start] + text[end:], text[start:end]


def main(header_path, source_path):
    with open(header_path) as f:
        header = f.read()
    if f"  {CLASS}() noexcept;\n" in header:
        return  # Already done.
    header, ctor = cut_member(header, f"  {CLASS}() noexcept\n", "{\n  }\n")
    header, equals = cut_member(header, f"  bool operator == (const {CLASS} & rhs) const\n",
                                "\n  }\n")
    anchor = f"  virtual ~{CLASS}() noexcept;\n"
    header = header.replace(
        anchor, anchor + f"  bool operator == (const {CLASS} & rhs) const;\n", 1)
    header = header.replace(anchor, f"  {CLASS}() noexcept;\n\n" + anchor, 1)

    ctor = ctor.replace(f"  {CLASS}() noexcept", f"{CLASS}::{CLASS}() noexcept", 1)
    equals = equals.replace("  bool operator == (", f"bool {CLASS}::operator == (", 1)
    with open(source_path) as f:
        source = f.read()
    source += ("\nnamespace Apache { namespace Hadoop { namespace Hive {\n\n" + ctor + "\n" +
               equals + "\n}}} // namespace\n")
    with open(header_path, "w") as f:
        f.write(header)
    with open(source_path, "w") as f:
        f.write(source)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
