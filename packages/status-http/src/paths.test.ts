import { describe, expect, it } from 'vitest';
import { canonicalPath, createRouteTable, rawPathOf, STATUS_ROUTES } from './paths.js';

describe('canonicalPath', () => {
  it.each([
    ['/metrics', '/metrics'],
    ['/metrics/', '/metrics'],
    ['//metrics', '/metrics'],
    ['/METRICS', '/metrics'],
    ['/%6Detrics', '/metrics'],
    ['/metrics;x', '/metrics'],
    ['/metrics;x/json;y=1', '/metrics/json'],
    ['/metrics%3Bjsessionid=1', '/metrics'],
    ['/metrics%2Fjson', '/metrics/json'],
    ['/health/./live/', '/health/live'],
    ['/x/../status', '/status'],
    ['/../../status', '/status'],
    ['\\metrics', '/metrics'],
    ['/', '/'],
  ])('reads %s as %s', (raw, canonical) => {
    expect(canonicalPath(raw)).toBe(canonical);
  });

  it('refuses a malformed percent-encoding', () => {
    expect(canonicalPath('/%zz')).toBeUndefined();
    expect(canonicalPath('/metrics%')).toBeUndefined();
    expect(canonicalPath('/%C3%28')).toBeUndefined();
  });
});

describe('rawPathOf', () => {
  it('takes the still-encoded path of absolute URLs and origin-form targets', () => {
    expect(rawPathOf('http://127.0.0.1:80/%6Detrics?x=1#y')).toBe('/%6Detrics');
    expect(rawPathOf('https://h//metrics')).toBe('//metrics');
    expect(rawPathOf('http://h')).toBe('/');
    expect(rawPathOf('/metrics?a://b')).toBe('/metrics');
    expect(rawPathOf('//metrics')).toBe('//metrics');
  });
});

describe('createRouteTable', () => {
  const table = createRouteTable('/Ops', () => true);

  it('matches every route under the base path, in any spelling', () => {
    for (const route of STATUS_ROUTES) {
      expect(table.match(`/ops${route.path}`)).toBe(route);
      expect(table.match(`/OPS/${route.path.toUpperCase()}/`)).toBe(route);
    }
    expect(table.match('/metrics')).toBe('none');
    expect(table.match('/ops/%zz')).toBe('malformed');
  });

  it('strips a mount prefix before matching', () => {
    expect(table.match('/outer/ops/status', '/outer')).toMatchObject({ name: 'status', protected: true });
    expect(table.match('/other/ops/status', '/outer')).toBe('none');
  });

  it('leaves out routes whose source is missing', () => {
    const healthOnly = createRouteTable('', (route) => route.name !== 'metrics');
    expect(healthOnly.match('/metrics')).toBe('none');
    expect(healthOnly.match('/api/v1/metrics/prometheus')).toBe('none');
    expect(healthOnly.match('/health')).toMatchObject({ name: 'health', protected: false });
  });
});
