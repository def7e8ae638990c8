// `verdict verify bundle.tar.gz --public-key KEY.pem`: checks the signature, then every file's digest.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openBundle } from '../bundle/read.js';
import type { TrustedKey } from '../bundle/verify.js';
import { fail, processIO, type CommandIO } from './io.js';

interface VerifyFlags {
  publicKey: string;
  keyId?: string;
  scope?: string;
}

export function registerVerifyCommand(program: Command, io: CommandIO = processIO): Command {
  return program
    .command('verify')
    .description('verify a bundle\'s signature and the digest of every file')
    .argument('<bundle>', 'bundle (.tar.gz)')
    .requiredOption('--public-key <pem>', 'trusted public key or certificate (PEM)')
    .option('--key-id <id>', 'id of the trusted key (must match the signature\'s kid)')
    .option('--scope <scope>', 'required signature scope')
    .action(async (path: string, flags: VerifyFlags) => {
      try {
        const key: TrustedKey = { key: readFileSync(flags.publicKey) };
        if (flags.keyId) key.id = flags.keyId;
        const bundle = await openBundle(readFileSync(path), { verify: { keys: [key], scope: flags.scope } });
        const sig = bundle.signature!;
        io.out(
          `${path}: OK, signed by ${sig.keyId ? `key "${sig.keyId}"` : 'the trusted key'} (${sig.algorithm}), ` +
            `${sig.files.length} files verified, revision "${bundle.manifest.revision}"\n`,
        );
      } catch (error) {
        fail(io, error);
      }
    });
}
