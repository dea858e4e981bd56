// Payment card numbers: 13–19 digits, Luhn-checked. Only candidates the detector's regex found
// reach this (a digit run starting 2–6 with single space or dash separators).

/** True for a Luhn-valid card number of 13–19 digits; separators (space, dash) are ignored. */
export function isCardNumber(candidate: string): boolean {
  let sum = 0;
  let digits = 0;
  for (let i = candidate.length - 1; i >= 0; i--) {
    const c = candidate.charCodeAt(i);
    if (c === 32 || c === 45) continue;
    let d = c - 48;
    if (d < 0 || d > 9) return false;
    if (digits % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    digits++;
  }
  return digits >= 13 && digits <= 19 && sum % 10 === 0;
}

/** The last four digits, for the `partial` action. */
export function lastFour(candidate: string): string {
  let out = '';
  for (let i = candidate.length - 1; i >= 0 && out.length < 4; i--) {
    const c = candidate[i]!;
    if (c >= '0' && c <= '9') out = c + out;
  }
  return out;
}
