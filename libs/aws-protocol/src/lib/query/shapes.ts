/**
 * Input shapes of AWS Query operations, as plain data: one table of these describes every
 * operation the gateway serves. Constraints follow the AWS model (`@length`, `@pattern`,
 * `@range`, `@enum`, `@required`); `required` is only meaningful on structure members.
 */
interface ShapeBase {
  /** As a structure member: the member must be present. */
  readonly required?: boolean;
}

/** A string; `min`/`max` bound its length in UTF-16 code units, as AWS (Java) counts. */
export interface StringShape extends ShapeBase {
  readonly type: 'string';
  readonly min?: number;
  readonly max?: number;
  /** A regular expression the whole value must match, written as in the AWS model. */
  readonly pattern?: string;
  readonly enum?: readonly string[];
  /** Never echo the value in error messages (passwords, private keys). */
  readonly sensitive?: boolean;
  /** Free text that is stored: U+0000 is refused (PostgreSQL text cannot hold it). */
  readonly stored?: boolean;
}

/** An integer; `min`/`max` bound its value. */
export interface IntegerShape extends ShapeBase {
  readonly type: 'integer';
  readonly min?: number;
  readonly max?: number;
}

/** `true` or `false` (any letter case). */
export interface BooleanShape extends ShapeBase {
  readonly type: 'boolean';
}

/** An ISO 8601 date-time with a zone (`2026-11-28T01:02:03Z`), decoded to a `Date`. */
export interface TimestampShape extends ShapeBase {
  readonly type: 'timestamp';
}

/** A list, sent as `Name.member.1`, `Name.member.2`, ... (or `Name=` when empty). */
export interface ListShape<M extends Shape = Shape> extends ShapeBase {
  readonly type: 'list';
  readonly member: M;
  /** Bounds on the number of members. */
  readonly min?: number;
  readonly max?: number;
}

/** A map, sent as `Name.entry.N.key` / `Name.entry.N.value`; decoded to a `Map`. */
export interface MapShape<K extends StringShape = StringShape, V extends Shape = Shape> extends ShapeBase {
  readonly type: 'map';
  readonly key: K;
  readonly value: V;
  /** Bounds on the number of entries. */
  readonly min?: number;
  readonly max?: number;
}

/** A structure, its members named as on the wire (`UserName`, `Tags`). */
export interface StructureShape<M extends Readonly<Record<string, Shape>> = Readonly<Record<string, Shape>>>
  extends ShapeBase {
  readonly type: 'structure';
  readonly members: M;
}

/** Any input shape. */
export type Shape = StringShape | IntegerShape | BooleanShape | TimestampShape | ListShape | MapShape | StructureShape;

type RequiredKeys<M> = { [K in keyof M]: M[K] extends { readonly required: true } ? K : never }[keyof M];
type OptionalKeys<M> = Exclude<keyof M, RequiredKeys<M>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The JS type a shape decodes to. */
export type Infer<S> = S extends { readonly type: 'string'; readonly enum: readonly (infer E extends string)[] }
  ? E
  : S extends { readonly type: 'string' }
    ? string
    : S extends { readonly type: 'integer' }
      ? number
      : S extends { readonly type: 'boolean' }
        ? boolean
        : S extends { readonly type: 'timestamp' }
          ? Date
          : S extends { readonly type: 'list'; readonly member: infer M }
            ? Infer<M>[]
            : S extends { readonly type: 'map'; readonly value: infer V }
              ? Map<string, Infer<V>>
              : S extends { readonly type: 'structure'; readonly members: infer M }
                ? Simplify<{ [K in RequiredKeys<M>]: Infer<M[K]> } & { [K in OptionalKeys<M>]?: Infer<M[K]> }>
                : never;

/**
 * Declares a shape while keeping its literal type, so that {@link Infer} (and the decoder) can
 * type the decoded value: `const CreateUser = defineShape({ type: 'structure', members: {...} })`.
 */
export function defineShape<const S extends Shape>(shape: S): S {
  return shape;
}
