import { editorProblems, jsonSyntaxProblem, lineOf, locateJson, parsePath, policyProblems, problemsByLine } from './policy-errors';

const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:ListUsers",
      "Resource": "*"
    },
    {
      "Effect": "Alow",
      "Action": ["iam:GetUser", "s3:Get Object"],
      "Resource": "*",
      "Condition": { "StringEquals": { "aws:username": "x" } }
    }
  ]
}`;

describe("the API's policy errors, placed at their lines", () => {
  it('parses JSON paths as the policy engine writes them', () => {
    expect(parsePath('Statement[1].Action[0]')).toEqual(['Statement', 1, 'Action', 0]);
    expect(parsePath('Statement.Condition["aws:username"]')).toEqual(['Statement', 'Condition', 'aws:username']);
    expect(parsePath('Version')).toEqual(['Version']);
  });

  it('finds where each key and value is written', () => {
    const located = locateJson(text);
    expect(located.get(JSON.stringify(['Version']))).toEqual({ line: 2, column: 3 });
    expect(lineOf(text, ['Statement', 1, 'Effect'], located)).toEqual({ line: 10, column: 7 });
    expect(lineOf(text, ['Statement', 1, 'Action', 1], located)).toEqual({ line: 11, column: 33 });
    // An element that is not there: its nearest ancestor.
    expect(lineOf(text, ['Statement', 1, 'NotResource'], located)).toEqual({ line: 9, column: 5 });
  });

  it("splits the API's message into problems, each at its line", () => {
    const message =
      'Statement[1].Effect: Effect must be "Allow" or "Deny", found "Alow"; Statement[1].Action[1]: action "s3:Get Object" has characters that are not allowed; problem about the whole policy; with; semicolons';
    expect(policyProblems(message, text)).toEqual([
      { path: 'Statement[1].Effect', message: 'Effect must be "Allow" or "Deny", found "Alow"', line: 10, column: 7 },
      { path: 'Statement[1].Action[1]', message: 'action "s3:Get Object" has characters that are not allowed', line: 11, column: 33 },
      { path: '', message: 'problem about the whole policy' },
      { path: '', message: 'with' },
      { path: '', message: 'semicolons' },
    ]);
  });

  it('keeps the line and column the API gives for invalid JSON', () => {
    expect(policyProblems('policy document is not valid JSON: expected , or } at line 3, column 14', '{}')).toEqual([
      { path: '', message: 'policy document is not valid JSON: expected , or } at line 3, column 14', line: 3, column: 14 },
    ]);
  });

  it("places the browser's own JSON syntax error before asking the API", () => {
    expect(jsonSyntaxProblem(text)).toBeUndefined();
    const broken = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow" \n    "Action": "x" }\n  ]\n}';
    const problem = jsonSyntaxProblem(broken);
    expect(problem?.line).toBe(5);
    expect(problem?.message).toMatch(/^Not valid JSON/);
  });

  it('stays calm on text that is not JSON at all', () => {
    expect([...locateJson('nonsense').keys()]).toEqual(['[]']);
    expect(policyProblems('Statement: Statement must be an array or an object', 'nonsense')).toEqual([{ path: 'Statement', message: 'Statement must be an array or an object' }]);
  });
});

describe("the REST API's Problems, as the editor shows them", () => {
  it("puts IAM's message over the editor and each problem at the line the API gives", () => {
    const shown = editorProblems(
      {
        message: 'Syntax errors in policy.',
        problems: [
          { Message: 'Effect must be "Allow" or "Deny", found "Alow"', Path: 'Statement[1].Effect', Line: 10, Column: 7 },
          { Message: 'policy document is not valid JSON: unexpected "}" at line 3, column 17', Path: '', Line: 3, Column: 17 },
        ],
      },
      text,
    );
    expect(shown).toEqual({
      summary: 'Syntax errors in policy.',
      problems: [
        { path: 'Statement[1].Effect', message: 'Effect must be "Allow" or "Deny", found "Alow"', line: 10, column: 7 },
        { path: '', message: 'policy document is not valid JSON: unexpected "}" at line 3, column 17', line: 3, column: 17 },
      ],
    });
  });

  it('places a problem the API gives no line for at its path in the text; one about the whole document nowhere', () => {
    const shown = editorProblems(
      {
        message: 'Policy statement must contain actions.',
        problems: [
          { Message: 'statement is missing Action or NotAction', Path: 'Statement[1]' },
          { Message: 'policy document is missing Statement', Path: '' },
        ],
      },
      text,
    );
    expect(shown.problems).toEqual([
      { path: 'Statement[1]', message: 'statement is missing Action or NotAction', line: 9, column: 5 },
      { path: '', message: 'policy document is missing Statement' },
    ]);
  });

  it("reads a server without Problems as before: IAM's one message alone, or the paths its message names", () => {
    expect(editorProblems({ message: 'Policy statement must contain actions.' }, text)).toEqual({ summary: 'Policy statement must contain actions.', problems: [] });
    expect(editorProblems({ message: 'Statement[1].Effect: Effect must be "Allow" or "Deny", found "Alow"' }, text)).toEqual({
      problems: [{ path: 'Statement[1].Effect', message: 'Effect must be "Allow" or "Deny", found "Alow"', line: 10, column: 7 }],
    });
  });

  it('groups the problems by line for the markers', () => {
    const byLine = problemsByLine([
      { path: 'a', message: 'one', line: 3 },
      { path: 'b', message: 'two', line: 3 },
      { path: '', message: 'nowhere' },
      { path: 'c', message: 'three', line: 5 },
    ]);
    expect([...byLine.entries()].map(([line, ps]) => [line, ps.map((p) => p.message)])).toEqual([
      [3, ['one', 'two']],
      [5, ['three']],
    ]);
  });
});
