// The batch REST API under /api/v1/batches.
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { BatchService } from '../service.ts';
import { QueueFullError, ShuttingDownError } from '../service.ts';
import { requireApiToken } from './auth.ts';
import { errorResponse, fieldErrors } from './errors.ts';
import { jsonBody } from './json-body.ts';
import { listBatchesQuery, submitBatchSchema } from './schemas.ts';
import { batchDetail, batchSummary } from './views.ts';

/** Batch ids are UUIDs: anything else (a NUL byte, a path trick) is no batch, answered without a query. */
const BATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function batchRoutes(service: BatchService, options: { maxBodyBytes: number; apiToken?: string | undefined }): Hono {
  const api = new Hono();
  const mutating = requireApiToken(options.apiToken);

  api.post(
    '/',
    mutating,
    jsonBody(options.maxBodyBytes),
    zValidator('json', submitBatchSchema, (result, c) => {
      if (!result.success)
        return errorResponse(c, 400, 'invalid_request', 'the batch does not match the schema', fieldErrors(result.error));
    }),
    async (c) => {
      const body = c.req.valid('json');
      try {
        const { batchId, state } = await service.submit({
          orgId: body.org_id,
          workspaceId: body.workspace_id ?? null,
          activities: body.activities,
        });
        c.header('Location', `/api/v1/batches/${batchId}`);
        return c.json({ batch_id: batchId, status: state }, 202);
      } catch (error) {
        if (error instanceof ShuttingDownError) {
          c.header('Retry-After', String(error.retryAfterSeconds));
          return errorResponse(
            c,
            503,
            'shutting_down',
            `the server is shutting down; retry in ${error.retryAfterSeconds} s (another instance may take it)`,
          );
        }
        if (!(error instanceof QueueFullError)) throw error;
        c.header('Retry-After', String(error.retryAfterSeconds));
        return errorResponse(c, 429, 'queue_full', `the queue is full; retry in ${error.retryAfterSeconds} s`);
      }
    },
  );

  api.get(
    '/',
    zValidator('query', listBatchesQuery, (result, c) => {
      if (!result.success) return errorResponse(c, 400, 'invalid_request', 'invalid filters', fieldErrors(result.error));
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { batches, total } = await service.list({
        orgId: query.org_id,
        workspaceId: query.workspace_id,
        state: query.status,
        limit: query.limit,
        offset: query.offset,
      });
      return c.json({ batches: batches.map(batchSummary), total, limit: query.limit, offset: query.offset });
    },
  );

  api.get('/:id', async (c) => {
    const id = c.req.param('id');
    const found = BATCH_ID.test(id) ? await service.get(id) : undefined;
    if (!found) return errorResponse(c, 404, 'not_found', 'no batch with this id');
    return c.json(batchDetail(found.batch, found.errors, found.transitions));
  });

  api.delete('/:id', mutating, async (c) => {
    const id = c.req.param('id');
    const result = BATCH_ID.test(id) ? await service.cancel(id) : { outcome: 'not_found' as const };
    switch (result.outcome) {
      case 'not_found':
        return errorResponse(c, 404, 'not_found', 'no batch with this id');
      case 'finished':
        return errorResponse(c, 409, 'batch_finished', `the batch is already ${result.batch.state}`);
      case 'cancelled':
        return c.json({ batch_id: result.batch.id, status: result.batch.state }, 200);
      case 'cancelling':
        return c.json({ batch_id: result.batch.id, status: result.batch.state, cancel_requested: true }, 202);
    }
  });

  return api;
}
