// IBANs: ISO 13616 country code, two check digits, a BBAN of the length that country registers,
// and the mod-97 check (ISO 7064) over the rearranged number. Any case and spacing is accepted:
// people type `de89 3704 …` and forms keep it.

// Registered IBAN lengths (SWIFT IBAN registry), country code followed by total length.
const LENGTHS = new Map<string, number>(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 ' +
    'DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 ' +
    'IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 ' +
    'MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 ' +
    'SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30'
  )
    .split(' ')
    .map((e) => [e.slice(0, 2), Number(e.slice(2))]),
);

/** The registered length of a country's IBAN (upper-case code), or undefined. */
export function ibanLength(country: string): number | undefined {
  return LENGTHS.get(country);
}

/** True for a valid IBAN; any case, spaces between characters ignored. */
export function isIban(candidate: string): boolean {
  const iban = candidate.replace(/\s+/g, '').toUpperCase();
  if (LENGTHS.get(iban.slice(0, 2)) !== iban.length) return false;
  // mod 97 of BBAN + country + check digits, letters as 10..35, computed digit by digit.
  let rest = 0;
  for (let k = 0; k < iban.length; k++) {
    const c = iban.charCodeAt((k + 4) % iban.length);
    if (c >= 48 && c <= 57) rest = (rest * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rest = (rest * 100 + (c - 55)) % 97;
    else return false;
  }
  return rest === 1;
}
