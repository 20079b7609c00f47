import type { Shape } from '@iam/aws-protocol';

/** A JSON Schema (the OpenAPI 3.1 dialect) as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * The JSON Schema of a shape, with the same constraints the gateway checks: lengths, patterns
 * (as AWS writes them; they must match the whole value), enums, ranges, list sizes and required
 * members. Timestamps are ISO 8601 strings.
 */
export function jsonSchemaOf(shape: Shape): JsonSchema {
  switch (shape.type) {
    case 'string': {
      const schema: JsonSchema = { type: 'string' };
      if (shape.enum) schema['enum'] = [...shape.enum];
      if (shape.min !== undefined) schema['minLength'] = shape.min;
      if (shape.max !== undefined) schema['maxLength'] = shape.max;
      if (shape.pattern !== undefined) schema['pattern'] = `^(?:${shape.pattern})$`;
      if (shape.sensitive) schema['format'] = 'password';
      return schema;
    }
    case 'integer': {
      const schema: JsonSchema = { type: 'integer' };
      if (shape.min !== undefined) schema['minimum'] = shape.min;
      if (shape.max !== undefined) schema['maximum'] = shape.max;
      return schema;
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'list': {
      const schema: JsonSchema = { type: 'array', items: jsonSchemaOf(shape.member) };
      if (shape.min !== undefined) schema['minItems'] = shape.min;
      if (shape.max !== undefined) schema['maxItems'] = shape.max;
      return schema;
    }
    case 'map': {
      const schema: JsonSchema = { type: 'object', additionalProperties: jsonSchemaOf(shape.value) };
      if (shape.min !== undefined) schema['minProperties'] = shape.min;
      if (shape.max !== undefined) schema['maxProperties'] = shape.max;
      return schema;
    }
    case 'structure': {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [name, member] of Object.entries(shape.members)) {
        properties[name] = jsonSchemaOf(member);
        if (member.required) required.push(name);
      }
      return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
    }
  }
}
