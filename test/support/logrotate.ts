// The real logrotate (Debian package) rotating one file: a config and a state file of its own in
// a temp dir, run as `logrotate -f -s <state> <conf>` whenever the test wants a rotation.
// `copytruncate` copies to 0.log.1 (older copies shift and are gzipped one rotation later) and
// truncates the live file; `create` renames to 0.log.1, creates a new 0.log and sends the writer
// SIGHUP from postrotate so it reopens by path.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { requirePeer } from './peers.ts';

export type LogrotateMode = 'copytruncate' | 'create';

/** The `logrotate` binary (Debian puts it in /usr/sbin); throws when it is not installed. */
export function requireLogrotate(): string {
  return requirePeer(
    'logrotate',
    ['/usr/sbin/logrotate', '/usr/bin/logrotate', '/sbin/logrotate'],
    'apt-get install -y logrotate',
  );
}

export class Logrotate {
  readonly #conf: string;
  readonly #state: string;
  failures: string[] = [];

  /** Writes `<stem>.conf`; `writerPid` gets SIGHUP after a `create` rotation. */
  constructor(stem: string, target: string, mode: LogrotateMode, writerPid: number) {
    this.#conf = `${stem}.conf`;
    this.#state = `${stem}.state`;
    const body =
      mode === 'copytruncate'
        ? ['copytruncate', 'compress', 'delaycompress']
        : ['create', 'nocompress', 'postrotate', `  kill -HUP ${writerPid}`, 'endscript'];
    const lines = [
      `${JSON.stringify(target)} {`,
      '  rotate 1000',
      '  missingok',
      ...body.map((l) => `  ${l}`),
      '}',
    ];
    writeFileSync(this.#conf, `${lines.join('\n')}\n`, { mode: 0o644 });
  }

  /** One forced rotation; resolves true when logrotate exited 0 (its stderr is kept otherwise). */
  rotate(): Promise<boolean> {
    return new Promise((resolve) => {
      execFile(
        'logrotate',
        ['-f', '-s', this.#state, this.#conf],
        { timeout: 10_000, env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } },
        (err, _out, stderr) => {
          if (err && this.failures.length < 5) this.failures.push(`${err.message} ${stderr}`.trim());
          resolve(!err);
        },
      );
    });
  }
}
