// Pattern normalization: what a policy author writes (`customers`, `*.email`, `set_config`) becomes the fully
// qualified glob the generated Rego matches against analysis facts (`*.customers`, `*.*.email`, ...).
import type { ColumnPattern } from './model.js';

/** `customers` → `*.customers`; `public.*` stays. Null when the pattern has too many parts. */
export function relationPattern(pattern: string): string | null {
  const parts = pattern.split('.');
  if (parts.length > 2) return null;
  return parts.length === 1 ? `*.${pattern}` : pattern;
}

/** `email` → `*.*.email`, `customers.ssn` → `*.customers.ssn`; three parts stay. Null beyond three. */
export function columnPattern(pattern: string): ColumnPattern | null {
  const parts = pattern.split('.');
  if (parts.length > 3) return null;
  while (parts.length < 3) parts.unshift('*');
  return { pattern: parts.join('.'), table: `${parts[0]}.${parts[1]}`, column: parts[2] };
}

/** Unqualified function names match in any schema as well: `pg_sleep` → [`pg_sleep`, `*.pg_sleep`]. */
export function functionPatterns(pattern: string): string[] {
  const name = pattern.toLowerCase();
  return name.includes('.') ? [name] : [name, `*.${name}`];
}

/** Command tags as PostgreSQL prints them: upper case, single spaces. */
export function commandPattern(pattern: string): string {
  return pattern.trim().replace(/\s+/g, ' ').toUpperCase();
}

const WEEKDAYS: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export function weekdayName(short: string): string {
  return WEEKDAYS[short] ?? short;
}

/** `09:00-18:30` → minutes since midnight. */
export function hoursWindow(text: string): { from: number; to: number } {
  const [from, to] = text.split('-').map((hm) => {
    const [h, m] = hm.split(':').map(Number);
    return h * 60 + m;
  });
  return { from, to };
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
