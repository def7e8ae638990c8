// SASLprep (RFC 4013) as PostgreSQL applies it to SCRAM passwords (src/common/saslprep.c): pure ASCII and
// anything that is not valid UTF-8 or that the profile prohibits is used byte for byte; otherwise spaces are
// mapped, mapped-to-nothing characters dropped, and the result NFKC-normalized.
// Differences from PostgreSQL: "unassigned" and bidirectional classes come from the running Node's Unicode
// tables, not Unicode 3.2, and the bidi check approximates R/AL by script. Only non-ASCII passwords can differ.

// RFC 3454 C.1.2: non-ASCII space characters, mapped to U+0020.
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g;
// RFC 3454 B.1: commonly mapped to nothing. These classes list single code points, combining marks among them on
// purpose, so the lint rule against combined characters in classes does not apply.
// eslint-disable-next-line no-misleading-character-class
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/g;
// RFC 3454 C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9 and A.1 (unassigned).
/* eslint-disable no-misleading-character-class */
const PROHIBITED = new RegExp(
  [
    '[\\u0000-\\u001F\\u007F-\\u009F\\u06DD\\u070F\\u180E\\u200C-\\u200F\\u2028-\\u202E\\u2060-\\u2063\\u206A-\\u206F',
    '\\uFEFF\\uFFF9-\\uFFFD\\u2FF0-\\u2FFB\\u0340\\u0341\\uE000-\\uF8FF\\uFDD0-\\uFDEF]',
    '|[\\u{1D173}-\\u{1D17A}\\u{E0001}\\u{E0020}-\\u{E007F}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}]',
    '|[\\u{FFFE}\\u{FFFF}\\u{1FFFE}\\u{1FFFF}\\u{2FFFE}\\u{2FFFF}\\u{3FFFE}\\u{3FFFF}\\u{EFFFE}\\u{EFFFF}]',
    '|\\p{Cs}|\\p{Cn}',
  ].join(''),
  'u',
);
/* eslint-enable no-misleading-character-class */
const RAND_AL = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const RAND_AL_ALL = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/gu;
const L_CAT = /\p{L}/gu;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes PostgreSQL feeds to PBKDF2 for this password. */
export function saslprep(password: Buffer): Buffer {
  let ascii = true;
  for (let i = 0; i < password.length; i++) {
    if (password[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return password;
  let text: string;
  try {
    text = utf8.decode(password);
  } catch {
    return password;
  }
  const prepared = text.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC');
  if (prepared.length === 0 || PROHIBITED.test(prepared) || !bidiOk(prepared)) return password;
  return Buffer.from(prepared, 'utf8');
}

/** RFC 3454 section 6: a string with right-to-left characters has no left-to-right ones and starts and ends with one. */
function bidiOk(s: string): boolean {
  if (!RAND_AL.test(s)) return true;
  const letters = s.match(L_CAT) ?? [];
  const rtl = s.match(RAND_AL_ALL) ?? [];
  if (letters.length > rtl.length) return false;
  const chars = Array.from(s);
  return RAND_AL.test(chars[0]) && RAND_AL.test(chars[chars.length - 1]);
}
