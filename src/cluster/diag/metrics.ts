/**
 * Every metric the services export, defined here and nowhere else. Call sites
 * only record (`metrics.awsRequest(...)`, `watchAuditBacklog(...)`); until the
 * diagnostics listener enables them (`teleport start --diag-addr`), recording
 * costs one call to an empty function and prom-client is never loaded.
 *
 *   tsh_aws_app_requests_total{service,action,status}    AWS requests the app service answered
 *   tsh_aws_app_request_duration_seconds{service}        per request at the app service (re-sign + AWS)
 *   tsh_aws_app_upstream_duration_seconds{service}       app service -> AWS, until the response headers
 *   tsh_aws_proxy_app_connections_total{result}          app connections at the cluster proxy (relayed, refused)
 *   tsh_aws_proxy_relay_setup_seconds{result}            cluster proxy: authorising and routing one connection
 *   tsh_aws_proxy_relay_retries_total                    requests the proxy sent again to another app service (one died first)
 *   tsh_aws_tunnel_up                                    1 while the app service has a tunnel to at least one proxy
 *   tsh_aws_tunnels                                      the app service's tunnels: one per proxy it reaches
 *   tsh_aws_tunnel_reconnects_total                      tunnels the app service opened again after losing one
 *   tsh_aws_audit_backlog_events                         audit events waiting to reach the auth service
 *   tsh_aws_backend_errors_total{operation}              storage calls that failed (not refusals such as "exists")
 *   process_*, nodejs_*                                  prom-client's process metrics (CPU, memory, event loop, GC)
 */
import { performance } from 'node:perf_hooks';

/** What the call sites record. */
interface Recorder {
  awsRequest(service: string, action: string, status: number, seconds: number): void;
  awsUpstream(service: string, seconds: number): void;
  proxyConnection(result: 'relayed' | 'refused', seconds: number): void;
  relayRetry(): void;
  tunnelReconnect(): void;
  backendError(operation: string): void;
}

const idle: Recorder = { awsRequest() {}, awsUpstream() {}, proxyConnection() {}, relayRetry() {}, tunnelReconnect() {}, backendError() {} };
let recorder: Recorder = idle;

/** The recording side, for call sites. */
export const metrics: Recorder = {
  awsRequest: (service, action, status, seconds) => recorder.awsRequest(label(service), label(action), status, seconds),
  awsUpstream: (service, seconds) => recorder.awsUpstream(label(service), seconds),
  proxyConnection: (result, seconds) => recorder.proxyConnection(result, seconds),
  relayRetry: () => recorder.relayRetry(),
  tunnelReconnect: () => recorder.tunnelReconnect(),
  backendError: (operation) => recorder.backendError(label(operation)),
};

/** Starts a stopwatch; calling the result gives the seconds since. */
export function startTimer(): () => number {
  const started = performance.now();
  return () => (performance.now() - started) / 1000;
}

/** Label values come from requests (a service, an action): anything but a short plain word is `other`, so no client can grow the series without bound. */
function label(value: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : 'other';
}

/** Gauges read at scrape time: every registered source, summed. */
const auditBacklogSources = new Set<() => number>();
const tunnelSources = new Set<() => number>();

/** Counts `read()` (events not yet sent to the auth service) into tsh_aws_audit_backlog_events until the returned function is called. */
export function watchAuditBacklog(read: () => number): () => void {
  auditBacklogSources.add(read);
  return () => void auditBacklogSources.delete(read);
}

/** Reports `count()` (the app service's tunnels that are up) as tsh_aws_tunnels and tsh_aws_tunnel_up until the returned function is called. */
export function watchTunnels(count: () => number): () => void {
  tunnelSources.add(count);
  return () => void tunnelSources.delete(count);
}

/** The registry a diagnostics listener serves. */
export interface MetricsRegistry {
  contentType: string;
  /** The Prometheus text exposition of every metric. */
  text(): Promise<string>;
}

let enabled: Promise<MetricsRegistry> | undefined;

/** Loads prom-client, defines the metrics and starts recording (once per process; later calls get the same registry). */
export function enableMetrics(): Promise<MetricsRegistry> {
  enabled ??= define();
  return enabled;
}

const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

async function define(): Promise<MetricsRegistry> {
  const prom = await import('prom-client');
  const registers = [new prom.Registry()];
  const [registry] = registers;
  prom.collectDefaultMetrics({ register: registry });
  const requests = new prom.Counter({ name: 'tsh_aws_app_requests_total', help: 'AWS requests the app service answered, by AWS service, action (X-Amz-Target operation or query Action) and HTTP status', labelNames: ['service', 'action', 'status'], registers });
  const requestSeconds = new prom.Histogram({ name: 'tsh_aws_app_request_duration_seconds', help: 'Time the app service spent on one AWS request (checks, re-signing and the AWS call)', labelNames: ['service'], buckets: latencyBuckets, registers });
  const upstreamSeconds = new prom.Histogram({ name: 'tsh_aws_app_upstream_duration_seconds', help: 'Time from the app service sending a request to AWS to the response headers', labelNames: ['service'], buckets: latencyBuckets, registers });
  const connections = new prom.Counter({ name: 'tsh_aws_proxy_app_connections_total', help: 'App connections at the cluster proxy, relayed to an app service or refused', labelNames: ['result'], registers });
  const relaySeconds = new prom.Histogram({ name: 'tsh_aws_proxy_relay_setup_seconds', help: 'Time the cluster proxy took to authorise an app connection and route it to an app service', labelNames: ['result'], buckets: latencyBuckets, registers });
  const retries = new prom.Counter({ name: 'tsh_aws_proxy_relay_retries_total', help: 'Requests the cluster proxy sent again to another app service because the first one went away before answering', registers });
  const reconnects = new prom.Counter({ name: 'tsh_aws_tunnel_reconnects_total', help: 'Reverse tunnels the app service opened again after losing one', registers });
  const backendErrors = new prom.Counter({ name: 'tsh_aws_backend_errors_total', help: 'Storage backend calls that failed', labelNames: ['operation'], registers });
  new prom.Gauge({
    name: 'tsh_aws_tunnel_up',
    help: '1 while the app service has a working reverse tunnel to at least one proxy',
    registers,
    collect() {
      this.set([...tunnelSources].some((count) => count() > 0) ? 1 : 0);
    },
  });
  new prom.Gauge({
    name: 'tsh_aws_tunnels',
    help: 'Reverse tunnels the app service holds, one per proxy it reaches (fewer than the cluster has proxies: some proxy cannot route to it)',
    registers,
    collect() {
      this.set([...tunnelSources].reduce((sum, count) => sum + count(), 0));
    },
  });
  new prom.Gauge({
    name: 'tsh_aws_audit_backlog_events',
    help: 'Audit events recorded by this process and not yet stored by the auth service',
    registers,
    collect() {
      this.set([...auditBacklogSources].reduce((sum, read) => sum + read(), 0));
    },
  });
  recorder = {
    awsRequest(service, action, status, seconds) {
      requests.inc({ service, action, status: String(status) });
      requestSeconds.observe({ service }, seconds);
    },
    awsUpstream: (service, seconds) => upstreamSeconds.observe({ service }, seconds),
    proxyConnection(result, seconds) {
      connections.inc({ result });
      relaySeconds.observe({ result }, seconds);
    },
    relayRetry: () => retries.inc(),
    tunnelReconnect: () => reconnects.inc(),
    backendError: (operation) => backendErrors.inc({ operation }),
  };
  return { contentType: registry.contentType, text: () => registry.metrics() };
}
