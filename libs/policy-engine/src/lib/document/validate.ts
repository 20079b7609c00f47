/**
 * Grammar and validation of identity-based policy documents, as IAM validates them
 * (IAM User Guide: "Grammar of the IAM JSON policy language", "IAM JSON policy elements",
 * "IAM and AWS STS quotas"). Produces every error with its JSON path, or a normalized
 * document the compiler trusts.
 */
import { OperatorSpec, parseOperator } from '../conditions/condition';
import { formatPath, isJsonObject, JsonObject, JsonPath, JsonValue, readJson } from './json';
import { policyDocumentSize } from './size';

/** One problem with a policy document. */
export interface PolicyValidationError {
  /**
   * `MalformedPolicyDocument` for grammar errors and invalid JSON; `LimitExceeded` when
   * the document is larger than the `maxSize` asked for (IAM answers an oversized policy
   * with LimitExceeded, "Cannot exceed quota for PolicySize").
   */
  readonly code: 'MalformedPolicyDocument' | 'LimitExceeded';
  /** Where: a JSON path such as `Statement[1].Condition.StringEquals`; `""` for the whole document. */
  readonly path: string;
  /** One line: what is wrong, with which input. */
  readonly message: string;
}

export type PolicyLanguageVersion = '2012-10-17' | '2008-10-17';

/** @internal A validated statement, elements normalized to arrays. */
export interface ParsedStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  readonly notAction: boolean;
  readonly actions: readonly string[];
  readonly notResource: boolean;
  readonly resources: readonly string[];
  readonly conditions: readonly ParsedCondition[];
}

/** @internal */
export interface ParsedCondition {
  readonly operatorText: string;
  readonly spec: OperatorSpec;
  readonly keyName: string;
  readonly values: readonly string[];
}

/** @internal A validated policy document. */
export interface ParsedPolicy {
  readonly version: PolicyLanguageVersion;
  readonly statements: readonly ParsedStatement[];
  readonly size: number;
}

export interface ValidateOptions {
  /**
   * Largest allowed size, counted as IAM counts it (see `policyDocumentSize`), e.g.
   * `MANAGED_POLICY_MAX_SIZE`. No size check when omitted.
   */
  readonly maxSize?: number;
}

const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const SID = /^[A-Za-z0-9]*$/;
const SERVICE = /^[A-Za-z0-9-]+$/;
const ACTION_NAME = /^[A-Za-z0-9_.*?-]+$/;

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

class Checker {
  readonly errors: PolicyValidationError[] = [];

  error(path: JsonPath, message: string): void {
    this.errors.push({ code: 'MalformedPolicyDocument', path: formatPath(path), message });
  }

  /** A string or a non-empty array of strings; returns the strings with their paths. */
  stringList(value: JsonValue, path: JsonPath, element: string, what: string): { text: string; path: JsonPath }[] | undefined {
    if (typeof value === 'string') return [{ text: value, path }];
    if (!Array.isArray(value)) {
      this.error(path, `${element} must be a string or an array of strings, found ${describe(value)}`);
      return undefined;
    }
    if (value.length === 0) {
      this.error(path, `${element} must list at least one ${what}`);
      return undefined;
    }
    const out: { text: string; path: JsonPath }[] = [];
    value.forEach((v, i) => {
      if (typeof v === 'string') out.push({ text: v, path: [...path, i] });
      else this.error([...path, i], `${element} entries must be strings, found ${describe(v)}`);
    });
    return out;
  }

  action(text: string, path: JsonPath): void {
    if (text === '*') return;
    const colon = text.indexOf(':');
    if (colon < 0) {
      this.error(path, `action "${text}" must have the form service:action (e.g. s3:GetObject) or be "*"`);
      return;
    }
    if (text.indexOf(':', colon + 1) >= 0) {
      this.error(path, `action "${text}" must contain exactly one colon`);
      return;
    }
    const service = text.slice(0, colon);
    const name = text.slice(colon + 1);
    if (service.includes('*') || service.includes('?')) {
      this.error(path, `action "${text}" has a wildcard in its service prefix; service prefixes cannot contain wildcards`);
    } else if (!SERVICE.test(service)) {
      this.error(path, `action "${text}" has an invalid service prefix "${service}"`);
    } else if (name === '') {
      this.error(path, `action "${text}" has no action name after the colon`);
    } else if (!ACTION_NAME.test(name)) {
      this.error(path, `action "${text}" has invalid characters in its action name`);
    }
  }

  resource(text: string, path: JsonPath): void {
    if (text === '*') return;
    let colons = 0;
    for (const c of text) if (c === ':') colons++;
    if (!text.startsWith('arn:') || (colons < 5 && !text.endsWith('*'))) {
      this.error(path, `resource "${text}" must be "*" or an ARN (arn:partition:service:region:account:resource)`);
    }
  }

