import { describe, expect, it } from 'vitest';
import { useAsyncContext } from '../../test/lifecycle-rig.js';
import { createObservability } from '../observability.js';

useAsyncContext();

describe('obs.batches', () => {
  it('records through the observability providers, reports misuse as a warn line, and drains', async () => {
    const lines: Record<string, unknown>[] = [];
    const obs = createObservability({
      serviceName: 'svc',
      env: {},
      registerGlobals: false,
      tracesExporter: 'none',
      logDestination: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    try {
      await obs.batches.process({ id: 'b-1', workerId: 'w-1' }, (run) =>
        run.activity({ id: 'a-1' }, (act) => act.calculated({ emissionsKg: 3 })),
      );
      const manual = obs.batches.startProcessing({ id: 'b-2' });
      manual.end();
      manual.end();

      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const running = obs.batches.process({ id: 'b-3' }, () => gate);
      expect(obs.batches.inFlight).toBe(1);
      let idle = false;
      const drained = obs.batches.idle().then(() => (idle = true));
      await Promise.resolve();
      expect(idle).toBe(false);
      open();
      await running;
      await drained;
      expect(obs.batches.inFlight).toBe(0);

      const text = await (await obs.app.request('/metrics')).text();
      expect(text).toMatch(/^batch_completed_total(\{[^}]*\})? 3$/m);
      expect(text).toMatch(/^emissions_grams_total(\{[^}]*\})? 3000$/m);
      expect(text).toMatch(/^activity_success_total(\{[^}]*\})? 1$/m);
      expect(lines.find((line) => line.event === 'ogf.error')).toMatchObject({
        level: 40,
        source: 'lifecycle',
        code: 'ERR_OGF_LIFECYCLE_MISUSE',
        msg: 'batch b-2 was ended twice; the second end was ignored',
      });
      expect(lines.filter((line) => line.audit === 'batch.state_transition')).toHaveLength(6);
    } finally {
      await obs.shutdown({ timeoutMs: 2_000 });
    }
  });
});
