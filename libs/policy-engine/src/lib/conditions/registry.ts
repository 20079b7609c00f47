/**
 * The registry of condition operators, one entry per base operator. Operator names are
 * looked up without regard to letter case; set-operator prefixes and `IfExists` are parsed
 * in `condition.ts`.
 */
import { ArnEquals, ArnLike, ArnNotEquals, ArnNotLike } from './arn';
import { BinaryEquals } from './binary';
import { Bool } from './bool';
import { DateEquals, DateGreaterThan, DateGreaterThanEquals, DateLessThan, DateLessThanEquals, DateNotEquals } from './date';
import { IpAddress, NotIpAddress } from './ip';
import { Null } from './null';
import {
  NumericEquals,
  NumericGreaterThan,
  NumericGreaterThanEquals,
  NumericLessThan,
  NumericLessThanEquals,
  NumericNotEquals,
} from './numeric';
import type { ConditionOperator } from './operator';
import {
  StringEquals,
  StringEqualsIgnoreCase,
  StringLike,
  StringNotEquals,
  StringNotEqualsIgnoreCase,
  StringNotLike,
} from './string';

/** Every base condition operator. */
export const CONDITION_OPERATORS: readonly ConditionOperator[] = Object.freeze([
  StringEquals,
  StringNotEquals,
  StringEqualsIgnoreCase,
  StringNotEqualsIgnoreCase,
  StringLike,
  StringNotLike,
  NumericEquals,
  NumericNotEquals,
  NumericLessThan,
  NumericLessThanEquals,
  NumericGreaterThan,
  NumericGreaterThanEquals,
  DateEquals,
  DateNotEquals,
  DateLessThan,
  DateLessThanEquals,
  DateGreaterThan,
  DateGreaterThanEquals,
  Bool,
  BinaryEquals,
  IpAddress,
  NotIpAddress,
  ArnEquals,
  ArnLike,
  ArnNotEquals,
  ArnNotLike,
  Null,
]);

const byName = new Map(CONDITION_OPERATORS.map((op) => [op.name.toLowerCase(), op]));

/** The base operator called `name` (any letter case), or `undefined`. */
export function findOperator(name: string): ConditionOperator | undefined {
  return byName.get(name.toLowerCase());
}

/** Names of the base condition operators; each also takes `IfExists` (except `Null`) and `ForAllValues:`/`ForAnyValue:`. */
export const CONDITION_OPERATOR_NAMES: readonly string[] = Object.freeze(CONDITION_OPERATORS.map((op) => op.name));