  conditionBlock(value: JsonValue, path: JsonPath): ParsedCondition[] {
    const out: ParsedCondition[] = [];
    if (!isJsonObject(value)) {
      this.error(path, `Condition must be an object of the form {"operator": {"key": value}}, found ${describe(value)}`);
      return out;
    }
    for (const operatorText of Object.keys(value)) {
      const opPath = [...path, operatorText];
      const spec = parseOperator(operatorText);
      if (typeof spec === 'string') {
        this.error(opPath, spec);
        continue;
      }
      const block = value[operatorText];
      if (!isJsonObject(block)) {
        this.error(opPath, `the ${operatorText} block must be an object mapping condition keys to values, found ${describe(block)}`);
        continue;
      }
      for (const keyName of Object.keys(block)) {
        const keyPath = [...opPath, keyName];
        const colon = keyName.indexOf(':');
        if (colon <= 0 || colon === keyName.length - 1) {
          this.error(keyPath, `condition key "${keyName}" must have a service prefix, e.g. aws:username`);
          continue;
        }
        const values = this.conditionValues(block[keyName], keyPath);
        if (values) out.push({ operatorText, spec, keyName, values });
      }
    }
    return out;
  }

  conditionValues(value: JsonValue, path: JsonPath): string[] | undefined {
    const scalar = (v: JsonValue, p: JsonPath): string | undefined => {
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      this.error(p, `condition values must be strings, numbers or booleans, found ${describe(v)}`);
      return undefined;
    };
    if (!Array.isArray(value)) {
      const s = scalar(value, path);
      return s === undefined ? undefined : [s];
    }
    if (value.length === 0) {
      this.error(path, 'condition key must have at least one value');
      return undefined;
    }
    const out: string[] = [];
    let ok = true;
    value.forEach((v, i) => {
      const s = scalar(v, [...path, i]);
      if (s === undefined) ok = false;
      else out.push(s);
    });
    return ok ? out : undefined;
  }

  statement(value: JsonValue, path: JsonPath, index: number, sids: Map<string, string>): ParsedStatement | undefined {
    if (!isJsonObject(value)) {
      this.error(path, `a statement must be an object, found ${describe(value)}`);
      return undefined;
    }
    const before = this.errors.length;
    for (const key of Object.keys(value)) {
      if (key === 'Principal' || key === 'NotPrincipal') this.error([...path, key], `${key} is not allowed in an identity-based policy`);
      else if (!STATEMENT_ELEMENTS.has(key)) {
        this.error([...path, key], `unknown statement element "${key}"; expected Sid, Effect, Action, NotAction, Resource, NotResource or Condition`);
      }
    }
    let sid: string | undefined;
    if ('Sid' in value) {
      const s = value['Sid'];
      if (typeof s !== 'string') this.error([...path, 'Sid'], `Sid must be a string, found ${describe(s)}`);
      else if (!SID.test(s)) this.error([...path, 'Sid'], `Sid "${s}" may contain only the letters A-Z, a-z and the digits 0-9`);
      else {
        sid = s;
        const first = sids.get(s);
        if (s !== '' && first !== undefined) this.error([...path, 'Sid'], `Sid "${s}" is already used by ${first}; Sids must be unique within a policy`);
        else sids.set(s, formatPath(path));
      }
    }
    let effect: 'Allow' | 'Deny' | undefined;
    if (!('Effect' in value)) this.error(path, 'statement is missing Effect');
    else {
      const e = value['Effect'];
      if (e === 'Allow' || e === 'Deny') effect = e;
      else this.error([...path, 'Effect'], `Effect must be "Allow" or "Deny", found ${describe(e)}`);
    }
    const actions = this.either(value, path, 'Action', 'NotAction', 'action');
    if (actions) for (const a of actions.items) this.action(a.text, a.path);
    const resources = this.either(value, path, 'Resource', 'NotResource', 'resource');
    if (resources) for (const r of resources.items) this.resource(r.text, r.path);
    const conditions = 'Condition' in value ? this.conditionBlock(value['Condition'], [...path, 'Condition']) : [];
    if (this.errors.length > before || !effect || !actions || !resources) return undefined;
    return {
      index,
      sid,
      effect,
      notAction: actions.negated,
      actions: actions.items.map((a) => a.text),
      notResource: resources.negated,
      resources: resources.items.map((r) => r.text),
      conditions,
    };
  }

