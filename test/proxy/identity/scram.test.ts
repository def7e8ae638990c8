// SCRAM verifiers against a real PostgreSQL: PostgreSQL's own verifiers parse and check proofs computed from the
// password, and verifiers we generate are accepted by PostgreSQL for logins (the test cluster uses scram-sha-256).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientProof,
  createScramVerifier,
  formatScramVerifier,
  mockScramVerifier,
  parseScramVerifier,
  serverSignature,
  verifyClientProof,
  type ScramVerifier,
} from '../../../proxy/identity/scram.js';
import { serverUrl } from '../../harness/database.js';

const roles: string[] = [];
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
});

afterAll(async () => {
  for (const role of roles) await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`);
  await admin.end();
});

async function createRole(password: string): Promise<string> {
  const role = `scram_${randomBytes(4).toString('hex')}`;
  roles.push(role);
  await admin.query(`SET password_encryption = 'scram-sha-256'`);
  await admin.query(`CREATE ROLE ${admin.escapeIdentifier(role)} LOGIN PASSWORD ${admin.escapeLiteral(password)}`);
  return role;
}

async function rolpassword(role: string): Promise<string> {
  const r = await admin.query<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role]);
  return r.rows[0].rolpassword;
}

function parsed(text: string): ScramVerifier {
  const v = parseScramVerifier(text);
  if ('error' in v) throw new Error(v.error);
  return v;
}

// A SCRAM exchange's AuthMessage, as client and server would build it.
const authMessage = 'n=,r=clientnonce,r=clientnonceservernonce,s=c2FsdA==,i=4096,c=biws,r=clientnonceservernonce';

describe('verifiers from pg_authid', () => {
  for (const [label, password] of [
    ['ASCII', 'correct horse battery staple'],
    ['non-ASCII (NFKC and space mapping apply)', 'p\u00e4ss\u00a0w\u00f6rd\ufb01'],
    ['zero-width and soft-hyphen characters', 'a\u200bb\u00adc\u2163'],
    ['prohibited by SASLprep (mixed directions: used as is)', '\u05d0\u05d1 mixed \u05d2'],
    ['control characters in non-ASCII text (prohibited: used as is)', 'caf\u00e9\u0007'],
  ] as const) {
    it(`parses PostgreSQL's verifier and checks a proof from the password: ${label}`, async () => {
      const role = await createRole(password);
      const text = await rolpassword(role);
      const v = parsed(text);
      expect(v.iterations).toBe(4096);
      expect(formatScramVerifier(v)).toBe(text);

      // Regenerating with PostgreSQL's salt gives PostgreSQL's keys: same PBKDF2, same SASLprep.
      const again = createScramVerifier(password, { salt: v.salt, iterations: v.iterations });
      expect(again.storedKey.equals(v.storedKey)).toBe(true);
      expect(again.serverKey.equals(v.serverKey)).toBe(true);

      const proof = clientProof(password, v.salt, v.iterations, authMessage);
      expect(verifyClientProof(v, authMessage, proof)).toBe(true);
      expect(verifyClientProof(v, authMessage, clientProof(`${password}x`, v.salt, v.iterations, authMessage))).toBe(false);
      expect(verifyClientProof(v, `${authMessage}x`, proof)).toBe(false);
      expect(serverSignature(v, authMessage)).toHaveLength(32);
    });
  }
});

describe('verifiers we generate', () => {
  for (const password of ['s3cret-pass', 'caf\u00e9 \u2163\u00a0x']) {
    it(`PostgreSQL accepts a login with a verifier we made for ${JSON.stringify(password)}`, async () => {
      const role = await createRole(randomBytes(8).toString('hex'));
      const v = createScramVerifier(password);
      expect(v.salt).toHaveLength(16);
      expect(v.iterations).toBe(4096);
      await admin.query(`ALTER ROLE ${admin.escapeIdentifier(role)} PASSWORD ${admin.escapeLiteral(formatScramVerifier(v))}`);
      expect(await rolpassword(role)).toBe(formatScramVerifier(v));

      const url = new URL(serverUrl());
      const client = new pg.Client({ host: url.hostname, port: Number(url.port), user: role, password, database: 'postgres' });
      await client.connect();
      const r = await client.query<{ u: string }>('SELECT current_user AS u');
      await client.end();
      expect(r.rows[0].u).toBe(role);

      const wrong = new pg.Client({ host: url.hostname, port: Number(url.port), user: role, password: `${password}!`, database: 'postgres' });
      await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
    });
  }
});

describe('parseScramVerifier', () => {
  const good = formatScramVerifier(createScramVerifier('x'));
  it.each([
    ['md5abcdef', /expected SCRAM-SHA-256/],
    [good.replace('SCRAM-SHA-256$4096', 'SCRAM-SHA-256$0'), /iteration count 0/],
    [`SCRAM-SHA-256$4096:@@@@$${good.split('$')[2]}`, /salt is not valid base64/],
    [good.replace(/:[^:]+$/, ':AAAA'), /ServerKey must be 32 bytes, got 3/],
  ])('rejects %s', (text, message) => {
    const v = parseScramVerifier(text);
    expect('error' in v && v.error).toMatch(message);
  });

  it('mock verifiers are stable per user and match no password', () => {
    const a = mockScramVerifier('nobody');
    expect(mockScramVerifier('nobody').salt.equals(a.salt)).toBe(true);
    expect(mockScramVerifier('somebody').salt.equals(a.salt)).toBe(false);
    expect(verifyClientProof(a, authMessage, clientProof('', a.salt, a.iterations, authMessage))).toBe(false);
  });
});
