import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One shell command of a document's examples, as written there. */
export interface DocCommand {
  /** Where it is: `docs/gateway.md:61`. */
  where: string;
  /** The command, continuation lines and all. */
  text: string;
  /** The AWS error code the document says it answers (a comment naming it), or undefined: it succeeds. */
  expectedError?: string;
}

/** Commands that install or start the system: the spec does that itself, once, before the examples. */
const STARTS_THE_SYSTEM = /^(npm ci|npm start|npm test|npm run start:services|IAM_ROOT_PASSWORD=\S+ npm start)\b|&& npm (start|test)\b/;
/** An AWS error code named at the start of a comment: `# AccessDenied now`. */
const ERROR_CODE = /^#\s*([A-Z][a-z]+(?:[A-Z][a-z]*)+)\b/;
/** The AWS CLI's own wording of an error, as a comment on the line after the command. */
const CLI_ERROR = /^#\s*An error occurred \(([A-Za-z]+)\)/;

/**
 * The shell examples (```sh blocks) of a Markdown file, in order, split into commands: a
 * command ends at a line that does not end in `\` and leaves no quote open. Blocks that install
 * or start the system are left out (the spec starts it); every other block is kept, so an example
 * added to the document is run without touching the spec.
 */
export function shellExamples(root: string, file: string): DocCommand[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const commands: DocCommand[] = [];
  /** The language of the fenced block the line is in, or undefined outside one. */
  let language: string | undefined;
  let block: Array<{ line: string; number: number }> = [];
  for (const [index, line] of lines.entries()) {
    const fence = /^\s*```(\w*)\s*$/.exec(line);
    if (fence && language === undefined) {
      language = fence[1];
      block = [];
    } else if (fence && fence[1] === '') {
      if (language === 'sh' && !block.some((b) => STARTS_THE_SYSTEM.test(b.line.trim()))) commands.push(...splitCommands(file, block));
      language = undefined;
    } else if (language === 'sh') {
      // Blocks inside a numbered list are indented by three spaces.
      block.push({ line: line.replace(/^ {3}/, ''), number: index + 1 });
    }
  }
  return commands;
}

function splitCommands(file: string, block: Array<{ line: string; number: number }>): DocCommand[] {
  const commands: DocCommand[] = [];
  let current: Array<{ line: string; number: number }> = [];
  let quote: string | undefined;
  for (const entry of block) {
    const trimmed = entry.line.trim();
    if (current.length === 0 && (trimmed === '' || trimmed.startsWith('#'))) {
      // A comment right after a command may name the error it answers.
      const previous = commands[commands.length - 1];
      const code = CLI_ERROR.exec(trimmed)?.[1];
      if (previous && code && previous.expectedError === undefined) previous.expectedError = code;
      continue;
    }
    current.push(entry);
    quote = openQuote(entry.line, quote);
    if (quote === undefined && !entry.line.endsWith('\\')) {
      const text = current.map((c) => c.line).join('\n');
      const comment = trailingComment(current[current.length - 1].line);
      const code = comment ? ERROR_CODE.exec(comment)?.[1] : undefined;
      commands.push({ where: `${file}:${current[0].number}`, text, ...(code ? { expectedError: code } : {}) });
      current = [];
    }
  }
  if (current.length > 0) throw new Error(`${file}:${current[0].number}: a command never ends (an open quote or a trailing \\)`);
  return commands;
}

/** The quote still open at the end of `line`, given the one open at its start. */
function openQuote(line: string, open: string | undefined): string | undefined {
  let quote = open;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === undefined && c === '#' && (i === 0 || /\s/.test(line[i - 1]))) break;
    if (quote === undefined && c === '\\') {
      i++;
      continue;
    }
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (quote === c) quote = undefined;
  }
  return quote;
}

/** The comment at the end of a command's last line (outside quotes), if any. */
function trailingComment(line: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === undefined && c === '#' && i > 0 && /\s/.test(line[i - 1])) return line.slice(i);
    if (c === '\\' && quote !== "'") {
      i++;
      continue;
    }
    if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (quote === c) quote = undefined;
  }
  return undefined;
}

/** The marker printed after each command with its number and exit status. */
export const STEP_MARKER = '@@@doc-example-step';

/**
 * One bash script running `commands` in order in the same shell (so variables carry from one to
 * the next, as in a terminal), printing after each its number and exit status; stderr goes to
 * stdout so that each command's output stays with it. `prelude` runs first.
 */
export function scriptFor(commands: DocCommand[], prelude: string): string {
  const parts = ['exec 2>&1', 'set -o pipefail', prelude];
  commands.forEach((command, index) => {
    parts.push(command.text, `printf '\\n${STEP_MARKER} %d %d\\n' ${index} "$?"`);
  });
  return `${parts.join('\n')}\n`;
}

/** Each command's exit status and output, from the script's output. */
export function stepsOf(output: string, count: number): Array<{ status: number; output: string } | undefined> {
  const steps: Array<{ status: number; output: string } | undefined> = Array(count).fill(undefined);
  const pattern = new RegExp(`\\n?${STEP_MARKER} (\\d+) (\\d+)\\n`, 'g');
  let start = 0;
  for (const match of output.matchAll(pattern)) {
    steps[Number(match[1])] = { status: Number(match[2]), output: output.slice(start, match.index).trim() };
    start = (match.index ?? 0) + match[0].length;
  }
  return steps;
}
