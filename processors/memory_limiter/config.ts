import { duration, options, z } from '../../agent/kit/config/schema.ts';

// The Collector memory_limiter's options and rules: one of limit_mib or limit_percentage; the spike
// limit defaults to 20 % of the limit and must be below it.
export const memoryLimiterConfig = options({
  check_interval: duration('1s').describe(
    'How often memory is measured while admission is refused (and at most how often while admitting: ' +
      'a reading is reused this long). No timer runs while memory is below the limit.',
  ),
  limit_mib: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe("Hard limit on the process's resident memory (main thread + workers), in MiB."),
  spike_limit_mib: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      'Headroom below the hard limit: the soft limit is limit_mib - spike_limit_mib. Default: 20 % of limit_mib.',
    ),
  limit_percentage: z
    .number()
    .int()
    .min(0)
    .max(100)
    .default(0)
    .describe(
      "Hard limit as a percentage of the memory available (the container's cgroup limit, else the host's), instead of limit_mib.",
    ),
  spike_limit_percentage: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe('Headroom as a percentage, with limit_percentage. Default: 20 % of the limit.'),
}).superRefine((v, ctx) => {
  if (v.check_interval <= 0)
    ctx.addIssue({ code: 'custom', path: ['check_interval'], message: 'must be above 0' });
  if (v.limit_mib > 0 === v.limit_percentage > 0) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: 'expected exactly one of "limit_mib" or "limit_percentage" above 0',
    });
    return;
  }
  if (v.limit_mib > 0 && v.spike_limit_mib !== undefined && v.spike_limit_mib >= v.limit_mib)
    ctx.addIssue({ code: 'custom', path: ['spike_limit_mib'], message: 'must be below limit_mib' });
  if (
    v.limit_percentage > 0 &&
    v.spike_limit_percentage !== undefined &&
    v.spike_limit_percentage >= v.limit_percentage
  )
    ctx.addIssue({
      code: 'custom',
      path: ['spike_limit_percentage'],
      message: 'must be below limit_percentage',
    });
});

export type MemoryLimiterConfig = z.output<typeof memoryLimiterConfig>;

const MIB = 1024 * 1024;

/** The soft and hard limits in bytes, given the memory available to the process. */
export function limitsOf(c: MemoryLimiterConfig, available: number): { soft: number; hard: number } {
  if (c.limit_mib > 0) {
    const hard = c.limit_mib * MIB;
    const spike = c.spike_limit_mib !== undefined ? c.spike_limit_mib * MIB : hard * 0.2;
    return { soft: hard - spike, hard };
  }
  const hard = (available * c.limit_percentage) / 100;
  const spike =
    c.spike_limit_percentage !== undefined ? (available * c.spike_limit_percentage) / 100 : hard * 0.2;
  return { soft: hard - spike, hard };
}
