/**
 * Grammar and validation of identity-based policy documents, as IAM validates them
 * (IAM User Guide: "Grammar of the IAM JSON policy language", "IAM JSON policy elements",
 * "IAM and AWS STS quotas"). Produces every error with its JSON path, or a normalized
 * document the compiler trusts.
 */
import { OperatorSpec, parseOperator } from '../conditions/condition';
import { formatPath, isJsonObject, JsonObject, JsonPath, JsonValue, readJson, TextPosition } from './json';
import { parseDate } from '../conditions/values';
import { legacyDateAccepted } from './legacy-date';
import { policyDocumentSize } from './size';

/**
 * The order in which IAM reports problems: IAM answers one message, the one of the
 * earliest check that fails (expectations recorded against IAM in
 * `libs/policy-engine/validation/`). Lower runs first.
 */
export const VALIDATION_PHASES = {
  /** Size quota, characters, JSON text. */
  document: 0,
  /** Structure: elements, types, values IAM knows ("Syntax errors in policy."). */
  syntax: 1,
  /** Elements an identity-based policy must not have (Principal). */
  identity: 2,
  /** Managed policies: "Policy document must be version 2012-10-17 or greater." */
  version: 3,
  /** Effect case, date values, resource shapes ("The policy failed legacy parsing"). */
  legacy: 4,
  /** "Statement IDs (SID) in a single policy must be unique." */
  sid: 5,
  /** "Policy statement must contain actions." */
  actions: 6,
  /** Resource formats (partition, vendor, region, IAM path). */
  resourceFormat: 7,
  /** Action vendor prefixes and colons. */
  actionPrefix: 8,
  /** "Policy statement must contain resources." */
  resources: 9,
} as const;

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
  /**
   * What IAM answers for this problem, word for word where IAM's wording is known
   * ("Syntax errors in policy.", "Policy statement must contain actions.", ...); otherwise
   * `path: message`.
   */
  readonly awsMessage: string;
  /** Which check found it (`VALIDATION_PHASES`); IAM reports the problem of the lowest phase. */
  readonly phase: number;
  /**
   * Where in the text (1-based; columns in UTF-16 code units, as editors count): the element
   * at `path` (an object member at its key, an array entry at its value), or the character
   * that broke the JSON. Absent for a problem with the whole document (`path` `""`).
   */
  readonly line?: number;
  readonly column?: number;
}

/** Managed policies need `"Version": "2012-10-17"`; inline policies may omit it or say 2008-10-17. */
export type PolicyKind = 'managed' | 'inline';

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
  /**
   * `managed`: the document must say `"Version": "2012-10-17"`, as IAM requires of managed
   * policies. `inline` (the default): Version may be absent or `2008-10-17`.
   */
  readonly kind?: PolicyKind;
  /**
   * A document already stored, compiled again when it is read: resource formats and date
   * values are not checked, as releases before these checks did not check them, so what a
   * stored policy grants never changes with an upgrade. Never for documents being written.
   */
  readonly stored?: boolean;
}

const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
/** Characters IAM accepts in an action's vendor prefix (or the vendor is exactly `*`). */
const VENDOR = /^[A-Za-z0-9.-]*$/;
/** Partitions IAM knows. */
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);
/** How an IAM resource (after the account) must start. */
const IAM_RESOURCE_STARTS = [
  'user/', 'federated-user/', 'role/', 'group/', 'instance-profile/', 'mfa/', 'server-certificate/',
  'policy/', 'sms-mfa/', 'saml-provider/', 'oidc-provider/', 'report/', 'access-report/',
];

/** IAM's words for each phase whose wording is one sentence for every problem. */
const AWS_MESSAGES: Partial<Record<number, string>> = {
  [VALIDATION_PHASES.syntax]: 'Syntax errors in policy.',
  [VALIDATION_PHASES.identity]: 'Policy document should not specify a principal.',
  [VALIDATION_PHASES.version]: 'Policy document must be version 2012-10-17 or greater.',
  [VALIDATION_PHASES.legacy]: 'The policy failed legacy parsing',
  [VALIDATION_PHASES.actions]: 'Policy statement must contain actions.',
  [VALIDATION_PHASES.resources]: 'Policy statement must contain resources.',
};

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

