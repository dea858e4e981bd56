// The stdin receiver's options: the schema validates them and generates the docs.
import { duration, options, size, type z } from '../../agent/kit/config/schema.ts';

export const stdinConfig = options({
  batch_size: size('256KiB').describe('A batch is sent when this many bytes of whole lines are buffered.'),
  flush_interval: duration('100ms').describe('A smaller batch is sent after this long without new input.'),
  max_line_size: size('1MiB').describe('A longer line is cut at this size.'),
});

export type StdinConfig = z.output<typeof stdinConfig>;
