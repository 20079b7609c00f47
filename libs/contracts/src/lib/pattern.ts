import { z } from 'zod';

/**
 * How a pattern or an event is declared: once, in the file of its feature.
 *
 * ```ts
 * export const UserPatterns = {
 *   /** AWS `CreateUser`: … (the pattern's documentation) *\/
 *   CreateUser: pattern('identity.user.create', CreateUserRequest, reply<UserReply>()),
 * };
 * ```
 *
 * The subject, the request schema (what the handler validates), the reply type
 * and the documentation stand together; the service's subject table
 * (`IdentityPatterns`), its message map (request and reply types per subject)
 * and its request schemas are derived from these declarations by
 * {@link subjectsOf}, {@link MessagesOf} and {@link requestSchemasOf}.
 */

/** The reply type of a pattern, or the payload type of an event: a type only, nothing at run time. */
export interface Shape<T> {
  readonly typeOnly?: T;
}

/** States the reply type of a pattern (or the payload of an event) in its declaration. */
export function reply<T>(): Shape<T> {
  return {};
}

/**
 * One request/reply pattern: its subject, the schema every request must satisfy, and its reply:
 * a type only (`reply<T>()`), or a schema when replies are checked too (the fakes of
 * `@iam/testing` check the replies they give against it).
 */
export interface PatternDeclaration<S extends string = string, Q extends z.ZodType = z.ZodType, R = unknown> {
  readonly subject: S;
  readonly request: Q;
  readonly reply: Shape<R> | z.ZodType<R>;
}

export function pattern<S extends string, Q extends z.ZodType, R>(
  subject: S,
  request: Q,
  replied: Shape<R> | z.ZodType<R>,
): PatternDeclaration<S, Q, R> {
  return { subject, request, reply: replied };
}

/** States the payload type of an event in its declaration. */
export function payload<T>(): Shape<T> {
  return {};
}

/** One event: its subject and its payload's type. */
export interface EventDeclaration<S extends string = string, T = unknown> {
  readonly subject: S;
  readonly payload: Shape<T>;
}

export function event<S extends string, T>(subject: S, carried: Shape<T>): EventDeclaration<S, T> {
  return { subject, payload: carried };
}

/** The request of every pattern that takes no input. */
export const NoInput = z.strictObject({});
/** What a pattern that only acts answers. */
export type Empty = Record<string, never>;
/** The reply of a pattern that only acts, as a schema: an object with no members. */
export const NoReply: z.ZodType<Empty> = z.record(z.string(), z.never());

type ShapeOf<X> = X extends z.ZodType ? z.output<X> : X extends Shape<infer T> ? T : never;
type Declarations<D> = { readonly [K in keyof D]: { readonly subject: string } };

/** `{ CreateUser: 'identity.user.create', … }`: the subjects of some declarations by name. */
export type SubjectsOf<D extends Declarations<D>> = { readonly [K in keyof D]: D[K]['subject'] };

export function subjectsOf<D extends Declarations<D>>(declarations: D): SubjectsOf<D> {
  return Object.fromEntries(Object.entries(declarations).map(([name, declared]) => [name, (declared as { subject: string }).subject])) as SubjectsOf<D>;
}

/** The request and reply types of every pattern, by subject. */
export type MessagesOf<D extends { readonly [K in keyof D]: PatternDeclaration }> = {
  [K in keyof D as D[K]['subject']]: { request: z.output<D[K]['request']>; reply: ShapeOf<D[K]['reply']> };
};

/** The request schema of every pattern, by subject. */
export type RequestSchemasOf<D extends { readonly [K in keyof D]: PatternDeclaration }> = {
  readonly [K in keyof D as D[K]['subject']]: D[K]['request'];
};

export function requestSchemasOf<D extends { readonly [K in keyof D]: PatternDeclaration }>(declarations: D): RequestSchemasOf<D> {
  return Object.fromEntries(Object.values<PatternDeclaration>(declarations).map((declared) => [declared.subject, declared.request])) as RequestSchemasOf<D>;
}

/** The reply schema of every pattern that declares one, by subject. */
export function replySchemasOf<D extends { readonly [K in keyof D]: PatternDeclaration }>(declarations: D): Readonly<Record<string, z.ZodType>> {
  return Object.fromEntries(
    Object.values<PatternDeclaration>(declarations)
      .filter((declared) => declared.reply instanceof z.ZodType)
      .map((declared) => [declared.subject, declared.reply as z.ZodType]),
  );
}

/** The payload type of every event, by subject. */
export type PayloadsOf<D extends { readonly [K in keyof D]: EventDeclaration }> = {
  [K in keyof D as D[K]['subject']]: ShapeOf<D[K]['payload']>;
};
