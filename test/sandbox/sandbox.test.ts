import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const run = promisify(execFile);
const ACCOUNT = '123456789012';
const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** What the SDK throws, with the parts the tests look at. */
interface AwsError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
}

async function rejection(p: Promise<unknown>): Promise<AwsError> {
  try {
    await p;
  } catch (err) {
    return err as AwsError;
  }
  assert.fail('expected the call to be refused');
}

describe('local AWS sandbox', () => {
  let sandbox: Sandbox;
  let clockOffsetMs = 0;
  const clients: Array<{ destroy(): void }> = [];
  let home: string;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sandbox-test-'));
    sandbox = await startSandbox({
      roles: [
        { name: 'ExampleTeleportDynamoDBRole' },
        { name: 'ListOnlyRole', allowedActions: ['dynamodb:ListTables'] },
        { name: 'team/PathRole' },
        { name: 'ExternalRole', externalId: 'ext-1234' },
        { name: 'UntrustedRole', trust: 'none' },
      ],
      tables: [{ name: 'my-dynamodb-table', items: [{ id: 'seed', count: 1, tags: ['a', 'b'] }] }],
      clock: () => new Date(Date.now() + clockOffsetMs),
    });
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  });

  function sts(credentials: Creds): STSClient {
    const c = new STSClient({ endpoint: sandbox.stsEndpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  }

  function dynamo(credentials: Creds): DynamoDBClient {
    const c = new DynamoDBClient({ endpoint: sandbox.dynamodbEndpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  }

  async function assume(name: string, session: string, extra: { DurationSeconds?: number; ExternalId?: string } = {}, as?: Creds): Promise<Creds> {
    const out = await sts(as ?? sandbox.baseCredentials).send(
      new AssumeRoleCommand({ RoleArn: roleArn(name), RoleSessionName: session, ...extra }),
    );
    const c = out.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  }

  test('endpointEnv names every endpoint on loopback', () => {
    assert.deepEqual(sandbox.endpointEnv(), {
      AWS_ENDPOINT_URL_STS: sandbox.stsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: sandbox.dynamodbEndpoint,
      AWS_ENDPOINT_URL_SIGNIN: sandbox.signinEndpoint,
      AWS_ENDPOINT_URL_S3: sandbox.s3Endpoint,
    });
    assert.match(sandbox.stsEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(sandbox.baseCredentials.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  });

  test('AssumeRole then GetCallerIdentity gives the assumed-role ARN', async () => {
    const before = Date.now();
    const out = await sts(sandbox.baseCredentials).send(
      new AssumeRoleCommand({ RoleArn: roleArn('ExampleTeleportDynamoDBRole'), RoleSessionName: 'alice' }),
    );
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ExampleTeleportDynamoDBRole/alice`);
    assert.match(out.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z2-7]{17}:alice$/);
    assert.match(out.Credentials?.AccessKeyId ?? '', /^ASIA/);
    const lifetime = out.Credentials!.Expiration!.getTime() - before;
    assert.ok(lifetime > 3590_000 && lifetime <= 3601_000, `lifetime ${lifetime}`);

    const c = out.Credentials!;
    const who = await sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ExampleTeleportDynamoDBRole/alice`);
    assert.equal(who.Account, ACCOUNT);

    const operator = await sts(sandbox.baseCredentials).send(new GetCallerIdentityCommand({}));
    assert.equal(operator.Arn, `arn:aws:iam::${ACCOUNT}:user/sandbox-operator`);
  });

  test('CreateTable, PutItem, GetItem and ListTables work with the temporary credentials', async () => {
    const db = dynamo(await assume('ExampleTeleportDynamoDBRole', 'alice'));
    await db.send(
      new CreateTableCommand({
        TableName: 'probe',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 100; i++) {
      const d = await db.send(new DescribeTableCommand({ TableName: 'probe' }));
      if (d.Table?.TableStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await db.send(new PutItemCommand({ TableName: 'probe', Item: { pk: { S: 'k1' }, v: { N: '42' } } }));
    const got = await db.send(new GetItemCommand({ TableName: 'probe', Key: { pk: { S: 'k1' } } }));
    assert.deepEqual(got.Item, { pk: { S: 'k1' }, v: { N: '42' } });
    const tables = await db.send(new ListTablesCommand({}));
    assert.deepEqual(tables.TableNames, ['my-dynamodb-table', 'probe']);
    const seeded = await db.send(new GetItemCommand({ TableName: 'my-dynamodb-table', Key: { id: { S: 'seed' } } }));
    assert.deepEqual(seeded.Item, { id: { S: 'seed' }, count: { N: '1' }, tags: { L: [{ S: 'a' }, { S: 'b' }] } });

    const logged = sandbox.requests.filter((r) => r.service === 'dynamodb' && r.action === 'PutItem');
    assert.deepEqual(logged.at(-1)?.callerArn, `arn:aws:sts::${ACCOUNT}:assumed-role/ExampleTeleportDynamoDBRole/alice`);
    assert.equal(logged.at(-1)?.status, 200);
  });

  test('the operator key is refused by DynamoDB', async () => {
    const err = await rejection(dynamo(sandbox.baseCredentials).send(new ListTablesCommand({})));
    assert.equal(err.name, 'AccessDeniedException');
    assert.match(err.message, /user\/sandbox-operator is not authorized to perform: dynamodb:ListTables/);
    assert.equal(err.$metadata?.httpStatusCode, 400);
  });

  test('a wrong secret is refused: InvalidSignatureException on DynamoDB, SignatureDoesNotMatch on STS', async () => {
    const creds = await assume('ExampleTeleportDynamoDBRole', 'alice');
    const err = await rejection(dynamo({ ...creds, secretAccessKey: 'wrong'.repeat(8) }).send(new ListTablesCommand({})));
    assert.equal(err.name, 'InvalidSignatureException');
    assert.match(err.message, /signature does not match/);

    const stsErr = await rejection(sts({ ...sandbox.baseCredentials, secretAccessKey: 'wrong'.repeat(8) }).send(new GetCallerIdentityCommand({})));
    assert.equal(stsErr.name, 'SignatureDoesNotMatch');
    assert.equal(stsErr.$metadata?.httpStatusCode, 403);
  });

  test('an unknown key or a wrong session token is refused as an invalid token', async () => {
    const unknown = await rejection(
      dynamo({ accessKeyId: 'ASIAUNKNOWNUNKNOWN12', secretAccessKey: 'x'.repeat(40), sessionToken: 't' }).send(new ListTablesCommand({})),
    );
    assert.equal(unknown.name, 'UnrecognizedClientException');
    const creds = await assume('ExampleTeleportDynamoDBRole', 'alice');
    const badToken = await rejection(dynamo({ ...creds, sessionToken: 'other' }).send(new ListTablesCommand({})));
    assert.equal(badToken.name, 'UnrecognizedClientException');
    const stsErr = await rejection(sts({ ...creds, sessionToken: undefined }).send(new GetCallerIdentityCommand({})));
    assert.equal(stsErr.name, 'InvalidClientTokenId');
  });

  test('an expired temporary credential is refused', async () => {
    const creds = await assume('ExampleTeleportDynamoDBRole', 'alice', { DurationSeconds: 900 });
    clockOffsetMs = 901_000;
    try {
      const err = await rejection(dynamo(creds).send(new ListTablesCommand({})));
      assert.equal(err.name, 'ExpiredTokenException');
      const stsErr = await rejection(sts(creds).send(new GetCallerIdentityCommand({})));
      assert.equal(stsErr.name, 'ExpiredToken');
    } finally {
      clockOffsetMs = 0;
    }
    const fresh = await dynamo(creds).send(new ListTablesCommand({}));
    assert.ok(fresh.TableNames);
  });

  test('a role limited to ListTables gets AccessDeniedException on PutItem', async () => {
    const db = dynamo(await assume('ListOnlyRole', 'carol'));
    assert.ok((await db.send(new ListTablesCommand({}))).TableNames?.includes('my-dynamodb-table'));
    const err = await rejection(db.send(new PutItemCommand({ TableName: 'my-dynamodb-table', Item: { id: { S: 'x' } } })));
    assert.equal(err.name, 'AccessDeniedException');
    assert.match(
      err.message,
      new RegExp(`assumed-role/ListOnlyRole/carol is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/my-dynamodb-table`),
    );
    const denied = sandbox.requests.filter((r) => r.errorCode === 'AccessDeniedException').at(-1);
    assert.equal(denied?.action, 'PutItem');
  });

  test('AssumeRole refuses an unknown or untrusted role, a missing ExternalId and bad parameters', async () => {
    const client = sts(sandbox.baseCredentials);
    const unknown = await rejection(client.send(new AssumeRoleCommand({ RoleArn: roleArn('NoSuchRole'), RoleSessionName: 'alice' })));
    assert.equal(unknown.name, 'AccessDenied');
    assert.equal(unknown.$metadata?.httpStatusCode, 403);
    assert.match(unknown.message, /user\/sandbox-operator is not authorized to perform: sts:AssumeRole on resource: .*NoSuchRole/);

    const otherAccount = await rejection(
      client.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/ExampleTeleportDynamoDBRole', RoleSessionName: 'alice' })),
    );
    assert.equal(otherAccount.name, 'AccessDenied');
    const untrusted = await rejection(client.send(new AssumeRoleCommand({ RoleArn: roleArn('UntrustedRole'), RoleSessionName: 'alice' })));
    assert.equal(untrusted.name, 'AccessDenied');

    const noExternal = await rejection(client.send(new AssumeRoleCommand({ RoleArn: roleArn('ExternalRole'), RoleSessionName: 'alice' })));
    assert.equal(noExternal.name, 'AccessDenied');
    await assume('ExternalRole', 'alice', { ExternalId: 'ext-1234' });

    const shortName = await rejection(client.send(new AssumeRoleCommand({ RoleArn: roleArn('ExampleTeleportDynamoDBRole'), RoleSessionName: 'a' })));
    assert.equal(shortName.name, 'ValidationError');
    assert.equal(shortName.$metadata?.httpStatusCode, 400);
    assert.match(shortName.message, /roleSessionName.*greater than or equal to 2/);
    const badChars = await rejection(client.send(new AssumeRoleCommand({ RoleArn: roleArn('ExampleTeleportDynamoDBRole'), RoleSessionName: 'a b' })));
    assert.match(badChars.message, /regular expression/);
    const shortDuration = await rejection(
      client.send(new AssumeRoleCommand({ RoleArn: roleArn('ExampleTeleportDynamoDBRole'), RoleSessionName: 'alice', DurationSeconds: 899 })),
    );
    assert.match(shortDuration.message, /durationSeconds.*greater than or equal to 900/);
    const longDuration = await rejection(
      client.send(new AssumeRoleCommand({ RoleArn: roleArn('ExampleTeleportDynamoDBRole'), RoleSessionName: 'alice', DurationSeconds: 43201 })),
    );
    assert.match(longDuration.message, /less than or equal to 43200/);
  });

  test('a role with a path, role chaining, and addRole', async () => {
    const path = await sts(await assume('team/PathRole', 'bob')).send(new GetCallerIdentityCommand({}));
    assert.equal(path.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/PathRole/bob`);

    const alice = await assume('ExampleTeleportDynamoDBRole', 'alice');
    const chained = await sts(await assume('ListOnlyRole', 'chained', {}, alice)).send(new GetCallerIdentityCommand({}));
    assert.equal(chained.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ListOnlyRole/chained`);
    const tooLong = await rejection(assume('ListOnlyRole', 'chained', { DurationSeconds: 7200 }, alice));
    assert.match(tooLong.message, /role chaining/);
    const carol = await assume('ListOnlyRole', 'carol');
    const notAllowed = await rejection(assume('ExampleTeleportDynamoDBRole', 'x2', {}, { ...carol }));
    assert.equal(notAllowed.name, 'AccessDenied');

    const arn = sandbox.addRole({ name: 'LateRole', allowedActions: ['dynamodb:ListTables'] });
    assert.equal(arn, roleArn('LateRole'));
    assert.ok((await dynamo(await assume('LateRole', 'dave')).send(new ListTablesCommand({}))).TableNames);
  });

  test('the request log records service, action, caller and status', () => {
    const assumeOk = sandbox.requests.find((r) => r.service === 'sts' && r.action === 'AssumeRole' && r.status === 200);
    assert.equal(assumeOk?.callerArn, `arn:aws:iam::${ACCOUNT}:user/sandbox-operator`);
    const refused = sandbox.requests.find((r) => r.service === 'dynamodb' && r.errorCode === 'InvalidSignatureException');
    assert.equal(refused?.status, 400);
    assert.ok(sandbox.requests.every((r) => r.time instanceof Date));
  });

  /** A clean environment for the Debian aws CLI and boto3: no user config, no pyenv, one attempt. */
  function toolEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    return {
      PATH: '/usr/bin:/bin',
      HOME: home,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_MAX_ATTEMPTS: '1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    };
  }

  test('boto3 1.26 assumes the role and lists tables', async () => {
    const script = [
      'import json, os, boto3',
      "env = os.environ",
      "def client(name, url, key, secret, token=None):",
      "    return boto3.client(name, endpoint_url=url, region_name='us-east-1', aws_access_key_id=key,",
      "                        aws_secret_access_key=secret, aws_session_token=token)",
      "sts = client('sts', env['STS_URL'], env['BASE_KEY'], env['BASE_SECRET'])",
      "c = sts.assume_role(RoleArn=env['ROLE_ARN'], RoleSessionName='bob')['Credentials']",
      "temp = (c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken'])",
      "tables = client('dynamodb', env['DDB_URL'], *temp).list_tables()['TableNames']",
      "arn = client('sts', env['STS_URL'], *temp).get_caller_identity()['Arn']",
      "print(json.dumps({'tables': tables, 'arn': arn}))",
    ].join('\n');
    const { stdout } = await run('/usr/bin/python3', ['-c', script], {
      env: toolEnv({
        STS_URL: sandbox.stsEndpoint,
        DDB_URL: sandbox.dynamodbEndpoint,
        BASE_KEY: sandbox.baseCredentials.accessKeyId,
        BASE_SECRET: sandbox.baseCredentials.secretAccessKey,
        ROLE_ARN: roleArn('ExampleTeleportDynamoDBRole'),
      }),
    });
    const out = JSON.parse(stdout) as { tables: string[]; arn: string };
    assert.ok(out.tables.includes('my-dynamodb-table'));
    assert.equal(out.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ExampleTeleportDynamoDBRole/bob`);
  });

  test('the aws CLI 2.9 calls sts get-caller-identity and dynamodb list-tables with the temporary credentials', async () => {
    const creds = await assume('ExampleTeleportDynamoDBRole', 'erin');
    const env = toolEnv({
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_SESSION_TOKEN: creds.sessionToken!,
    });
    const who = await run('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', sandbox.stsEndpoint, '--output', 'json'], { env });
    assert.equal(JSON.parse(who.stdout).Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ExampleTeleportDynamoDBRole/erin`);
    const list = await run('/usr/bin/aws', ['dynamodb', 'list-tables', '--endpoint-url', sandbox.dynamodbEndpoint, '--output', 'json'], { env });
    assert.ok((JSON.parse(list.stdout).TableNames as string[]).includes('my-dynamodb-table'));
  });
});

test('close() stops every server', async () => {
  const sandbox = await startSandbox();
  const urls = [sandbox.stsEndpoint, sandbox.dynamodbEndpoint];
  for (const url of urls) assert.equal((await fetch(url, { method: 'POST' })).status >= 400, true);
  await sandbox.close();
  for (const url of urls) await assert.rejects(fetch(url, { method: 'POST' }));
  await sandbox.close();
});
