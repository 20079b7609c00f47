import { z } from 'zod';
import { AuthorizationContract, AuthorizationEvents, AuthorizationPatterns, AuthorizationRequests } from './authorization';
import { DirectoryContract, DirectoryEvents, DirectoryPatterns, DirectoryRequests } from './directory';
import { IdentityContract, IdentityEvents, IdentityPatterns, IdentityRequests } from './identity';
import { REPLY_SCHEMAS, REQUEST_SCHEMAS } from './messages';
import { PatternDeclaration } from './pattern';

const services = [
  { name: 'identity', contract: IdentityContract, patterns: IdentityPatterns, requests: IdentityRequests, events: IdentityEvents },
  { name: 'directory', contract: DirectoryContract, patterns: DirectoryPatterns, requests: DirectoryRequests, events: DirectoryEvents },
  { name: 'authorization', contract: AuthorizationContract, patterns: AuthorizationPatterns, requests: AuthorizationRequests, events: AuthorizationEvents },
];

describe('a pattern is declared once and the rest derived', () => {
  it.each(services)('$name: each name maps to the subject declared with it, under the service', ({ name, contract, patterns }) => {
    const declared = Object.entries(contract as Record<string, PatternDeclaration>).map(([key, d]) => [key, d.subject]);
    expect(Object.entries(patterns)).toEqual(declared);
    for (const [, subject] of declared) expect(subject.startsWith(`${name}.`)).toBe(true);
  });

  it.each(services)('$name: the request schema of each subject is the one declared with it', ({ contract, requests }) => {
    for (const declared of Object.values(contract as Record<string, PatternDeclaration>)) {
      expect((requests as Record<string, z.ZodType>)[declared.subject]).toBe(declared.request);
    }
  });

  it('no subject is declared twice, and every one has its request schema in REQUEST_SCHEMAS', () => {
    const subjects = services.flatMap((s) => Object.values(s.patterns as Record<string, string>));
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual([...subjects].sort());
    const events = services.flatMap((s) => Object.values(s.events as Record<string, string>));
    expect(new Set(events).size).toBe(events.length);
    for (const event of events) expect(subjects).not.toContain(event);
  });

  it('reply schemas are those declared as schemas, and they check what they say', () => {
    expect(REPLY_SCHEMAS[IdentityPatterns.ResolveUser]).toBe(IdentityContract.ResolveUser.reply);
    expect(REPLY_SCHEMAS[IdentityPatterns.ListUsers]).toBeUndefined();
    const groups = REPLY_SCHEMAS[DirectoryPatterns.GroupsOfUser] as z.ZodType;
    expect(groups.safeParse({ Groups: [{ GroupId: 'AGPA1', GroupName: 'g', Path: '/', Arn: 'arn' }] }).success).toBe(true);
    expect(groups.safeParse({ Groups: [{ GroupId: 'AGPA1' }] }).success).toBe(false);
    expect((REPLY_SCHEMAS[DirectoryPatterns.CancelUserDelete] as z.ZodType).safeParse({ Extra: 1 }).success).toBe(false);
  });
});
