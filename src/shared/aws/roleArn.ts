/** The parts of an IAM role ARN that role matching and the app service use. */
export interface RoleArn {
  arn: string;
  partition: string;
  accountId: string;
  /** Everything after `role/`, path included ("team/reader"). */
  name: string;
  /** The last path segment ("reader"): what users type after --aws-role. */
  displayName: string;
}

const roleArnPattern = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role\/([\w+=,.@/-]{1,512})$/;

/**
 * Parses an IAM role ARN (`arn:aws:iam::123456789012:role/Name`), or returns
 * undefined. The guide's own example has a typo (`arn:aws:iam:1234...` with
 * one colon): callers use the undefined to warn, naming the value.
 */
export function parseRoleArn(arn: string): RoleArn | undefined {
  const m = roleArnPattern.exec(arn);
  if (!m || m[3].endsWith('/') || m[3].startsWith('/')) return undefined;
  const name = m[3];
  return { arn, partition: m[1], accountId: m[2], name, displayName: name.slice(name.lastIndexOf('/') + 1) };
}
