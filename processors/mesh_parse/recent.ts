// A one-entry intern for a value that repeats from line to line (a file's method, cluster, hosts):
// the record keeps the string seen before, so the new equal copy dies young. Records' strings are
// what the worker's scavenges copy and promote, so a copy that is not kept is one that costs no GC
// (bench/RESULTS.md, "Session 30: mesh_parse and anomaly").
export class Recent {
  last = '';
  /** `s`, or the equal string seen last. */
  of(s: string): string {
    if (s === this.last) return this.last;
    this.last = s;
    return s;
  }
}
