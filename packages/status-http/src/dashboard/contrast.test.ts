// Every colour the page writes text in stays readable on both of its backgrounds, in light and dark
// mode: WCAG 2's contrast ratio of at least 4.5:1 for normal text (level AA).
import { describe, expect, it } from 'vitest';
import { createStatusHandler } from '../index.js';
import { degradedHealth, seedMetrics } from '../../test/fixtures/sources.js';

const TEXT_COLOURS = ['--fg', '--muted', '--accent', '--ok', '--warn', '--bad'];
const BACKGROUNDS = ['--bg', '--card'];

/** WCAG 2 relative luminance of a #rgb or #rrggbb colour. */
function luminance(hex: string): number {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join('') : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const channel = parseInt(digits.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** The custom properties of each `:root{…}` block of the served stylesheet: light first, then dark. */
async function palettes(): Promise<Map<string, string>[]> {
  const handler = createStatusHandler({ health: degradedHealth(), metrics: seedMetrics() });
  const html = await (await handler(new Request('http://status.test/dashboard'))).text();
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  return [...style.matchAll(/:root\{([^}]*)\}/g)].map(
    ([, body]) => new Map([...body!.matchAll(/(--[\w-]+):(#[0-9a-fA-F]{3,6})/g)].map(([, name, value]) => [name!, value!])),
  );
}

describe('the dashboard colours', () => {
  it('gives every text colour at least 4.5:1 against both backgrounds, in light and in dark mode', async () => {
    const modes = await palettes();
    expect(modes).toHaveLength(2);
    for (const palette of modes) {
      for (const text of TEXT_COLOURS) {
        for (const background of BACKGROUNDS) {
          const ratio = contrast(palette.get(text)!, palette.get(background)!);
          expect(ratio, `${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
        }
      }
    }
  });
});
