import { statementSpans } from './statement-spans';

describe('statementSpans', () => {
  it('finds each statement of an array, from its { to just after its }', () => {
    const text = ['{', '  "Version": "2012-10-17",', '  "Statement": [', '    {"Effect": "Allow",', '     "Action": "s3:*", "Resource": "*"},', '    {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}', '  ]', '}'].join('\n');
    const spans = statementSpans(text);
    expect(spans.map((s) => [s.start, s.end])).toEqual([
      [{ line: 4, column: 5 }, { line: 5, column: 40 }],
      [{ line: 6, column: 5 }, { line: 6, column: 64 }],
    ]);
    expect(JSON.parse(text.slice(spans[1].startOffset, spans[1].endOffset))).toEqual({ Effect: 'Deny', Action: 's3:Delete*', Resource: '*' });
  });

  it('finds a statement given as a single object, after other elements', () => {
    const text = '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"},"Version":"2012-10-17"}';
    const [span] = statementSpans(text);
    expect(span.start).toEqual({ line: 1, column: 14 });
    expect(text.slice(span.startOffset, span.endOffset)).toBe('{"Effect":"Allow","Action":"*","Resource":"*"}');
  });

  it('is not misled by braces, brackets and escaped quotes inside strings, or by nested conditions', () => {
    const text = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'A', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/{x}[y]"z\\', Condition: { StringEquals: { 'aws:username': ['a}', '"]'] } } },
          { Effect: 'Deny', Action: 'ec2:*', Resource: '*' },
        ],
      },
      null,
      2,
    );
    const spans = statementSpans(text);
    expect(spans).toHaveLength(2);
    expect(JSON.parse(text.slice(spans[0].startOffset, spans[0].endOffset)).Sid).toBe('A');
    expect(JSON.parse(text.slice(spans[1].startOffset, spans[1].endOffset)).Effect).toBe('Deny');
  });

  it('counts columns after carriage returns and tabs as characters of the line', () => {
    const text = '{\r\n\t"Statement": [\r\n\t\t{"Effect": "Allow", "Action": "*", "Resource": "*"}]}';
    const [span] = statementSpans(text);
    expect(span.start).toEqual({ line: 3, column: 3 });
  });

  it('gives nothing for text that is not a policy object', () => {
    expect(statementSpans('[1, 2]')).toEqual([]);
    expect(statementSpans('')).toEqual([]);
  });
});
