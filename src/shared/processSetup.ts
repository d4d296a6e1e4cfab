/**
 * What every program sets before it loads anything else, in one place.
 *
 * The AWS SDK for JavaScript warns once per process (on stderr, at the first
 * client) that its releases after January 2027 need Node 22. tsh-aws runs on
 * Node 20 on purpose, and the warning would land in JSON logs and in the
 * output scripts read, so the programs turn it off unless the user decided
 * otherwise.
 */
export function prepareProcess(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
