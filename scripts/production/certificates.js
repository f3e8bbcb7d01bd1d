/*
 * A certificate authority generated for one run, and a serving certificate it signs for the local
 * addresses (127.0.0.1, ::1, localhost). The simulated clusters and the check's PostgreSQL serve
 * TLS with it, and the backend trusts only this CA for them (`caData`), so production's refusal of
 * plain-HTTP cluster URLs stays on. Nothing is written to disk here; keys live as long as the run.
 *
 * node:crypto generates the keys; node-forge (installed with @backstage/backend-defaults, which
 * uses it for its own self-signed development certificates) writes the X.509 certificates.
 */
const crypto = require('node:crypto');
const forge = require('node-forge');

const DAY_MS = 24 * 60 * 60 * 1000;

function keyPair() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    keyPem: privateKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    publicKey: forge.pki.publicKeyFromPem(publicKey),
  };
}

function serial() {
  // positive, 16 random bytes
  return `01${crypto.randomBytes(15).toString('hex')}`;
}

function certificate({ subject, issuer, publicKey, signingKey, extensions }) {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = serial();
  cert.publicKey = publicKey;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 2 * DAY_MS);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  cert.sign(signingKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/**
 * @returns {{ caPem: string, certPem: string, keyPem: string, caData: string }}
 *   caData is the CA PEM in base64, the form `clusters.locations[].caData` takes.
 */
function generateRunCertificates(options = {}) {
  const runId = crypto.randomBytes(4).toString('hex');
  const dnsNames = options.dnsNames ?? ['localhost'];
  const ips = options.ips ?? ['127.0.0.1', '::1'];
  const ca = keyPair();
  const caName = [{ name: 'commonName', value: `careplane-run-ca-${runId}` }];
  const caPem = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = keyPair();
  const certPem = certificate({
    subject: [{ name: 'commonName', value: dnsNames[0] }],
    issuer: caName,
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: false },
      {
        name: 'keyUsage',
        digitalSignature: true,
        keyEncipherment: true,
        critical: true,
      },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...dnsNames.map(value => ({ type: 2, value })),
          ...ips.map(ip => ({ type: 7, ip })),
        ],
      },
    ],
  });
  return {
    caPem,
    certPem,
    keyPem: server.keyPem,
    caData: Buffer.from(caPem).toString('base64'),
  };
}

module.exports = { generateRunCertificates };
