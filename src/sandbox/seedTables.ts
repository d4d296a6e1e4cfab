import { marshallItem } from './marshall.js';

/** A table to create when the sandbox starts. */
export interface SandboxTableSpec {
  name: string;
  /** The partition key attribute (default `id`); its type follows the first item's value (number or string). */
  hashKey?: string;
  /** Items as plain JS objects; each must have the hash key. */
  items?: Record<string, unknown>[];
}

/** Calls a DynamoDB operation on the backend and returns its JSON answer, throwing on an error. */
export type CallBackend = (operation: string, body: unknown) => Promise<unknown>;

/**
 * Creates the tables the sandbox was asked for and puts their items, waiting
 * until each table is ACTIVE (dynalite answers CREATING first, even with a
 * zero creation delay), so that tests start against a ready account.
 */
export async function seedTables(call: CallBackend, tables: SandboxTableSpec[]): Promise<void> {
  for (const table of tables) {
    const hashKey = table.hashKey ?? 'id';
    const type = typeof table.items?.[0]?.[hashKey] === 'number' ? 'N' : 'S';
    await call('CreateTable', {
      TableName: table.name,
      AttributeDefinitions: [{ AttributeName: hashKey, AttributeType: type }],
      KeySchema: [{ AttributeName: hashKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await waitUntilActive(call, table.name);
    for (const item of table.items ?? []) {
      await call('PutItem', { TableName: table.name, Item: marshallItem(item) });
    }
  }
}

async function waitUntilActive(call: CallBackend, name: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const answer = (await call('DescribeTable', { TableName: name })) as { Table?: { TableStatus?: string } };
    if (answer.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`sandbox table ${name} did not become ACTIVE`);
}
