// `meshtail run` and `demo` turn V8's allocation-site pretenuring off (agent/cli/v8-flags.ts),
// unless the operator set that flag either way.
import { describe, expect, it } from 'vitest';
import { tuneV8 } from '../../../../agent/cli/v8-flags.ts';

describe('tuneV8', () => {
  it('turns allocation-site pretenuring off by default', () => {
    expect(tuneV8([], '')).toEqual(['--no-allocation-site-pretenuring']);
    expect(tuneV8(['--enable-source-maps'], '--max-old-space-size=300')).toEqual([
      '--no-allocation-site-pretenuring',
    ]);
  });

  it('leaves the flag to the operator who set it, on the command line or in NODE_OPTIONS', () => {
    expect(tuneV8(['--allocation-site-pretenuring'], '')).toEqual([]);
    expect(tuneV8([], '--max-old-space-size=300 --allocation-site-pretenuring')).toEqual([]);
    expect(tuneV8(['--no-allocation-site-pretenuring'], '')).toEqual([]);
  });
});
