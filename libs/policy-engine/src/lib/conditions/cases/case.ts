/** One row of an operator case table, run by `conditions.spec.ts`. */
export interface OperatorCase {
  /** What the row shows. */
  readonly name: string;
  /** The statement's Condition block. */
  readonly condition: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The request context. */
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  /** Policy language version; 2012-10-17 when omitted. */
  readonly version?: '2012-10-17' | '2008-10-17';
  /** Whether the condition holds (the Allow statement applies). */
  readonly holds: boolean;
}

/** A case table and the documentation it comes from. */
export interface CaseTable {
  readonly family: string;
  /** Title and URL of the AWS page the rows come from. */
  readonly source: string;
  readonly cases: readonly OperatorCase[];
}

export const OPERATORS_PAGE =
  'IAM User Guide, "IAM JSON policy elements: Condition operators" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)';
export const MULTIVALUE_PAGE =
  'IAM User Guide, "Creating a condition with multiple keys or values" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html)';
export const VARIABLES_PAGE =
  'IAM User Guide, "IAM policy elements: Variables and tags" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)';
