// compression and compression_params: the names and level ranges of the Collector's confighttp
// (configcompression v1.71.0 ValidateParams): gzip takes -1 (default), -2 (Huffman only) and 1..9;
// level 0 or unset (and -1 for zstd too) means the codec's default. The Collector takes any zstd level and rounds it to
// one of four encoder speeds; libzstd has real levels, so meshtail checks them against its range.
import { options, z } from '../../agent/kit/config/schema.ts';

export const COMPRESSIONS = ['gzip', 'zstd', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** libzstd's ZSTD_minCLevel() and ZSTD_maxCLevel(): negative levels trade ratio for speed. */
export const ZSTD_MIN_LEVEL = -131072;
export const ZSTD_MAX_LEVEL = 22;
/** gzip's default level in zlib; zstd's is 1, as in the Collector (unset → klauspost SpeedFastest). */
export const DEFAULT_LEVEL: Record<Exclude<Compression, 'none'>, number> = { gzip: 6, zstd: 1 };
export const GZIP_HUFFMAN_ONLY = -2;

export const compressionOption = z
  .enum(COMPRESSIONS)
  .default('gzip')
  .describe(
    'Body compression (Content-Encoding). gzip is taken by every OTLP/HTTP receiver; zstd costs a fraction of its CPU and is taken by the Collector (see the README).',
  );

export const compressionParamsOption = options({
  level: z
    .int()
    .optional()
    .describe(
      'Compression level. gzip: 1 (fastest) to 9 (smallest), -1 the default (6), -2 Huffman coding only. zstd: 1 (fastest, the default as in the Collector) to 22 (smallest), or negative fast levels from -2 down to -131072. 0, -1 or unset: the default.',
    ),
})
  .prefault({})
  .describe("Codec parameters, as in the Collector's confighttp.");

/** Why `level` does not fit `compression`, or undefined when it does. */
export function levelProblem(compression: Compression, level: number | undefined): string | undefined {
  if (level === undefined || level === 0) return undefined;
  if (compression === 'gzip' && (level === -1 || level === GZIP_HUFFMAN_ONLY || (level >= 1 && level <= 9)))
    return undefined;
  if (compression === 'zstd' && level >= ZSTD_MIN_LEVEL && level <= ZSTD_MAX_LEVEL) return undefined;
  if (compression === 'none') return 'compression is none: a level has nothing to apply to';
  return compression === 'gzip'
    ? 'gzip levels are 1 to 9, -1 (default) or -2 (Huffman only)'
    : `zstd levels are ${ZSTD_MIN_LEVEL} to ${ZSTD_MAX_LEVEL}`;
}

/** Zod check on the exporter's options: the level belongs to the chosen codec. */
export function requireLevelForCodec(
  c: { compression: Compression; compression_params: { level?: number | undefined } },
  ctx: z.RefinementCtx,
): void {
  const problem = levelProblem(c.compression, c.compression_params.level);
  if (problem) ctx.addIssue({ code: 'custom', path: ['compression_params', 'level'], message: problem });
}
