// fast-check pieces shared by the property tests that replay random recordings against the exporter.
import fc from 'fast-check';

/** The synchronous instruments a step records into. */
export type RecordingOp = 'counter' | 'updown' | 'histogram' | 'gauge';

/** The fields of a step recording `value` into one of `series` series of one synchronous instrument. */
export function recordingFields(
  series: number,
  value: fc.Arbitrary<number>,
): { op: fc.Arbitrary<RecordingOp>; series: fc.Arbitrary<number>; value: fc.Arbitrary<number> } {
  return { op: fc.constantFrom<RecordingOp>('counter', 'updown', 'histogram', 'gauge'), series: fc.nat({ max: series - 1 }), value };
}
