import { IamError } from '@iam/contracts';

/** NATS's default `max_payload`: the largest message a NATS server accepts (1 MiB). */
export const NATS_MAX_PAYLOAD = 1024 * 1024;

/**
 * The largest reply a service sends (16 MiB of JSON). A reply over the
 * server's `max_payload` travels in chunks (each at most `max_payload` less
 * room for headers) that the caller reassembles; a reply over this bound is
 * never sent: the caller gets a `ServiceFailure` instead.
 */
export const MAX_REPLY_BYTES = 16 * 1024 * 1024;

/** Room left in each chunk for the message's headers. */
export const CHUNK_HEADROOM = 4 * 1024;

/** Most messages one reply may take (the NATS permissions allow each responder this many). */
export const MAX_REPLY_CHUNKS = Math.ceil(MAX_REPLY_BYTES / (NATS_MAX_PAYLOAD - CHUNK_HEADROOM)) + 1;

/** The header that marks a chunk of a reply: `<index>/<count>`. */
export const CHUNK_HEADER = 'iam-chunk';

/** The error a caller gets for a reply too large to send. */
export function replyTooLarge(subject: string, bytes: number): IamError {
  return new IamError('ServiceFailure', `The reply to ${subject} is too large to send (${bytes} bytes; the bus carries at most ${MAX_REPLY_BYTES}).`);
}
