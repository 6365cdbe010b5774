import * as path from 'node:path';
import { SCOPE_ANNOTATIONS, SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND } from '../catalog/sealed-secrets';
import { ConfigError, ConfigProblem } from '../core/errors';
import { entryExists, listFolder, statInput } from '../core/read';
import { ValuePath, YamlSource } from '../core/source';

// The SealedSecrets of an instance are committed inputs: `config/<instance>/sealed/<namespace>/<Secret>.yaml`,
// written by `mastodon-cdk8s secrets seal` (or kubeseal). Synth reads them, checks them and copies
// their ciphertext; it never encrypts (that would need randomness) and never sees a value.

/** The folder of an instance's sealed files. */
export const SEALED_FOLDER = 'sealed';

/** Where the SealedSecret of `namespace/name` is committed. */
export function sealedFile(instanceDir: string, namespace: string, name: string): string {
  return path.join(instanceDir, SEALED_FOLDER, namespace, `${name}.yaml`);
}

/** One committed SealedSecret, checked. */
export interface SealedSecretFile {
  /** The file, as shown in messages. */
  readonly file: string;
  readonly namespace: string;
  readonly name: string;
  /** Each Secret key's sealed value (standard base64 of the controller's format), sorted by key. */
  readonly encryptedData: Readonly<Record<string, string>>;
}

/** A Secret key (Kubernetes: apimachinery validation.go IsConfigMapKey). */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** A DNS-1123 label (namespaces) or subdomain (Secret names). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** 2 bytes of length, an RSA ciphertext of at least 1024 bits, the GCM tag. */
const MIN_SEALED_BYTES = 2 + 128 + 16;

const SEAL_HINT = 'write it with `mastodon-cdk8s secrets seal`';

/**
 * Reads every `sealed/<namespace>/<Secret>.yaml` of an instance, sorted by namespace and name.
 * Each must be a strict-scope SealedSecret (`bitnami.com/v1alpha1`) of that name in that namespace,
 * with per-key `encryptedData` only: no deprecated whole-Secret `data`, no `template.data` (a
 * template is plaintext). All problems are reported together, each at its file:line:col.
 */
export function readSealedSecrets(instanceDir: string): SealedSecretFile[] {
  const root = path.join(instanceDir, SEALED_FOLDER);
  const display = (file: string) => path.relative(process.cwd(), file) || file;
  if (!entryExists(root, display(root))) return [];
  const problems: ConfigProblem[] = [];
  const found: SealedSecretFile[] = [];
  const at = (file: string, message: string): ConfigProblem => ({ file: display(file), line: 1, col: 1, path: '', message });
  if (!statInput(root, display(root)).isDirectory()) return fail([at(root, `is not a folder; expected ${SEALED_FOLDER}/<namespace>/<Secret>.yaml files`)]);
  for (const namespace of listFolder(root, display(root)).filter((n) => !n.startsWith('.')).sort()) {
    const dir = path.join(root, namespace);
    if (!statInput(dir, display(dir)).isDirectory() || !DNS_LABEL.test(namespace)) {
      problems.push(at(dir, `expected a folder named after a namespace holding <Secret>.yaml files (${SEAL_HINT})`));
      continue;
    }
    for (const entry of listFolder(dir, display(dir)).filter((n) => !n.startsWith('.')).sort()) {
      const file = path.join(dir, entry);
      const name = entry.replace(/\.yaml$/, '');
      if (!entry.endsWith('.yaml') || !DNS_SUBDOMAIN.test(name)) {
        problems.push(at(file, `expected <Secret name>.yaml (${SEAL_HINT})`));
        continue;
      }
      try {
        const source = YamlSource.read(file, display(file));
        const checked = checkSealedSecret(source, namespace, name);
        if ('problems' in checked) problems.push(...checked.problems);
        else found.push(checked.sealed);
      } catch (e) {
        if (e instanceof ConfigError) problems.push(...e.problems);
        else throw e;
      }
    }
  }
  if (problems.length > 0) return fail(problems);
  return found;
}

function fail(problems: ConfigProblem[]): never {
  throw new ConfigError(problems);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one parsed file against where it lives. */
function checkSealedSecret(source: YamlSource, namespace: string, name: string): { sealed: SealedSecretFile } | { problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const problem = (p: ValuePath, message: string) => problems.push(source.problem(p, message));
  const doc = source.data;
  if (!isRecord(doc)) return { problems: [source.problem([], `expected a ${SEALED_SECRET_KIND} (${SEAL_HINT})`)] };
  if (doc.apiVersion !== SEALED_SECRET_API_VERSION) problem(['apiVersion'], `expected ${SEALED_SECRET_API_VERSION}`);
  if (doc.kind !== SEALED_SECRET_KIND) problem(['kind'], `expected ${SEALED_SECRET_KIND}`);
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  if (metadata.name !== name) problem(['metadata', 'name'], `expected ${name}, the file's name: a value is sealed for one Secret name`);
  if (metadata.namespace !== namespace) problem(['metadata', 'namespace'], `expected ${namespace}, the folder's name: a value is sealed for one namespace`);
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  for (const annotation of Object.values(SCOPE_ANNOTATIONS)) {
    if (annotation in annotations) {
      problem(['metadata', 'annotations', annotation], 'is not allowed: values are sealed for the strict scope (one name in one namespace), so they cannot be unsealed elsewhere');
    }
  }
  const spec = isRecord(doc.spec) ? doc.spec : {};
  if ('data' in spec) problem(['spec', 'data'], 'is the deprecated whole-Secret format; seal each key into spec.encryptedData');
  const template = isRecord(spec.template) ? spec.template : {};
  if ('data' in template) problem(['spec', 'template', 'data'], 'is not allowed: a template is plaintext; seal each key into spec.encryptedData');
  const templateMeta = isRecord(template.metadata) ? template.metadata : {};
  if (templateMeta.name !== undefined && templateMeta.name !== name) problem(['spec', 'template', 'metadata', 'name'], `expected ${name} or nothing`);
  if (templateMeta.namespace !== undefined && templateMeta.namespace !== namespace) problem(['spec', 'template', 'metadata', 'namespace'], `expected ${namespace} or nothing`);
  const encrypted = spec.encryptedData;
  if (!isRecord(encrypted) || Object.keys(encrypted).length === 0) {
    problem(['spec', 'encryptedData'], `expected a map of Secret key to sealed value (${SEAL_HINT})`);
  } else {
    for (const [key, value] of Object.entries(encrypted)) {
      if (!SECRET_KEY.test(key)) problem(['spec', 'encryptedData', key], "is not a Secret key; allowed: letters, digits, '-', '_', '.'");
      else if (typeof value !== 'string' || !isSealedValue(value)) problem(['spec', 'encryptedData', key], `is not a value sealed by the controller's format (base64 of length ‖ RSA-OAEP ‖ AES-GCM); ${SEAL_HINT}`);
    }
  }
  if (problems.length > 0) return { problems };
  const sorted = Object.fromEntries(Object.entries(encrypted as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { sealed: { file: source.file, namespace, name, encryptedData: sorted } };
}

/** Standard base64 whose bytes hold the length prefix, that many RSA bytes and at least a GCM tag (sealed-secrets pkg/crypto/crypto.go:59-70). */
function isSealedValue(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < MIN_SEALED_BYTES) return false;
  const rsaLength = bytes.readUInt16BE(0);
  return rsaLength >= 128 && bytes.length >= 2 + rsaLength + 16;
}
