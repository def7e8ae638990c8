// `verdict passwd --file FILE --user NAME [--groups a,b]`: adds or updates one identity's SCRAM verifier.
// The password comes from standard input (first line) or, on a terminal, from two prompts without echo. Only the
// verifier is stored; the plaintext lives in a Buffer that is wiped after hashing and is never printed.
// The file is edited as a YAML document, so other entries and comments survive, and replaced atomically.
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { parseYaml, type YamlSource } from '../config/yaml-source.js';
import { identitiesFromDocument, IDENTITY_ERROR, parseIdentities } from '../identity/file.js';
import { createScramVerifier, formatScramVerifier } from '../identity/scram.js';
import { readPasswordLine, promptPassword, type PasswordInput } from '../identity/password-input.js';

export interface PasswdIo {
  /** Where the password is read from; a TTY (isTTY true, setRawMode) gets prompts. Default process.stdin. */
  stdin?: PasswordInput;
  /** Prompts and the confirmation line. Default process.stderr. */
  stderr?: { write(text: string): unknown };
}

const NEW_FILE = `# Verdict identities: who may log in to the proxy with a password, and their groups.
# Written by \`verdict passwd\`; verifiers use PostgreSQL's format (pg_authid.rolpassword).
identities: []
`;

export function registerPasswdCommand(program: Command, io: PasswdIo = {}): Command {
  return program
    .command('passwd')
    .description('Add or update a password identity in an identities file (password from stdin or a prompt)')
    .requiredOption('--file <file>', 'identities file (created if missing)')
    .requiredOption('--user <name>', 'user name clients log in with')
    .option('--groups <a,b>', 'comma-separated groups (replaces the current ones; omit to keep them)')
    .action(async (opts: { file: string; user: string; groups?: string }) => {
      const stderr = io.stderr ?? process.stderr;
      const groups = opts.groups === undefined ? undefined : parseGroups(opts.groups);
      if (opts.user.trim() === '' || opts.user.length > 63) throw new Error('--user must be 1 to 63 characters');
      // Check the file before asking for a password, so a broken file does not waste a prompt.
      identitiesFromDocument(await loadOrCreate(opts.file));
      const stdin = io.stdin ?? (process.stdin as PasswordInput);
      const password = stdin.isTTY ? await promptPassword(stdin, stderr) : await readPasswordLine(stdin);
      let verifier: string;
      try {
        if (password.length === 0) throw new Error('the password is empty');
        verifier = formatScramVerifier(createScramVerifier(password));
      } finally {
        password.fill(0);
      }
      // Read again: a prompt can take long, and the file may have changed meanwhile.
      const src = await loadOrCreate(opts.file);
      identitiesFromDocument(src);
      const added = setIdentity(src.doc, opts.user, verifier, groups);
      const text = src.doc.toString({ lineWidth: 0 });
      parseIdentities(opts.file, text); // the edit must leave a file the proxy accepts
      await writeAtomically(opts.file, text);
      stderr.write(`verdict passwd: ${added ? 'added' : 'updated'} user "${opts.user}" in ${opts.file}\n`);
    });
}

function parseGroups(text: string): string[] {
  const groups = text
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  return [...new Set(groups)];
}

async function loadOrCreate(file: string): Promise<YamlSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}: ${(error as Error).message}`);
    text = NEW_FILE;
  }
  if (text.trim() === '') text = NEW_FILE;
  return parseYaml(file, text, IDENTITY_ERROR);
}

/** Sets the user's verifier (and groups, when given) in the document; true when the user was added. */
function setIdentity(doc: Document.Parsed, user: string, scram: string, groups: string[] | undefined): boolean {
  let list = doc.get('identities', true);
  if (!isSeq(list)) {
    list = new YAMLSeq();
    doc.set('identities', list);
  }
  const seq = list as YAMLSeq;
  const existing = seq.items.find((item) => isMap(item) && scalarValue(item.get('user', true)) === user) as YAMLMap | undefined;
  if (existing) {
    existing.set('scram', scram);
    if (groups !== undefined) existing.set('groups', flowList(doc, groups));
    return false;
  }
  const entry = doc.createNode({ user, scram, groups: [] }) as YAMLMap;
  entry.set('groups', flowList(doc, groups ?? []));
  seq.flow = false;
  seq.items.push(entry);
  return true;
}

function flowList(doc: Document.Parsed, items: string[]): YAMLSeq {
  const node = doc.createNode(items) as YAMLSeq;
  node.flow = true;
  return node;
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}

/** Writes next to the target and renames over it: readers (and the proxy's watcher) never see half a file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  let mode = 0o600;
  try {
    mode = (await stat(file)).mode & 0o777;
  } catch {
    // a new file: owner-only, it holds verifiers
  }
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { mode, flag: 'wx' });
    await chmod(temp, mode);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new Error(`cannot write ${file}: ${(error as Error).message}`);
  }
}
