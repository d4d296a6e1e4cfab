/**
 * One line of the sandbox's request log. Tests read it to see what reached
 * "AWS" and as whom: that the app service assumed the right role, that a
 * refused request never got through, that each call was re-signed.
 */
export interface SandboxRequest {
  time: Date;
  service: 'sts' | 'dynamodb' | 'signin' | 's3';
  /** The API action: `AssumeRole`, `PutItem`, `getSigninToken`, `login`... (`Unknown` when the request named none). */
  action: string;
  /** Who signed it, when the sandbox could tell: the operator user or an assumed-role ARN. */
  callerArn?: string;
  /** The access key id its Authorization names, whether or not the sandbox knows it. */
  accessKeyId?: string;
  /** The HTTP status answered. */
  status: number;
  /** The AWS error code answered, if any: `AccessDenied`, `InvalidSignatureException`... */
  errorCode?: string;
  /** getSigninToken's SessionDuration (seconds), when it was given and accepted. */
  sessionDuration?: number;
}

/** How the STS, DynamoDB, S3 and federation servers record each answered request; startSandbox collects the entries in `requests`. */
export type LogRequest = (entry: SandboxRequest) => void;