  /** Exactly one of `plain`/`negated` (Action/NotAction, Resource/NotResource). */
  either(
    value: JsonObject,
    path: JsonPath,
    plain: string,
    negatedName: string,
    what: string,
  ): { negated: boolean; items: { text: string; path: JsonPath }[] } | undefined {
    const hasPlain = plain in value;
    const hasNegated = negatedName in value;
    if (hasPlain && hasNegated) {
      this.error(path, `statement has both ${plain} and ${negatedName}; use one of them`);
      return undefined;
    }
    if (!hasPlain && !hasNegated) {
      this.error(path, `statement is missing ${plain} or ${negatedName}`);
      return undefined;
    }
    const name = hasPlain ? plain : negatedName;
    const items = this.stringList(value[name], [...path, name], name, what);
    return items ? { negated: hasNegated, items } : undefined;
  }
}

function checkCharacters(text: string, errors: PolicyValidationError[]): void {
  let line = 1;
  let column = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      column = 1;
      continue;
    }
    if (c !== 9 && c !== 13 && (c < 0x20 || c > 0xff)) {
      const code = (text.codePointAt(i) ?? c).toString(16).toUpperCase().padStart(4, '0');
      errors.push({
        code: 'MalformedPolicyDocument',
        path: '',
        message: `character U+${code} at line ${line}, column ${column} is not allowed; a policy may contain only tab, line feed, carriage return and U+0020 to U+00FF`,
      });
      return;
    }
    column++;
  }
}

/** @internal Validates and normalizes a document. */
export function parsePolicyDocument(text: string, opts: ValidateOptions = {}): { errors: PolicyValidationError[]; policy?: ParsedPolicy } {
  const errors: PolicyValidationError[] = [];
  if (typeof text !== 'string') {
    errors.push({ code: 'MalformedPolicyDocument', path: '', message: 'policy document must be JSON text' });
    return { errors };
  }
  const size = policyDocumentSize(text);
  if (opts.maxSize !== undefined && size > opts.maxSize) {
    errors.push({
      code: 'LimitExceeded',
      path: '',
      message: `policy document has ${size} characters without white space, more than the ${opts.maxSize} allowed`,
    });
  }
  checkCharacters(text, errors);
  const read = readJson(text);
  if (read.syntaxError) {
    const e = read.syntaxError;
    errors.push({ code: 'MalformedPolicyDocument', path: '', message: `policy document is not valid JSON: ${e.message} at line ${e.line}, column ${e.column}` });
    return { errors };
  }
  const checker = new Checker();
  for (const dup of read.duplicateKeys) checker.error(dup, `element "${String(dup[dup.length - 1])}" appears more than once in the same object`);
  const doc = read.value as JsonValue;
  if (!isJsonObject(doc)) {
    checker.error([], `policy document must be a JSON object, found ${describe(doc)}`);
    return { errors: [...errors, ...checker.errors] };
  }
  for (const key of Object.keys(doc)) {
    if (key === 'Id') checker.error(['Id'], 'Id is not allowed in an identity-based policy');
    else if (key !== 'Version' && key !== 'Statement') checker.error([key], `unknown policy element "${key}"; expected Version or Statement`);
  }
  let version: PolicyLanguageVersion = '2008-10-17';
  if ('Version' in doc) {
    const v = doc['Version'];
    if (v === '2012-10-17' || v === '2008-10-17') version = v;
    else checker.error(['Version'], `Version must be "2012-10-17" or "2008-10-17", found ${describe(v)}`);
  }
  const statements: ParsedStatement[] = [];
  if (!('Statement' in doc)) checker.error([], 'policy document is missing Statement');
  else {
    const st = doc['Statement'];
    const sids = new Map<string, string>();
    if (Array.isArray(st)) {
      if (st.length === 0) checker.error(['Statement'], 'Statement must contain at least one statement');
      st.forEach((s, i) => {
        const parsed = checker.statement(s, ['Statement', i], i, sids);
        if (parsed) statements.push(parsed);
      });
    } else if (isJsonObject(st)) {
      const parsed = checker.statement(st, ['Statement'], 0, sids);
      if (parsed) statements.push(parsed);
    } else {
      checker.error(['Statement'], `Statement must be an object or an array of objects, found ${describe(st)}`);
    }
  }
  errors.push(...checker.errors);
  if (errors.length > 0) return { errors };
  return { errors, policy: { version, statements, size } };
}

/**
 * Validates an identity-based policy document as IAM does. Returns every problem found,
 * in document order after document-level ones (size, characters, JSON syntax); `[]` when
 * the document is valid. Never throws.
 */
export function validatePolicyDocument(text: string, opts: ValidateOptions = {}): PolicyValidationError[] {
  return parsePolicyDocument(text, opts).errors;
}
