/**
 * Where the API's policy errors are in the text being edited. The REST API answers
 * `MalformedPolicyDocument` with IAM's one message (`Policy statement must contain actions.`)
 * and `Problems`: each problem with its JSON path and its line and column in the document as
 * sent. The editor shows IAM's message over the editor and each problem at its line. A server
 * that sends no `Problems` is read as before: a message that names JSON paths (`path: reason`
 * joined by `; `, or `... at line L, column C` for invalid JSON) is placed by those.
 */
import type { ApiError } from './api';


export type JsonPath = Array<string | number>;

export interface PolicyProblem {
  /** 1-based line in the edited text; undefined when the problem is about the whole document. */
  line?: number;
  column?: number;
  /** `Statement[1].Action[0]`, or empty. */
  path: string;
  message: string;
}

/** `Statement[1].Condition["aws:SourceIp"]` as segments. */
export function parsePath(path: string): JsonPath {
  const out: JsonPath = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]"\s]+)/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(path)) !== null) {
    if (match[1] !== undefined) out.push(Number(match[1]));
    else if (match[2] !== undefined) out.push(JSON.parse(match[2]) as string);
    else out.push(match[3]);
  }
  return out;
}

interface Located {
  line: number;
  column: number;
}

/**
 * The line and column where each value (and each object key) of a JSON text starts, by path.
 * Tolerant: stops at the first syntax error, keeping what it found.
 */
export function locateJson(text: string): Map<string, Located> {
  const found = new Map<string, Located>();
  let i = 0;
  const at = (index: number): Located => {
    let line = 1;
    let last = -1;
    for (let k = 0; k < index; k++) {
      if (text[k] === '\n') {
        line++;
        last = k;
      }
    }
    return { line, column: index - last };
  };
  const key = (path: JsonPath) => JSON.stringify(path);
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: JsonPath): void => {
    ws();
    if (!found.has(key(path))) found.set(key(path), at(i));
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Error('key expected');
        const keyAt = at(i);
        const name = string();
        const childPath = [...path, name];
        found.set(key(childPath), keyAt);
        ws();
        if (text[i] !== ':') throw new Error(': expected');
        i++;
        const before = found.get(key(childPath));
        found.delete(key(childPath));
        value(childPath);
        // A key's position is where it is written, which is where a reader looks.
        if (before) found.set(key(childPath), before);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new Error(', or } expected');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value([...path, n]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw new Error(', or ] expected');
      }
    }
    if (c === '"') {
      string();
      return;
    }
    const literal = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!literal) throw new Error('value expected');
    i += literal[0].length;
  };
  try {
    value([]);
  } catch {
    // Keep what was found before the error.
  }
  return found;
}

/** The line of `path` in `text`, or of its nearest ancestor that is there. */
export function lineOf(text: string, path: JsonPath, located = locateJson(text)): Located | undefined {
  for (let n = path.length; n > 0; n--) {
    const hit = located.get(JSON.stringify(path.slice(0, n)));
    if (hit) return hit;
  }
  return undefined;
}

/** What the editor shows after the API refused a document: IAM's message, and each problem at its line. */
export interface EditorProblems {
  /** The API's message, IAM's words (`Syntax errors in policy.`). */
  summary?: string;
  problems: PolicyProblem[];
}

export const NO_PROBLEMS: EditorProblems = { problems: [] };

/**
 * The API's `MalformedPolicyDocument` for `text` (the document as it was sent) as the editor
 * shows it: the `Problems` the REST API details, each at the line it gives (or, without one,
 * at the line of its path in `text`); from a server without them, the problems its message
 * names. IAM's own message is the summary.
 */
export function editorProblems(error: Pick<ApiError, 'message' | 'problems'>, text: string): EditorProblems {
  if (error.problems && error.problems.length > 0) {
    let located: Map<string, Located> | undefined;
    const problems = error.problems.map((p): PolicyProblem => {
      if (p.Line !== undefined) return { path: p.Path, message: p.Message, line: p.Line, ...(p.Column !== undefined ? { column: p.Column } : {}) };
      if (p.Path === '') return { path: '', message: p.Message };
      located ??= locateJson(text);
      const place = lineOf(text, parsePath(p.Path), located);
      return { path: p.Path, message: p.Message, ...(place ? { line: place.line, column: place.column } : {}) };
    });
    return { summary: error.message, problems };
  }
  const problems = policyProblems(error.message, text);
  // A message that is one problem without a place is IAM's one message: the summary alone.
  if (problems.length === 1 && problems[0].line === undefined && problems[0].path === '') return { summary: error.message, problems: [] };
  return { problems };
}

/** The problems at each line, for the markers beside the text. */
export function problemsByLine(problems: readonly PolicyProblem[]): Map<number, PolicyProblem[]> {
  const out = new Map<number, PolicyProblem[]>();
  for (const p of problems) {
    if (p.line === undefined) continue;
    const at = out.get(p.line);
    if (at) at.push(p);
    else out.set(p.line, [p]);
  }
  return out;
}

/** The API's `MalformedPolicyDocument` message as problems placed in `text`. */
export function policyProblems(message: string, text: string): PolicyProblem[] {
  const located = locateJson(text);
  return splitProblems(message).map((part) => {
    const syntax = /at line (\d+), column (\d+)$/.exec(part);
    if (syntax) return { path: '', message: part, line: Number(syntax[1]), column: Number(syntax[2]) };
    const withPath = /^((?:[A-Za-z0-9_:-]+|\[(?:\d+|"(?:[^"\\]|\\.)*")\])(?:\.[^.[\]"\s:]+|\[(?:\d+|"(?:[^"\\]|\\.)*")\])*): (.*)$/.exec(part);
    if (!withPath) return { path: '', message: part };
    const place = lineOf(text, parsePath(withPath[1]), located);
    return { path: withPath[1], message: withPath[2], ...(place ? { line: place.line, column: place.column } : {}) };
  });
}

/** `a; b; c`, where a reason may itself hold `; ` inside quotes. */
function splitProblems(message: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < message.length; i++) {
    const c = message[i];
    if (c === '"' && message[i - 1] !== '\\') quoted = !quoted;
    if (!quoted && c === ';' && message[i + 1] === ' ') {
      parts.push(current);
      current = '';
      i++;
      continue;
    }
    current += c;
  }
  if (current !== '') parts.push(current);
  return parts;
}

/** The browser's own check of the JSON, before asking the API: the syntax error with its line, or none. */
export function jsonSyntaxProblem(text: string): PolicyProblem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    if (lineColumn) return { path: '', message: `Not valid JSON: ${message}`, line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
    if (position) {
      const index = Number(position[1]);
      const before = text.slice(0, index);
      const line = before.split('\n').length;
      return { path: '', message: `Not valid JSON: ${message}`, line, column: index - before.lastIndexOf('\n') };
    }
    return { path: '', message: `Not valid JSON: ${message}` };
  }
}
