/** The XML namespace of IAM Query API replies. */
export const IAM_XML_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/**
 * A value of a Query API result:
 * - a plain object is a structure (its keys become element names, in order);
 * - an array is a list (`<member>` elements);
 * - a `Map` is a map (`<entry><key/><value/></entry>` elements);
 * - strings, finite numbers, booleans (`true`/`false`) and `Date`s (`2026-11-28T01:02:03Z`) are
 *   text; `null` and `undefined` members are left out.
 */
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | readonly XmlValue[]
  | ReadonlyMap<string, XmlValue>
  | XmlStructure;

/** A structure of a Query API result. */
export interface XmlStructure {
  readonly [element: string]: XmlValue;
}

/** Options shared by the reply builders. */
export interface QueryXmlOptions {
  /** The reply's `xmlns`; IAM's unless given. */
  readonly namespace?: string;
}

/** An error as the Query API reports it. */
export interface QueryErrorBody {
  readonly type: 'Sender' | 'Receiver';
  readonly code: string;
  readonly message: string;
}

const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
// Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
};


/**
 * Escapes text for XML element content: `& < > " '` as entities, a carriage return as `&#xD;`
 * (so that parsers do not turn it into a line feed), and characters XML 1.0 cannot represent
 * replaced by U+FFFD.
 */
export function escapeXmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"'\r]/g, (char) => ENTITIES[char]);
}

/** Formats a date as IAM does in replies: ISO 8601, UTC, whole seconds (`2026-11-28T01:02:03Z`). */
export function formatXmlTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('Cannot write an invalid Date to XML.');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function checkElementName(name: string): string {
  if (!ELEMENT_NAME.test(name)) throw new TypeError(`'${name}' cannot be an XML element name.`);
  return name;
}

/** `<name>content</name>`, or `<name/>` when there is no content. */
function element(name: string, content: string): string {
  return content === '' ? `<${name}/>` : `<${name}>${content}</${name}>`;
}

/** The content of an element holding `value` (already escaped), `''` when it holds nothing. */
function content(value: Exclude<XmlValue, null | undefined>): string {
  if (typeof value === 'string') return escapeXmlText(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot write ${value} to XML.`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return formatXmlTimestamp(value);
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value as readonly XmlValue[]) {
      if (item !== null && item !== undefined) out += element('member', content(item));
    }
    return out;
  }
  if (value instanceof Map) {
    let out = '';
    for (const [key, item] of value as ReadonlyMap<string, XmlValue>) {
      out += `<entry>${element('key', escapeXmlText(key))}${item === null || item === undefined ? '' : element('value', content(item))}</entry>`;
    }
    return out;
  }
  return structureContent(value as XmlStructure);
}

function structureContent(structure: XmlStructure): string {
  let out = '';
  for (const name in structure) {
    if (!Object.prototype.hasOwnProperty.call(structure, name)) continue;
    const value = structure[name];
    if (value === null || value === undefined) continue;
    out += element(checkElementName(name), content(value));
  }
  return out;
}

function checkAction(action: string): string {
  if (!ACTION_NAME.test(action)) throw new TypeError(`'${action}' is not an action name.`);
  return action;
}

/**
 * Writes a Query API reply:
 * `<ActionResponse xmlns="..."><ActionResult>...</ActionResult><ResponseMetadata><RequestId>...</RequestId></ResponseMetadata></ActionResponse>`.
 * Pass `result` as `undefined` for actions whose reply has no result element (DeleteUser,
 * AddUserToGroup, ...): the reply then holds only `ResponseMetadata`.
 *
 * @throws TypeError when `action` or an element name is not a valid name, or a number is not
 * finite (programming errors, never client input)
 */
export function queryResponse(
  action: string,
  result: XmlStructure | undefined,
  requestId: string,
  options: QueryXmlOptions = {},
): string {
  const name = checkAction(action);
  const resultElement = result === undefined ? '' : element(`${name}Result`, structureContent(result));
  return (
    `<${name}Response xmlns="${options.namespace ?? IAM_XML_NAMESPACE}">` +
    `${resultElement}<ResponseMetadata>${element('RequestId', escapeXmlText(requestId))}</ResponseMetadata></${name}Response>`
  );
}

/**
 * Writes a Query API error reply:
 * `<ErrorResponse xmlns="..."><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 * The HTTP status is the gateway's to choose.
 */
export function queryErrorResponse(error: QueryErrorBody, requestId: string, options: QueryXmlOptions = {}): string {
  const fields = element('Type', error.type) + element('Code', escapeXmlText(error.code)) + element('Message', escapeXmlText(error.message));
  return `<ErrorResponse xmlns="${options.namespace ?? IAM_XML_NAMESPACE}"><Error>${fields}</Error>${element('RequestId', escapeXmlText(requestId))}</ErrorResponse>`;
}