function problem(
  phase: number,
  path: string,
  message: string,
  awsMessage?: string,
  code: PolicyValidationError['code'] = 'MalformedPolicyDocument',
  at?: TextPosition,
): PolicyValidationError {
  const out = { code, path, message, phase, awsMessage: awsMessage ?? AWS_MESSAGES[phase] ?? (path ? `${path}: ${message}` : message) };
  return at ? { ...out, line: at.line, column: at.column } : out;
}

/**
 * The problems with where their elements are written. Run only for a document with problems,
 * so reading a valid one records no positions.
 */
function located(text: string, errors: PolicyValidationError[]): PolicyValidationError[] {
  const positions = readJson(text, { positions: true }).positions;
  if (!positions) return errors;
  return errors.map((e) => {
    if (e.path === '' || e.line !== undefined) return e;
    const at = positions.get(e.path);
    return at ? { ...e, line: at.line, column: at.column } : e;
  });
}

/**
 * What IAM says about a resource's format, or undefined when it accepts it. `legacy` is
 * set when the legacy parser rejects the shape ("The policy failed legacy parsing").
 */
function resourceFormat(text: string): { legacy: boolean; message: string; awsMessage?: string } | undefined {
  if (text === '*') return undefined;
  const first = text.indexOf(':');
  if (first < 0) return { legacy: false, message: `resource "${text}" must be "*" or an ARN (arn:partition:service:region:account:resource)`, awsMessage: `Resource ${text} must be in ARN format or "*".` };
  const afterPrefix = text.slice(first + 1);
  const second = afterPrefix.indexOf(':');
  const partition = second < 0 ? afterPrefix : afterPrefix.slice(0, second);
  if (partition !== '*' && !PARTITIONS.has(partition)) {
    const rest = second < 0 ? [''] : afterPrefix.slice(second + 1).split(':');
    const service = rest[0] !== '' || rest.length > 1 ? rest[0] : '*';
    const region = rest.length > 1 ? rest[1] : '*';
    const account = rest.length > 2 ? rest[2] : '*';
    const resource = rest.length > 3 ? rest.slice(3).join(':') : '*';
    const shown = `arn:${partition}:${service}:${region}:${account}:${resource}`;
    return { legacy: false, message: `resource "${text}" has an unknown partition "${partition}"`, awsMessage: `Partition "${partition}" is not valid for resource "${shown}".` };
  }
  if (second < 0) return { legacy: false, message: `resource "${text}" has no service`, awsMessage: 'Resource vendor must be fully qualified and cannot contain regexes.' };
  const parts = text.split(':');
  // The legacy parser: a resource with "::" needs all six components, and a service.
  if ((parts.length < 6 && text.includes('::')) || parts[2] === '') {
    return { legacy: true, message: `resource "${text}" must be "*" or an ARN with a service (arn:partition:service:region:account:resource)` };
  }
  const service = parts[2];
  const region = parts.length > 3 ? parts[3] : '';
  const resourceId = parts.length > 5 ? parts.slice(5).join(':') : '';
  if (region !== '' && service === 'iam') {
    return { legacy: false, message: `IAM resource "${text}" has a region`, awsMessage: `IAM resource ${text} cannot contain region information.` };
  }
  if (region !== '' && service === 's3' && !resourceId.startsWith('accesspoint/')) {
    return { legacy: false, message: `S3 resource "${text}" has a region`, awsMessage: `Resource ${text} can not contain region information.` };
  }
  const resourceType = resourceId.split('/')[0];
  const typeHasWildcard = resourceType.includes('*') || resourceType.includes('?');
  if (service === 'iam' && !typeHasWildcard && !IAM_RESOURCE_STARTS.some((start) => resourceId.startsWith(start))) {
    return {
      legacy: false,
      message: `IAM resource "${text}" must name a resource type (user/, group/, policy/, ...) or be "*"`,
      awsMessage: `IAM resource path must either be "*" or start with ${IAM_RESOURCE_STARTS.join(', ')}.`,
    };
  }
  return undefined;
}

class Checker {
  readonly errors: PolicyValidationError[] = [];
  constructor(private readonly stored: boolean) {}

