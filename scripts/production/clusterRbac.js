/*
 * Gives the production run the credentials a platform team would: deploy/rbac/careplane-cluster.yaml
 * applied to the simulated cluster (as its admin, through the simulator's control API, what
 * `kubectl apply -f` does) and a TokenRequest token of the `careplane` ServiceAccount, so the
 * backend talks to the cluster with exactly the generated least-privilege rights.
 */
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { parseAllDocuments } = require('yaml');
const { root } = require('./processes');

const RBAC_FILE = path.join(root, 'deploy/rbac/careplane-cluster.yaml');

function request(url, { method = 'GET', headers = {}, body, ca }) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method, headers, ca, timeout: 10_000 },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${url} timed out`)),
    );
    if (body) req.write(body);
    req.end();
  });
}

/** Applies the generated RBAC to `cluster` and answers a token of its ServiceAccount. */
async function leastPrivilegeToken({
  controlUrl,
  cluster,
  url,
  adminToken,
  caPem,
}) {
  const docs = parseAllDocuments(fs.readFileSync(RBAC_FILE, 'utf8'))
    .map(d => d.toJS())
    .filter(Boolean);
  for (const doc of docs) {
    const res = await fetch(`${controlUrl}/_sim/clusters/${cluster}/objects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(doc),
    });
    if (res.status >= 300) {
      throw new Error(
        `applying ${doc.kind} ${doc.metadata.name}: ${
          res.status
        } ${await res.text()}`,
      );
    }
  }
  const sa = docs.find(d => d.kind === 'ServiceAccount');
  const res = await request(
    `${url}/api/v1/namespaces/${sa.metadata.namespace}/serviceaccounts/${sa.metadata.name}/token`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${adminToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ spec: { expirationSeconds: 86400 } }),
      ca: caPem,
    },
  );
  if (res.status !== 201)
    throw new Error(`TokenRequest answered ${res.status}: ${res.body}`);
  return JSON.parse(res.body).status.token;
}

module.exports = { leastPrivilegeToken };
