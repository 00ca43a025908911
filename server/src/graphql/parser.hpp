// Lexer and parser for GraphQL documents (executable definitions and the type
// system definition language), October 2021 specification.
//
// Pure: bytes in, an AST (in the caller's Arena) or one SyntaxError out. The
// parser never recurses deeper than ParseOptions::max_nesting (lists, objects,
// selection sets, wrapped types), so hostile input cannot exhaust the stack,
// and stops as soon as it has seen more than max_tokens tokens.
#pragma once

#include <string>
#include <string_view>

#include "graphql/ast.hpp"

namespace parley::graphql {

struct ParseOptions {
  int max_tokens = 0;     // 0: unlimited
  int max_nesting = 1024;  // nested brackets of any kind
};

struct SyntaxError {
  std::string message;  // "Syntax Error: Expected Name, found \"}\"."
  ast::Pos pos = 0;
  bool limit_exceeded = false;  // the token or nesting limit was hit
};

struct ParseResult {
  ast::Document* document = nullptr;  // null on error
  SyntaxError error;
  bool ok() const { return document != nullptr; }
};

// Parses a document that may mix executable and type system definitions;
// callers decide which kinds they accept. `source` and `arena` must outlive
// the returned document.
ParseResult parse(std::string_view source, ast::Arena& arena, const ParseOptions& options = {});

// Applies the specification's BlockStringValue() to the raw text between the
// triple quotes (after \""" unescaping).
std::string block_string_value(std::string_view raw);

}  // namespace parley::graphql
