// One JSON error shape for every refusal: { error: { code, message, fields? } }.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface FieldError {
  path: string;
  message: string;
}

export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string, fields?: FieldError[]): Response {
  return c.json({ error: { code, message, ...(fields ? { fields } : {}) } }, status);
}

/** `activities[2].quantity` style paths for zod issues. */
export function fieldErrors(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): FieldError[] {
  return error.issues.map((issue) => ({
    path:
      issue.path.reduce<string>(
        (path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${String(key)}` : String(key)),
        '',
      ) || '(body)',
    message: issue.message,
  }));
}
