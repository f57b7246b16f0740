// Signs one HTTP request with AWS's own SigV4 implementation (@smithy/signature-v4), for the
// contract test of the gateway's signer. Input (stdin, JSON): method, hostname, path, query,
// headers, bodyBase64, service, region, accessKeyId, secretAccessKey, sessionToken, time (ISO-8601).
// Output (stdout, JSON): the signed request's headers.
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const signer = new SignatureV4({
  service: input.service,
  region: input.region,
  sha256: Sha256,
  credentials: {
    accessKeyId: input.accessKeyId,
    secretAccessKey: input.secretAccessKey,
    sessionToken: input.sessionToken || undefined,
  },
  uriEscapePath: true,
  applyChecksum: true,
});

const signed = await signer.sign(
  {
    method: input.method,
    protocol: "https:",
    hostname: input.hostname,
    path: input.path,
    query: input.query || {},
    headers: { host: input.hostname, ...input.headers },
    body: Buffer.from(input.bodyBase64, "base64"),
  },
  { signingDate: new Date(input.time) },
);
process.stdout.write(JSON.stringify(signed.headers));
