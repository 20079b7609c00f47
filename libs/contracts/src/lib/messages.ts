import type { z } from 'zod';
import { AuthorizationContract, AuthorizationEventMap, AuthorizationMessages, AuthorizationRequests } from './authorization';
import { DirectoryContract, DirectoryEventMap, DirectoryMessages, DirectoryRequests } from './directory';
import { IdentityContract, IdentityEventMap, IdentityMessages, IdentityRequests } from './identity';
import { replySchemasOf } from './pattern';

/** Every request/reply pattern on the bus with its request and reply types. */
export interface MessageMap extends IdentityMessages, DirectoryMessages, AuthorizationMessages {}
export type Pattern = keyof MessageMap;
export type RequestOf<P extends Pattern> = MessageMap[P]['request'];
export type ReplyOf<P extends Pattern> = MessageMap[P]['reply'];

/** Every event subject with its payload type. Events are past tense and fan out to every replica. */
export interface EventMap extends IdentityEventMap, DirectoryEventMap, AuthorizationEventMap {}
export type EventName = keyof EventMap;
export type PayloadOf<E extends EventName> = EventMap[E];

/** The request schema of every pattern, so handlers validate what they receive. */
export const REQUEST_SCHEMAS: { [P in Pattern]: z.ZodType<RequestOf<P>> } = {
  ...IdentityRequests,
  ...DirectoryRequests,
  ...AuthorizationRequests,
};

/**
 * The reply schema of every pattern that declares one (the patterns other
 * services call, and those the gateway's specs fake), so fakes answer only
 * what the real service may answer.
 */
export const REPLY_SCHEMAS: { readonly [P in Pattern]?: z.ZodType<ReplyOf<P>> } = {
  ...replySchemasOf(IdentityContract),
  ...replySchemasOf(DirectoryContract),
  ...replySchemasOf(AuthorizationContract),
};

/** The service that owns a pattern or event: the first segment of its subject. */
export function ownerOf(subject: string): string {
  const dot = subject.indexOf('.');
  return dot === -1 ? subject : subject.slice(0, dot);
}

/** The header that carries the request id across the bus. */
export const REQUEST_ID_HEADER = 'x-request-id';