  error(phase: number, path: JsonPath, message: string, awsMessage?: string): void {
    this.errors.push(problem(phase, formatPath(path), message, awsMessage));
  }

  /** A string or an array of strings (possibly empty); returns the strings with their paths. */
  stringList(value: JsonValue, path: JsonPath, element: string): { text: string; path: JsonPath }[] | undefined {
    if (typeof value === 'string') return [{ text: value, path }];
    if (!Array.isArray(value)) {
      this.error(VALIDATION_PHASES.syntax, path, `${element} must be a string or an array of strings, found ${describe(value)}`);
      return undefined;
    }
    const out: { text: string; path: JsonPath }[] = [];
    let ok = true;
    value.forEach((v, i) => {
      if (typeof v === 'string') out.push({ text: v, path: [...path, i] });
      else if (v === null) return; // IAM skips null entries
      else {
        ok = false;
        this.error(VALIDATION_PHASES.syntax, [...path, i], `${element} entries must be strings, found ${describe(v)}`);
      }
    });
    return ok ? out : undefined;
  }

  /** IAM checks an action's shape loosely: a vendor prefix of letters, digits, `.` and `-` (or `*`), one colon. */
  action(text: string, path: JsonPath): void {
    if (text === '*') return;
    const parts = text.split(':');
    if (parts.length === 1) {
      this.error(VALIDATION_PHASES.actionPrefix, path, `action "${text}" must have the form service:action (e.g. s3:GetObject) or be "*"`,
        'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    } else if (parts.length > 2) {
      this.error(VALIDATION_PHASES.actionPrefix, path, `action "${text}" must contain exactly one colon`, 'Actions/Condition can contain only one colon.');
    } else if (parts[0] !== '*' && !VENDOR.test(parts[0])) {
      this.error(VALIDATION_PHASES.actionPrefix, path, `action "${text}" has an invalid service prefix "${parts[0]}"`, `Vendor ${parts[0]} is not valid`);
    }
  }

  conditionBlock(value: JsonValue, path: JsonPath): ParsedCondition[] {
    const out: ParsedCondition[] = [];
    if (!isJsonObject(value)) {
      this.error(VALIDATION_PHASES.syntax, path, `Condition must be an object of the form {"operator": {"key": value}}, found ${describe(value)}`);
      return out;
    }
    for (const operatorText of Object.keys(value)) {
      const opPath = [...path, operatorText];
      const block = value[operatorText];
      if (!isJsonObject(block)) {
        this.error(VALIDATION_PHASES.syntax, opPath, `the ${operatorText} block must be an object mapping condition keys to values, found ${describe(block)}`);
        continue;
      }
      const spec = parseOperator(operatorText);
      if (typeof spec === 'string') {
        // IAM accepts an unknown operator with an empty block (it constrains nothing).
        if (Object.keys(block).length > 0) this.error(VALIDATION_PHASES.syntax, opPath, spec);
        continue;
      }
      for (const keyName of Object.keys(block)) {
        const keyPath = [...opPath, keyName];
        const values = this.conditionValues(block[keyName], keyPath);
        if (!values) continue;
        if (!this.stored && spec.operator.name.startsWith('Date')) {
          values.forEach((v, i) => {
            if (!legacyDateAccepted(v) && (parseDate(v) === undefined || /^\d+$/.test(v))) {
              this.error(VALIDATION_PHASES.legacy, Array.isArray(block[keyName]) ? [...keyPath, i] : keyPath, `"${v}" is not a date (ISO 8601 or epoch seconds)`);
            }
          });
        }
        out.push({ operatorText, spec, keyName, values });
      }
    }
    return out;
  }

  conditionValues(value: JsonValue, path: JsonPath): string[] | undefined {
    const scalar = (v: JsonValue, p: JsonPath): string | undefined => {
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      this.error(VALIDATION_PHASES.syntax, p, `condition values must be strings, numbers or booleans, found ${describe(v)}`);
      return undefined;
    };
    if (!Array.isArray(value)) {
      const s = scalar(value, path);
      return s === undefined ? undefined : [s];
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
      this.error(VALIDATION_PHASES.syntax, path, `a statement must be an object, found ${describe(value)}`);
      return undefined;
    }
    const before = this.errors.length;
    for (const key of Object.keys(value)) {
      if (key === 'Principal' || key === 'NotPrincipal') this.error(VALIDATION_PHASES.identity, [...path, key], `${key} is not allowed in an identity-based policy`);
      else if (!STATEMENT_ELEMENTS.has(key)) {
        this.error(VALIDATION_PHASES.syntax, [...path, key], `unknown statement element "${key}"; expected Sid, Effect, Action, NotAction, Resource, NotResource or Condition`);
      }
    }
    let sid: string | undefined;
    if ('Sid' in value) {
      const s = value['Sid'];
      if (typeof s !== 'string') this.error(VALIDATION_PHASES.syntax, [...path, 'Sid'], `Sid must be a string, found ${describe(s)}`);
      else {
        sid = s;
        const first = sids.get(s);
        if (s !== '' && first !== undefined) {
          this.error(VALIDATION_PHASES.sid, [...path, 'Sid'], `Sid "${s}" is already used by ${first}; Sids must be unique within a policy`,
            'Statement IDs (SID) in a single policy must be unique.');
        } else sids.set(s, formatPath(path));
      }
    }
    let effect: 'Allow' | 'Deny' | undefined;
    if (!('Effect' in value)) this.error(VALIDATION_PHASES.syntax, path, 'statement is missing Effect');
    else {
      const e = value['Effect'];
      if (e === 'Allow' || e === 'Deny') effect = e;
      else if (typeof e === 'string' && (e.toLowerCase() === 'allow' || e.toLowerCase() === 'deny')) {
        this.error(VALIDATION_PHASES.legacy, [...path, 'Effect'], `Effect must be "Allow" or "Deny" exactly as written, found ${describe(e)}`);
      } else this.error(VALIDATION_PHASES.syntax, [...path, 'Effect'], `Effect must be "Allow" or "Deny", found ${describe(e)}`);
    }
    const actions = this.either(value, path, 'Action', 'NotAction', VALIDATION_PHASES.actions);
    const resources = this.either(value, path, 'Resource', 'NotResource', VALIDATION_PHASES.resources);
    const conditions = 'Condition' in value ? this.conditionBlock(value['Condition'], [...path, 'Condition']) : [];
    if (actions) for (const a of actions.items) this.action(a.text, a.path);
    if (resources && !this.stored) {
      for (const r of resources.items) {
        const format = resourceFormat(r.text);
        if (format) this.error(format.legacy ? VALIDATION_PHASES.legacy : VALIDATION_PHASES.resourceFormat, r.path, format.message, format.awsMessage);
      }
    }
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

  /** Exactly one of `plain`/`negated` (Action/NotAction, Resource/NotResource), with at least one entry. */
  either(
    value: JsonObject,
    path: JsonPath,
    plain: string,
    negatedName: string,
    missingPhase: number,
  ): { negated: boolean; items: { text: string; path: JsonPath }[] } | undefined {
    const hasPlain = plain in value;
    const hasNegated = negatedName in value;
    if (hasPlain && hasNegated) {
      this.error(VALIDATION_PHASES.syntax, path, `statement has both ${plain} and ${negatedName}; use one of them`);
      return undefined;
    }
    if (!hasPlain && !hasNegated) {
      this.error(missingPhase, path, `statement is missing ${plain} or ${negatedName}`);
      return undefined;
    }
    const name = hasPlain ? plain : negatedName;
    const items = this.stringList(value[name], [...path, name], name);
    if (items && items.length === 0) {
      this.error(missingPhase, [...path, name], `${name} must list at least one ${plain.toLowerCase()}`);
      return undefined;
    }
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
      errors.push(problem(VALIDATION_PHASES.document, '',
        `character U+${code} at line ${line}, column ${column} is not allowed; a policy may contain only tab, line feed, carriage return and U+0020 to U+00FF`,
        undefined, undefined, { line, column }));
      return;
    }
    column++;
  }
}

/** Orders problems as IAM reports them: by phase, then in document order. */
function byPhase(errors: PolicyValidationError[]): PolicyValidationError[] {
  return errors.map((e, i) => ({ e, i })).sort((a, b) => a.e.phase - b.e.phase || a.i - b.i).map(({ e }) => e);
}

/** @internal Validates and normalizes a document. */
export function parsePolicyDocument(text: string, opts: ValidateOptions = {}): { errors: PolicyValidationError[]; policy?: ParsedPolicy } {
  const errors: PolicyValidationError[] = [];
  if (typeof text !== 'string') {
    errors.push(problem(VALIDATION_PHASES.syntax, '', 'policy document must be JSON text'));
    return { errors };
  }
  const size = policyDocumentSize(text);
  if (opts.maxSize !== undefined && size > opts.maxSize) {
    errors.push(problem(VALIDATION_PHASES.document, '', `policy document has ${size} characters without white space, more than the ${opts.maxSize} allowed`,
      `Cannot exceed quota for PolicySize: ${opts.maxSize}`, 'LimitExceeded'));
  }
  checkCharacters(text, errors);
  const read = readJson(text);
  if (read.syntaxError) {
    const e = read.syntaxError;
    errors.push(problem(VALIDATION_PHASES.syntax, '', `policy document is not valid JSON: ${e.message} at line ${e.line}, column ${e.column}`,
      undefined, undefined, { line: e.line, column: e.column }));
    return { errors };
  }
  const checker = new Checker(opts.stored === true);
  for (const dup of read.duplicateKeys) checker.error(VALIDATION_PHASES.document, dup, `element "${String(dup[dup.length - 1])}" appears more than once in the same object`);
  const doc = read.value as JsonValue;
  if (!isJsonObject(doc)) {
    checker.error(VALIDATION_PHASES.syntax, [], `policy document must be a JSON object, found ${describe(doc)}`);
    return { errors: located(text, byPhase([...errors, ...checker.errors])) };
  }
  for (const key of Object.keys(doc)) {
    if (key === 'Id') {
      if (typeof doc['Id'] !== 'string') checker.error(VALIDATION_PHASES.syntax, ['Id'], `Id must be a string, found ${describe(doc['Id'])}`);
    } else if (key !== 'Version' && key !== 'Statement') checker.error(VALIDATION_PHASES.syntax, [key], `unknown policy element "${key}"; expected Version, Id or Statement`);
  }
  let version: PolicyLanguageVersion = '2008-10-17';
  if ('Version' in doc) {
    const v = doc['Version'];
    if (v === '2012-10-17' || v === '2008-10-17') version = v;
    else checker.error(VALIDATION_PHASES.syntax, ['Version'], `Version must be "2012-10-17" or "2008-10-17", found ${describe(v)}`);
  }
  if (opts.kind === 'managed' && (!('Version' in doc) || doc['Version'] === '2008-10-17')) {
    checker.error(VALIDATION_PHASES.version, 'Version' in doc ? ['Version'] : [], 'a managed policy must say "Version": "2012-10-17"');
  }
  const statements: ParsedStatement[] = [];
  if (!('Statement' in doc)) checker.error(VALIDATION_PHASES.syntax, [], 'policy document is missing Statement');
  else {
    const st = doc['Statement'];
    const sids = new Map<string, string>();
    if (Array.isArray(st)) {
      if (st.length === 0) checker.error(VALIDATION_PHASES.syntax, ['Statement'], 'Statement must contain at least one statement');
      st.forEach((s, i) => {
        const parsed = checker.statement(s, ['Statement', i], i, sids);
        if (parsed) statements.push(parsed);
      });
    } else if (isJsonObject(st)) {
      const parsed = checker.statement(st, ['Statement'], 0, sids);
      if (parsed) statements.push(parsed);
    } else {
      checker.error(VALIDATION_PHASES.syntax, ['Statement'], `Statement must be an object or an array of objects, found ${describe(st)}`);
    }
  }
  errors.push(...checker.errors);
  if (errors.length > 0) return { errors: located(text, byPhase(errors)) };
  return { errors, policy: { version, statements, size } };
}

/**
 * Validates an identity-based policy document as IAM does. Returns every problem found,
 * `[]` when the document is valid, ordered as IAM reports them: by `phase`, then in
 * document order, so the first one's `awsMessage` is IAM's answer. Never throws.
 */
export function validatePolicyDocument(text: string, opts: ValidateOptions = {}): PolicyValidationError[] {
  return parsePolicyDocument(text, opts).errors;
}
