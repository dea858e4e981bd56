// Assembles the OCI image archive from gzipped layer tars: blobs/sha256/*, the image config, its
// manifest, index.json and oci-layout (OCI image layout 1.1), plus Docker's manifest.json naming the
// same blobs so `docker load` accepts the file too. Everything is content-addressed and timestamps are
// fixed (SOURCE_DATE_EPOCH, default 0), so the same layers give the same digests.
// Usage: node oci-archive.ts OUT.tar VERSION LAYER.tar.gz...
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const [out, version, ...layers] = process.argv.slice(2);
if (!out || !version || layers.length === 0) {
  process.stderr.write('usage: oci-archive.ts OUT.tar VERSION LAYER.tar.gz...\n');
  process.exit(2);
}
const REPOSITORY = 'ghcr.io/meshtail/meshtail';
const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? 0);
const created = new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const dir = mkdtempSync(join(tmpdir(), 'meshtail-oci-'));
try {
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  const blob = (data: Buffer | string, mediaType: string) => {
    const digest = sha256(data);
    writeFileSync(join(dir, 'blobs/sha256', digest), data);
    return { mediaType, digest: `sha256:${digest}`, size: Buffer.byteLength(data) };
  };

  const layerDescriptors = layers.map((file) =>
    blob(readFileSync(file), 'application/vnd.oci.image.layer.v1.tar+gzip'),
  );
  const diffIds = layers.map((file) => `sha256:${sha256(gunzipSync(readFileSync(file)))}`);
  const config = {
    created,
    architecture: 'amd64',
    os: 'linux',
    config: {
      User: '65532:65532',
      Entrypoint: ['/usr/local/bin/meshtail'],
      Cmd: ['run', '-c', '/etc/meshtail/config.yaml'],
      Env: ['PATH=/usr/local/bin:/usr/bin', 'NODE_ENV=production'],
      WorkingDir: '/app',
      Labels: {
        'org.opencontainers.image.title': 'meshtail',
        'org.opencontainers.image.version': version,
        'org.opencontainers.image.licenses': 'Apache-2.0',
      },
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: [
      { created, created_by: 'scripts/image/build.sh: Node 24, its shared libraries, user 65532' },
      { created, created_by: 'scripts/image/build.sh: /app, production dependencies only' },
    ],
  };
  const configDescriptor = blob(JSON.stringify(config), 'application/vnd.oci.image.config.v1+json');
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: configDescriptor,
    layers: layerDescriptors,
  };
  const manifestDescriptor = blob(JSON.stringify(manifest), 'application/vnd.oci.image.manifest.v1+json');
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        ...manifestDescriptor,
        platform: { architecture: 'amd64', os: 'linux' },
        annotations: {
          'org.opencontainers.image.ref.name': version,
          'io.containerd.image.name': `${REPOSITORY}:${version}`,
        },
      },
    ],
  };
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const path = (d: { digest: string }) => `blobs/sha256/${d.digest.slice('sha256:'.length)}`;
  const dockerManifest = [
    {
      Config: path(configDescriptor),
      RepoTags: [`${REPOSITORY}:${version}`],
      Layers: layerDescriptors.map(path),
    },
  ];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(dockerManifest));

  mkdirSync(dirname(out), { recursive: true });
  const tar = spawnSync(
    'tar',
    [
      '--sort=name',
      `--mtime=@${epoch}`,
      '--numeric-owner',
      '--owner=0',
      '--group=0',
      '--mode=a+r,go-w',
      '--format=posix',
      '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
      '-C',
      dir,
      '-cf',
      `${out}.tmp`,
      'oci-layout',
      'index.json',
      'manifest.json',
      'blobs',
    ],
    { stdio: 'inherit' },
  );
  if (tar.status !== 0) throw new Error(`tar exited ${tar.status}`);
  renameSync(`${out}.tmp`, out);
  process.stdout.write(`${out}\n${manifestDescriptor.digest}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
