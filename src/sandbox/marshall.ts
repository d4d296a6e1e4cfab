/** A DynamoDB attribute value in the service's JSON wire form. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] };

/**
 * Turns a plain JS object into a DynamoDB item, so that sandbox tables can be
 * seeded from `{ id: 'a', count: 2 }` without the AWS SDK's util-dynamodb
 * (not a dependency here). Strings, numbers, bigints, booleans, null, Buffers,
 * arrays, Sets of strings or numbers, and nested objects are supported.
 */
export function marshallItem(item: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) out[name] = marshallValue(value);
  }
  return out;
}

function marshallValue(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { L: value.map(marshallValue) };
  if (value instanceof Set) {
    const members = [...value];
    if (members.every((m) => typeof m === 'string')) return { SS: members as string[] };
    if (members.every((m) => typeof m === 'number')) return { NS: members.map(String) };
    throw new TypeError('a Set must hold only strings or only numbers');
  }
  if (typeof value === 'object') return { M: marshallItem(value as Record<string, unknown>) };
  throw new TypeError(`cannot store a ${typeof value} in DynamoDB`);
}
