// TLS files that change under a running exporter (a renewed certificate, a rotated CA: a Kubernetes
// Secret update swaps the files' target) are read again: `changed()` stats the files before each
// request (three stat calls, a few µs next to a network request) and says when any differs from
// what was loaded. A file caught half-written fails to load; the old material stays in use and
// the next request tries again.
import { statSync } from 'node:fs';
import { loadTlsFiles, type TlsMaterial } from './tls-options.ts';

interface TlsFileOptions {
  ca_file?: string | undefined;
  cert_file?: string | undefined;
  key_file?: string | undefined;
}

export class TlsReload {
  readonly #tls: TlsFileOptions;
  #loaded: string;

  constructor(tls: TlsFileOptions) {
    this.#tls = tls;
    this.#loaded = this.#signature();
  }

  get watches(): boolean {
    return Boolean(this.#tls.ca_file || this.#tls.cert_file || this.#tls.key_file);
  }

  /** Reads the files and remembers their state. */
  async load(): Promise<TlsMaterial> {
    const signature = this.#signature();
    const material = await loadTlsFiles(this.#tls);
    this.#loaded = signature;
    return material;
  }

  changed(): boolean {
    return this.watches && this.#signature() !== this.#loaded;
  }

  #signature(): string {
    return [this.#tls.ca_file, this.#tls.cert_file, this.#tls.key_file]
      .map((path) => {
        if (!path) return '';
        try {
          const st = statSync(path);
          return `${st.ino}:${st.size}:${st.mtimeMs}`;
        } catch {
          return 'missing';
        }
      })
      .join('|');
  }
}
