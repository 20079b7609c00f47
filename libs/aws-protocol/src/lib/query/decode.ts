import { AwsProtocolError } from '../errors';
import type { Infer, ListShape, MapShape, Shape, StructureShape } from './shapes';
import { checkConstraints, joinPath, memberPathName, QueryValidationError, type ValidationIssue } from './validate';

/** Parameters that frame every Query request rather than belong to an operation's input. */
export const QUERY_ENVELOPE_PARAMETERS: readonly string[] = ['Action', 'Version'];

/** Options of {@link decodeQueryInput}. */
export interface DecodeQueryOptions {
  /** Parameters neither decoded nor reported as unknown; `Action` and `Version` unless given. */
  readonly ignore?: readonly string[];
}

/** The decoded input of an operation and the parameters its shape does not know. */
export interface DecodedQueryInput<T> {
  readonly input: T;
  /** Full names of parameters the shape did not use, in the order received. */
  readonly unknownParameters: readonly string[];
}

/** A parameter name split on dots, as a tree: `Tags.member.1.Key` → Tags → member → 1 → Key. */
interface Node {
  readonly name: string;
  value?: string;
  used: boolean;
  readonly children: Map<string, Node>;
}

function buildTree(params: ReadonlyMap<string, string>, ignore: ReadonlySet<string>): Node {
  const root: Node = { name: '', used: true, children: new Map() };
  for (const [name, value] of params) {
    if (ignore.has(name)) continue;
    let node = root;
    for (const segment of name.split('.')) {
      let child = node.children.get(segment);
      if (!child) {
        child = { name: node === root ? segment : `${node.name}.${segment}`, used: false, children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.value = value;
  }
  return root;
}

function collectUnused(node: Node, out: string[]): void {
  if (node.value !== undefined && !node.used) out.push(node.name);
  for (const child of node.children.values()) collectUnused(child, out);
}

function malformed(message: string): AwsProtocolError {
  return new AwsProtocolError('InvalidQueryParameter', message);
}

/** Marks a value that failed to decode (the issue is already recorded). */
const INVALID = Symbol('invalid');
/** A decoded value, `undefined` when absent, or {@link INVALID}. */
type Decoded = unknown;

class Decoder {
  readonly issues: ValidationIssue[] = [];

  /** Decodes the value at `node` (absent → `undefined`). */
  value(shape: Shape, node: Node | undefined, path: string): Decoded {
    if (!node) return undefined;
    switch (shape.type) {
      case 'list':
        return this.list(shape, node, path);
      case 'map':
        return this.map(shape, node, path);
      case 'structure':
        return node.children.size > 0 ? this.structure(shape, node, path) : undefined;
      default:
        return this.scalar(shape, node, path);
    }
  }

  private scalar(shape: Shape, node: Node, path: string): Decoded {
    const text = node.value;
    if (text === undefined) return undefined;
    node.used = true;
    let value: unknown;
    switch (shape.type) {
      case 'string':
        value = text;
        break;
      case 'integer':
        value = /^-?\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : INVALID;
        break;
      case 'boolean':
        value = /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : INVALID;
        break;
      case 'timestamp':
        value = parseTimestamp(text);
        break;
      default:
        value = INVALID;
    }
    if (value === INVALID) {
      const article = shape.type === 'integer' ? 'an integer' : shape.type === 'boolean' ? 'a boolean' : 'an ISO 8601 timestamp';
      this.issues.push({ path, value: text, constraint: `Member must be ${article}` });
      return INVALID;
    }
    checkConstraints(shape, value, path, this.issues);
    return value;
  }

  /** The child nodes `1`, `2`, ... of a `member` or `entry` node, checked to be contiguous. */
  private numbered(node: Node, listName: string): Node[] {
    const items: [number, Node][] = [];
    for (const [segment, child] of node.children) {
      if (!/^[1-9]\d{0,8}$/.test(segment)) {
        throw malformed(`The parameter '${child.name}' has an invalid index: list members are numbered from 1.`);
      }
      items.push([Number(segment), child]);
    }
    items.sort(([a], [b]) => a - b);
    items.forEach(([index, child], i) => {
      if (index !== i + 1) {
        throw malformed(
          `The parameter '${child.name}' is out of sequence: members of '${listName}' must be numbered 1, 2, 3, ... without gaps.`,
        );
      }
    });
    return items.map(([, child]) => child);
  }

  private emptyCollection(node: Node, keyword: string): boolean {
    if (node.value === undefined) return false;
    if (node.value !== '') {
      throw malformed(`The parameter '${node.name}' must be sent as '${node.name}.${keyword}.N', or empty for an empty list.`);
    }
    node.used = true;
    return true;
  }

  private list(shape: ListShape, node: Node, path: string): Decoded {
    const empty = this.emptyCollection(node, 'member');
    const members = node.children.get('member');
    if (!members || members.children.size === 0) {
      if (!empty) return undefined;
      checkConstraints(shape, [], path, this.issues);
      return [];
    }
    const result: unknown[] = [];
    let invalid = false;
    this.numbered(members, node.name).forEach((child, i) => {
      const itemPath = `${path}.${i + 1}.member`;
      const item = this.value(shape.member, child, itemPath);
      if (item === INVALID) invalid = true;
      else if (item === undefined) throw malformed(`The parameter '${child.name}' has no value.`);
      else result.push(item);
    });
    if (invalid) return INVALID;
    checkConstraints(shape, result, path, this.issues);
    return result;
  }

  private map(shape: MapShape, node: Node, path: string): Decoded {
    const empty = this.emptyCollection(node, 'entry');
    const entries = node.children.get('entry');
    if (!entries || entries.children.size === 0) {
      if (!empty) return undefined;
      checkConstraints(shape, new Map(), path, this.issues);
      return new Map();
    }
    const result = new Map<string, unknown>();
    let invalid = false;
    this.numbered(entries, node.name).forEach((entry, i) => {
      const key = this.value(shape.key, entry.children.get('key'), `${path}.${i + 1}.key`);
      const value = this.value(shape.value, entry.children.get('value'), `${path}.${i + 1}.value`);
      if (key === undefined) throw malformed(`The parameter '${entry.name}.key' is missing.`);
      if (value === undefined) throw malformed(`The parameter '${entry.name}.value' is missing.`);
      if (key === INVALID || value === INVALID) {
        invalid = true;
        return;
      }
      if (result.has(key as string)) throw malformed(`The map '${node.name}' has the key '${String(key)}' more than once.`);
      result.set(key as string, value);
    });
    if (invalid) return INVALID;
    checkConstraints(shape, result, path, this.issues);
    return result;
  }

  structure(shape: StructureShape, node: Node, path: string): Decoded {
    const result: Record<string, unknown> = {};
    let invalid = false;
    for (const [name, member] of Object.entries(shape.members)) {
      const memberPath = joinPath(path, memberPathName(name));
      const child = node.children.get(name);
      const value = this.value(member, child, memberPath);
      if (value === INVALID) invalid = true;
      else if (value !== undefined) result[name] = value;
      else if (member.required) this.issues.push({ path: memberPath, value: null, constraint: 'Member must not be null' });
    }
    return invalid ? INVALID : result;
  }
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

function parseTimestamp(text: string): Date | typeof INVALID {
  if (!ISO_TIMESTAMP.test(text)) return INVALID;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? INVALID : date;
}

/**
 * Decodes flat Query parameters into the typed input of an operation, checking types and the
 * model constraints of every member.
 *
 * - Lists are `Name.member.N`, numbered from 1 without gaps (`Name=` is an empty list); maps are
 *   `Name.entry.N.key` / `Name.entry.N.value`; structures nest with dots, to any depth
 *   (`ContextEntries.member.1.ContextKeyValues.member.1`).
 * - Parameters the shape does not know are returned in `unknownParameters`, for the gateway to
 *   refuse or ignore.
 *
 * @throws AwsProtocolError `InvalidQueryParameter` for badly numbered or incomplete list and map
 * entries; {@link QueryValidationError} (`ValidationError`) listing every wrong type, missing
 * required member and broken constraint, worded as AWS does.
 */
export function decodeQueryInput<S extends StructureShape>(
  shape: S,
  params: ReadonlyMap<string, string>,
  options: DecodeQueryOptions = {},
): DecodedQueryInput<Infer<S>> {
  const root = buildTree(params, new Set(options.ignore ?? QUERY_ENVELOPE_PARAMETERS));
  const decoder = new Decoder();
  const input = decoder.structure(shape, root, '');
  if (decoder.issues.length > 0) throw new QueryValidationError(decoder.issues);
  const unknownParameters: string[] = [];
  collectUnused(root, unknownParameters);
  const position = new Map([...params.keys()].map((name, i) => [name, i]));
  unknownParameters.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  return { input: input as Infer<S>, unknownParameters };
}
