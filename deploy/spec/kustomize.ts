import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

/** A Kubernetes object as rendered. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

interface Kustomization {
  namespace?: string;
  resources?: string[];
  labels?: Array<{ pairs: Record<string, string>; includeSelectors?: boolean }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  patches?: Array<{ target: { kind?: string; name?: string }; patch: string }>;
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'labels', 'images', 'patches']);

/**
 * Renders a kustomization the way `kustomize build` does, for the subset this repository uses:
 * `resources` (files and other kustomization folders), `namespace`, `labels` (metadata only),
 * `images` and JSON 6902 `patches` aimed by kind and name. Anything else is refused, so a
 * kustomization never renders differently here than in a cluster without the specs knowing.
 */
export function renderKustomization(folder: string): Manifest[] {
  const file = join(folder, 'kustomization.yaml');
  const kustomization = parse(readFileSync(file, 'utf8')) as Kustomization;
  for (const key of Object.keys(kustomization)) {
    if (!SUPPORTED.has(key)) throw new Error(`${file}: ${key} is not supported by this renderer`);
  }
  let manifests: Manifest[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = resolve(folder, resource);
    if (statSync(path).isDirectory()) {
      manifests.push(...renderKustomization(path));
    } else {
      manifests.push(
        ...parseAllDocuments(readFileSync(path, 'utf8'))
          .map((document) => {
            if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0].message}`);
            return document.toJS() as Manifest | null;
          })
          .filter((manifest): manifest is Manifest => manifest !== null),
      );
    }
  }
  manifests = manifests.map((manifest) => structuredClone(manifest));
  for (const { pairs } of kustomization.labels ?? []) {
    for (const manifest of manifests) manifest.metadata.labels = { ...manifest.metadata.labels, ...pairs };
  }
  for (const patch of kustomization.patches ?? []) {
    const ops = parse(patch.patch) as JsonPatchOp[];
    const targets = manifests.filter((m) => (!patch.target.kind || m.kind === patch.target.kind) && (!patch.target.name || m.metadata.name === patch.target.name));
    if (targets.length === 0) throw new Error(`${file}: a patch aims at nothing (${JSON.stringify(patch.target)})`);
    for (const target of targets) for (const op of ops) applyOp(target, op, file);
  }
  for (const image of kustomization.images ?? []) {
    for (const container of manifests.flatMap(containersOf)) {
      const [name] = splitImage(container.image);
      if (name === splitImage(image.name)[0]) container.image = `${image.newName ?? name}${image.newTag ? `:${image.newTag}` : ''}`;
    }
  }
  if (kustomization.namespace) {
    for (const manifest of manifests) manifest.metadata.namespace = kustomization.namespace;
  }
  return manifests;
}

/** The containers of a workload's pod template. */
export function containersOf(manifest: Manifest): Array<{ name: string; image: string; [key: string]: unknown }> {
  return manifest.spec?.template?.spec?.containers ?? [];
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
}

function applyOp(target: Manifest, op: JsonPatchOp, file: string): void {
  const path = op.path.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = path.pop() as string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let parent: any = target;
  for (const part of path) {
    parent = parent?.[part];
    if (parent === undefined) throw new Error(`${file}: ${op.path} does not exist in ${target.kind}/${target.metadata.name}`);
  }
  if (op.op !== 'add' && !(last in parent)) throw new Error(`${file}: ${op.path} does not exist in ${target.kind}/${target.metadata.name}`);
  if (op.op === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (Array.isArray(parent) && op.op === 'add') {
    parent.splice(last === '-' ? parent.length : Number(last), 0, op.value);
  } else {
    parent[last] = op.value;
  }
}

/** The folder of this repository's Kubernetes manifests. */
export const KUBERNETES = resolve(__dirname, '../kubernetes');
export const REPOSITORY = resolve(__dirname, '../..');
