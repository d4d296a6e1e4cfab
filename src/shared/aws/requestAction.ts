/**
 * The AWS operation a request calls, as AWS protocols name it:
 *   JSON protocols (DynamoDB, KMS, ...)  X-Amz-Target `DynamoDB_20120810.GetItem` -> GetItem
 *   query protocols (STS, SQS, IAM, ...) `Action=AssumeRole` in the query or the form body
 *   REST protocols (S3, Lambda, ...)     no operation name on the wire: the HTTP method
 */
export function requestAction(req: { method?: string; target?: string; query?: string; contentType?: string; body?: Buffer }): string {
  if (req.target) return req.target.slice(req.target.lastIndexOf('.') + 1);
  const fromQuery = req.query ? new URLSearchParams(req.query).get('Action') : null;
  if (fromQuery) return fromQuery;
  if (req.body && req.body.length <= 65_536 && /^application\/x-www-form-urlencoded/i.test(req.contentType ?? '')) {
    const fromBody = new URLSearchParams(req.body.toString('utf8')).get('Action');
    if (fromBody) return fromBody;
  }
  return req.method ?? 'GET';
}
