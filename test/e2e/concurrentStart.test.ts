/**
 * Two auth+proxy instances started at the same moment on an empty
 * PostgreSQL database make one cluster: one name, one user CA, one host CA,
 * whichever of them wins; ten times over, each on a fresh database.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startCluster, webApi, type TestCluster } from '../helpers/cluster.js';
import { caPinOf } from '../helpers/appService.js';
import { readFile } from 'node:fs/promises';
import { ApiClient } from '../../src/shared/http/apiClient.js';
import { adminIdentityPaths } from '../../src/cluster/auth/authService.js';

let pg: TestPostgres;
before(async () => void (pg = await startPostgres()));
after(() => pg?.stop());

test('two instances starting together on an empty database create one set of CAs, ten times', async (t) => {
  for (let round = 1; round <= 10; round++) {
    const url = await pg.createDatabase(`race_${round}`);
    const started = Date.now();
    const both: TestCluster[] = await Promise.all([0, 1].map(() => startCluster({ clusterName: 'race.example.com', storage: { type: 'postgresql', conn_string: url } })));
    try {
      const cas = await Promise.all(both.map(async (c) => (await webApi(c.proxyAddr, 'GET', '/v1/webapi/cas')).body as { user_ca: string; host_ca: string }));
      assert.equal(cas[0].user_ca, cas[1].user_ca, `round ${round}: one user CA`);
      assert.equal(cas[0].host_ca, cas[1].host_ca, `round ${round}: one host CA`);
      // Each signs with it: the admin identity the first wrote is accepted by the second.
      const ids = adminIdentityPaths(both[0].dataDir);
      const [key, cert, ca] = await Promise.all([readFile(ids.key, 'utf8'), readFile(ids.cert, 'utf8'), readFile(ids.ca, 'utf8')]);
      const api = new ApiClient({ addr: both[1].authAddr, key, cert, ca: [ca], servername: 'localhost' });
      try {
        assert.equal((await api.rpc('cluster.status')).caPin, await caPinOf(both[0]));
      } finally {
        api.close();
      }
      if (round === 1) t.diagnostic(`two instances up together in ${Date.now() - started} ms`);
    } finally {
      await Promise.all(both.map((c) => c.close()));
    }
  }
});
