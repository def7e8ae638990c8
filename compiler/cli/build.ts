// `verdict build POLICY_DIR… -o bundle.tar.gz`: compiles policy folders into a (signed) OPA-format bundle.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildBundle } from '../bundle/build.js';
import type { CompilePolicy } from '../bundle/compile.js';
import { isAlgorithm } from '../bundle/keys.js';
import type { SigningOptions } from '../bundle/sign.js';
import { fail, processIO, type CommandIO } from './io.js';

interface BuildFlags {
  output: string;
  revision?: string;
  signingKey?: string;
  keyId?: string;
  signingAlg?: string;
  scope?: string;
  issuer?: string;
  issuedAt?: string;
  defaultPack: boolean;
}

export function registerBuildCommand(program: Command, io: CommandIO = processIO, compile?: CompilePolicy): Command {
  return program
    .command('build')
    .description('compile policy folders into an OPA bundle (policy.wasm, data.json, sources, .manifest)')
    .argument('<dir...>', 'policy folders (YAML rules and Rego modules)')
    .requiredOption('-o, --output <file>', 'bundle to write (.tar.gz)')
    .option('--revision <rev>', 'revision recorded in the manifest')
    .option('--signing-key <pem>', 'sign with this private key (RSA, EC P-256/384/521 or Ed25519)')
    .option('--key-id <id>', 'key id written into the signature (kid)')
    .option('--signing-alg <alg>', 'signature algorithm (default: the key type\'s, e.g. RS256, ES256, EdDSA)')
    .option('--scope <scope>', 'signature scope')
    .option('--issuer <iss>', 'signature issuer (iss)')
    .option('--issued-at <seconds|now>', 'signature iat claim (default: $SOURCE_DATE_EPOCH when set, else none)')
    .option('--no-default-pack', 'leave out the built-in default pack')
    .action(async (dirs: string[], flags: BuildFlags) => {
      try {
        const built = await buildBundle({
          dirs,
          revision: flags.revision,
          packs: flags.defaultPack ? undefined : [],
          signing: signing(flags),
          compile,
        });
        writeFileSync(flags.output, built.bytes);
        const signed = built.files.some((f) => f.path === '.signatures.json') ? ', signed' : '';
        io.out(`${flags.output}: ${built.files.length} files, entrypoints ${built.manifest.wasm?.map((w) => w.entrypoint).join(', ')}${signed}\n`);
      } catch (error) {
        fail(io, error);
      }
    });
}

function signing(flags: BuildFlags): SigningOptions | undefined {
  if (!flags.signingKey) {
    if (flags.keyId || flags.scope || flags.signingAlg) throw new Error('--key-id, --scope and --signing-alg need --signing-key');
    return undefined;
  }
  if (flags.signingAlg && !isAlgorithm(flags.signingAlg)) throw new Error(`unsupported --signing-alg ${flags.signingAlg}`);
  const options: SigningOptions = { privateKey: readFileSync(flags.signingKey) };
  if (flags.keyId) options.keyId = flags.keyId;
  if (flags.signingAlg && isAlgorithm(flags.signingAlg)) options.algorithm = flags.signingAlg;
  if (flags.scope) options.scope = flags.scope;
  if (flags.issuer) options.issuer = flags.issuer;
  const iat = flags.issuedAt ?? process.env.SOURCE_DATE_EPOCH;
  if (iat !== undefined && iat !== '') {
    const seconds = iat === 'now' ? Math.floor(Date.now() / 1000) : Number(iat);
    if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`--issued-at must be whole seconds since the epoch or "now", not ${iat}`);
    options.issuedAt = seconds;
  }
  return options;
}
