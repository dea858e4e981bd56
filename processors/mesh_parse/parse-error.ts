// meshtail.parse.error is a reason from a fixed list, never text of the line: V8's JSON.parse
// messages quote the input (`Unexpected token 'x', "Bearer ey"... is not valid JSON`), and the input
// may hold a token. Known messages keep their kind and position (numbers only); others say only
// "invalid JSON".

const KINDS = [
  'Unterminated string in JSON',
  'Unexpected end of JSON input',
  'Unexpected non-whitespace character after JSON',
  'Bad control character in string literal in JSON',
  'Bad escaped character in JSON',
  'Bad Unicode escape in JSON',
  "Expected property name or '}' in JSON",
  "Expected ',' or '}' after property value in JSON",
  "Expected ',' or ']' after array element in JSON",
  "Expected ':' after property name in JSON",
  'Exponent part is missing a number in JSON',
  'No number after minus sign in JSON',
  'Unterminated fractional number in JSON',
] as const;

const POSITION = / at position (\d+)(?: \(line (\d+) column (\d+)\))?/;

export function jsonErrorReason(e: unknown): string {
  const message = e instanceof Error ? e.message : '';
  const kind = KINDS.find((k) => message.startsWith(k));
  if (kind === undefined) return 'invalid JSON';
  const at = POSITION.exec(message);
  if (!at) return `invalid JSON: ${kind}`;
  const where = at[2] === undefined ? '' : ` (line ${Number(at[2])} column ${Number(at[3])})`;
  return `invalid JSON: ${kind} at position ${Number(at[1])}${where}`;
}
