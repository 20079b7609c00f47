import { Writable } from 'node:stream';
import { createLogger, terminalDestination } from './logger';

describe('terminalDestination: pretty on a terminal, JSON anywhere else', () => {
  it.each<[string, { isTTY?: boolean }, string | undefined, boolean]>([
    ['stdout a terminal', { isTTY: true }, undefined, true],
    ['stdout a pipe or a file', { isTTY: false }, undefined, false],
    ['stdout without isTTY (a stream)', {}, undefined, false],
    ['IAM_LOG_FORMAT=json on a terminal', { isTTY: true }, 'json', false],
    ['IAM_LOG_FORMAT=pretty into a pipe', { isTTY: false }, 'pretty', true],
    ['an unknown IAM_LOG_FORMAT on a terminal', { isTTY: true }, '', true],
  ])('%s', (_case, stdout, format, pretty) => {
    const destination = terminalDestination(stdout, format);
    expect(destination !== undefined).toBe(pretty);
  });

  it('JSON: one object a line with the service, level, time and request fields', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) });
    createLogger('gateway', 'info', sink).info({ status: 200 }, 'request');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', service: 'gateway', status: 200, msg: 'request', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });
});
