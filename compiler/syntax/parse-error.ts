// A parse error before it has a file: the lexer and parser throw this internally; parse() turns it into a
// CompileError with a rendered position.

export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly code: 'rego_parse_error' | 'rego_unsupported_error' = 'rego_parse_error',
  ) {
    super(message);
  }
}
